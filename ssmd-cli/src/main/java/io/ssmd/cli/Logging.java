package io.ssmd.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.ssmd.observability.JsonLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Logging set-up: JSON lines (one object per line) on stdout for every long-running component;
 * {@code ssmd up} sends them to a file instead so its live status owns the terminal; one-shot
 * commands ({@code cli}) log to stderr so their stdout ({@code --json}, tables, CSV) stays clean.
 */
final class Logging {
  private Logging() {}

  private static volatile String component = "cli";

  /** JSON lines on stdout (stderr for one-shot commands); {@code component} names the process in every line. */
  static void configureDefault(boolean verbose, String component) {
    Logging.component = component;
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setTarget(component.equals("cli") ? "System.err" : "System.out");
    install(console, verbose);
  }

  /**
   * The component a command line runs: {@code run connector} → connector, {@code up} → up,
   * {@code sim} → sim, anything else → cli.
   */
  static String componentOf(String... args) {
    java.util.List<String> words = java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).toList();
    if (words.isEmpty()) {
      return "cli";
    }
    if (words.get(0).equals("run") && words.size() > 1) {
      return words.get(1);
    }
    return switch (words.get(0)) {
      case "up", "sim" -> words.get(0);
      default -> "cli";
    };
  }

  /** Sends logs to {@code file} (appending), e.g. {@code ./data/logs/ssmd.log} for {@code ssmd up}. */
  static void toFile(Path file, boolean verbose) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create log directory for " + file + ": " + e.getMessage(), e);
    }
    FileAppender<ILoggingEvent> fa = new FileAppender<>();
    fa.setFile(file.toString());
    fa.setAppend(true);
    install(fa, verbose);
  }

  private static void install(OutputStreamAppender<ILoggingEvent> appender, boolean verbose) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    ctx.reset();
    JsonLayout layout = new JsonLayout();
    layout.setContext(ctx);
    layout.setIncludeStack(verbose);
    layout.setComponent(component);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> enc = new LayoutWrappingEncoder<>();
    enc.setContext(ctx);
    enc.setLayout(layout);
    enc.start();
    appender.setContext(ctx);
    appender.setEncoder(enc);
    appender.setName("main");
    appender.start();
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(verbose ? Level.DEBUG : Level.INFO);
    root.addAppender(appender);
    // Libraries are noisy at INFO; their warnings still show.
    ctx.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
    ctx.getLogger("io.nats").setLevel(Level.WARN);
    ctx.getLogger("io.zonky").setLevel(Level.WARN); // embedded PostgreSQL echoes initdb and server output
    ctx.getLogger("org.flywaydb").setLevel(Level.WARN);
  }
}
