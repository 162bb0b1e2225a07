package io.ssmd.cli;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.agent.Backtest;
import io.ssmd.agent.Firing;
import io.ssmd.agent.SignalDefinition;
import io.ssmd.agent.SignalsFile;
import io.ssmd.config.ResolvedEnvironment;
import io.ssmd.data.Feeds;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ssmd agent backtest}: the agent's signals over an archived day. */
@Command(
    name = "agent",
    description = "Signal agent tools: backtest signals over an archived day.",
    mixinStandardHelpOptions = true,
    subcommands = {AgentCommand.BacktestCmd.class})
final class AgentCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "backtest",
      description = {"Run --signals over an archived day and print the firings (as the live agent gave them on that data).",
          "Reads {root}/{feed}/{date}/*.jsonl.gz in capture order; same firings, order and values as live."},
      mixinStandardHelpOptions = true)
  static final class BacktestCmd implements Callable<Integer> {
    @Option(names = "--signals", required = true, description = "Signals file (e.g. exchanges/signals/example.yaml).")
    Path signals;

    @Option(names = "--date", required = true, description = "UTC day, YYYY-MM-DD.")
    String date;

    @Option(names = "--feed", description = "Feed to read (kalshi, kraken, polymarket); repeatable (default: every feed archived that day, or the --env's feed).")
    List<String> feeds;

    @Option(names = "--data-dir", description = "Archive root (default: data, where ssmd up archives).")
    Path dataDir;

    @Option(names = "--env", description = "Take the archive root (and feed) from this environment instead of --data-dir.")
    String env;

    @Option(names = "--json", description = "Print firings as JSON lines (the live message bodies) on stdout; the summary goes to stderr.")
    boolean json;

    @Override
    public Integer call() throws IOException {
      LocalDate day;
      try {
        day = LocalDate.parse(date);
      } catch (DateTimeParseException e) {
        throw new UsageException("--date must be YYYY-MM-DD, got '" + date + "'");
      }
      if (dataDir != null && env != null) {
        throw new UsageException("give either --data-dir or --env, not both");
      }
      Path root = dataDir != null ? dataDir : Path.of("data");
      List<String> feedList = feeds == null ? List.of() : feeds;
      if (env != null) {
        ResolvedEnvironment r = EnvCommand.load(env, null);
        root = r.environment().archivePath();
        if (feedList.isEmpty()) {
          feedList = List.of(r.feedName());
        }
      }
      for (String f : feedList) {
        if (!Feeds.NAMES.contains(f)) {
          throw new UsageException("--feed must be one of " + String.join(", ", Feeds.NAMES) + ", got '" + f + "'");
        }
      }
      List<SignalDefinition> defs = SignalsFile.load(signals);
      PrintStream out = new PrintStream(new java.io.BufferedOutputStream(System.out, 1 << 16), false, StandardCharsets.UTF_8);
      PrintStream summaryOut = json ? System.err : out;
      Backtest.Summary s;
      try {
        s = Backtest.run(new Backtest.Options(root, day, feedList, defs), f -> out.println(json ? f.toJson() : human(f)),
            new PrometheusRegistry());
      } catch (java.io.UncheckedIOException e) {
        throw e.getCause();
      } finally {
        out.flush();
      }
      summaryOut.printf("backtest %s %s: %d lines, %d events, %d firings (%s) in %d ms%n", day, String.join(",", s.feeds()),
          s.linesRead(), s.events(), s.firings(), s.firingsBySignal().entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")), s.elapsed().toMillis());
      if (!s.rejected().isEmpty()) {
        summaryOut.println("frames not normalized: " + s.rejected());
      }
      for (String p : s.problems()) {
        summaryOut.println("archive problem: " + p);
      }
      summaryOut.flush();
      return Main.EXIT_OK;
    }

    private static String human(Firing f) {
      String details = f.details().entrySet().stream().map(Map.Entry::toString).collect(Collectors.joining(" "));
      Instant ts = Instant.ofEpochSecond(Math.floorDiv(f.ts(), 1_000_000L), Math.floorMod(f.ts(), 1_000_000L) * 1000);
      return ts + "  " + f.signal() + "  " + f.feed() + " " + f.ticker() + "  value=" + f.value().toPlainString()
          + (f.threshold() == null ? "" : " threshold=" + f.threshold().toPlainString()) + "  " + details;
    }
  }
}
