package io.ssmd.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Entry point of the {@code ssmd} command. Exit codes: 0 ok, 1 failure, 2 usage or configuration
 * error. Errors are one line on stderr; {@code --verbose} adds the stack trace.
 */
@Command(
    name = "ssmd",
    mixinStandardHelpOptions = true,
    version = "ssmd 0.1.0",
    description = "Market-data capture, archive and operations platform.",
    subcommands = {
      EnvCommand.class,
      FeedCommand.class,
      RunCommand.class,
      SimCommand.class,
      UpCommand.class,
      DataCommand.class,
      SecmasterCommand.class,
      DayCommand.class,
      ScheduleCommand.class,
      AgentCommand.class,
      GatewayCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  static final int EXIT_OK = 0;
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Show stack traces on errors and debug logs.")
  boolean verbose;

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (used by tests). */
  public static int execute(String... args) {
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    Logging.configureDefault(verbose, Logging.componentOf(args));
    CommandLine cl = commandLine();
    return cl.execute(args);
  }

  /** The configured picocli command tree (also used by tests that parse without executing). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          boolean verbose = false;
          // --verbose is inherited: it may have been given to any subcommand
          for (CommandLine.ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            verbose |= pr.hasMatchedOption("--verbose");
          }
          PrintWriter err = commandLine.getErr();
          err.println("ssmd: " + Errors.describe(ex));
          if (verbose) {
            ex.printStackTrace(err);
          }
          err.flush();
          return Errors.isUsage(ex) ? EXIT_USAGE : EXIT_FAILURE;
        });
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("ssmd: " + ex.getMessage());
          err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          err.flush();
          return EXIT_USAGE;
        });
    return cl;
  }
}
