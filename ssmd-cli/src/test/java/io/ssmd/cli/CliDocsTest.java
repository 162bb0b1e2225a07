package io.ssmd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code docs/cli.md} is the {@code --help} of every command; this fails when they drift.
 * Regenerate with {@code mvn -pl ssmd-cli test -Dtest=CliDocsTest -Dssmd.regenerate-docs=true}.
 */
class CliDocsTest {
  private static final Path DOC = Path.of("..", "docs", "cli.md");

  static String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("# Command line reference\n\n")
        .append("<!-- Generated from the picocli command tree by CliDocsTest; do not edit. -->\n\n")
        .append("Exit codes: 0 ok, 1 failure, 2 usage or configuration error. Errors are one line on stderr;\n")
        .append("`--verbose` adds the stack trace and debug logs. Long-running commands log JSON lines on stdout.\n");
    append(sb, Main.commandLine());
    return sb.toString();
  }

  private static void append(StringBuilder sb, CommandLine cl) {
    if (cl.getCommandName().equals("help")) {
      return;
    }
    sb.append("\n## `").append(cl.getCommandSpec().qualifiedName()).append("`\n\n```\n")
        .append(cl.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n");
    for (CommandLine sub : cl.getSubcommands().values()) {
      append(sb, sub);
    }
  }

  @Test
  void docsCliMdMatchesEveryCommandsHelp() throws Exception {
    String expected = render();
    if (Boolean.getBoolean("ssmd.regenerate-docs")) {
      Files.writeString(DOC, expected);
    }
    assertThat(Files.exists(DOC)).as("docs/cli.md exists (regenerate with -Dssmd.regenerate-docs=true)").isTrue();
    assertThat(Files.readString(DOC)).isEqualTo(expected);
  }

  @Test
  void exitCodesAreTwoForUsageErrors() {
    assertThat(Main.commandLine().execute("run", "connector")).isEqualTo(2); // --env missing
    assertThat(Main.commandLine().execute("no-such-command")).isEqualTo(2);
    assertThat(Main.commandLine().execute("feed", "route", "--feed", "nasdaq")).isEqualTo(2);
  }
}
