package io.ssmd.cli;

import io.ssmd.data.BookRebuilder;
import io.ssmd.data.Feeds;
import io.ssmd.data.Replay;
import io.ssmd.export.ArchiveQuery;
import io.ssmd.export.ExportManifest;
import io.ssmd.export.OutputFormat;
import io.ssmd.export.ParquetExporter;
import io.ssmd.export.QueryOutcome;
import io.ssmd.market.Normalizer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ssmd data replay|book|export|query}: the tools a quant reaches for the morning after. */
@Command(
    name = "data",
    description = "Replay, rebuild books from, export and query the archive ({root}/{feed}/{YYYY-MM-DD}/{HHMM}.jsonl.gz).",
    mixinStandardHelpOptions = true,
    subcommands = {DataCommand.ReplayCmd.class, DataCommand.Book.class, DataCommand.Export.class, DataCommand.Query.class})
final class DataCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Options every data command shares: where the archive is and which day. */
  static final class Day {
    @Option(names = "--date", required = true, description = "UTC day, YYYY-MM-DD.")
    String date;

    @Option(names = "--root", defaultValue = "data", description = "Archive root (default: ${DEFAULT-VALUE}, where ssmd up archives).")
    Path root;

    LocalDate day() {
      try {
        return LocalDate.parse(date);
      } catch (DateTimeParseException e) {
        throw new UsageException("--date must be YYYY-MM-DD, got '" + date + "'");
      }
    }

    /** An instant on the day: full ISO-8601 (2026-11-22T14:03:00Z) or a UTC time of day (14:03, 14:03:12.5). */
    Instant instant(String option, String value) {
      if (value == null) {
        return null;
      }
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        try {
          return day().atTime(LocalTime.parse(value)).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e2) {
          throw new UsageException(option + " must be an ISO instant (2026-11-22T14:03:00Z) or a UTC time of day (14:03), got '" + value + "'");
        }
      }
    }
  }

  /** The one feed asked for, or every feed with that day in the archive. */
  static List<String> feeds(String feed, Day day) {
    if (feed == null) {
      List<String> found = Feeds.NAMES.stream()
          .filter(f -> java.nio.file.Files.isDirectory(day.root.resolve(f).resolve(day.day().toString()))).toList();
      if (found.isEmpty()) {
        throw new UsageException("nothing archived under " + day.root + " for " + day.date
            + " (looked for " + day.root + "/<feed>/" + day.date + "/; use --root)");
      }
      return found;
    }
    return feeds(feed);
  }

  /** The one feed asked for, or empty (the callee discovers them). */
  static List<String> feeds(String feed) {
    if (feed == null) {
      return List.of();
    }
    if (!Feeds.NAMES.contains(feed)) {
      throw new UsageException("--feed must be one of " + String.join(", ", Feeds.NAMES) + ", got '" + feed + "'");
    }
    return List.of(feed);
  }

  static Map<String, Normalizer> normalizers() {
    Map<String, Normalizer> m = new HashMap<>();
    for (String f : Feeds.NAMES) {
      m.put(f, Feeds.normalizer(f));
    }
    return m;
  }

  @Command(name = "replay", description = "Print a day's captured frames in capture order (or normalized records), optionally paced.", mixinStandardHelpOptions = true)
  static final class ReplayCmd implements Callable<Integer> {
    @picocli.CommandLine.Mixin Day day;

    @Option(names = "--feed", description = "One feed (default: every feed archived that day, merged by receive time).")
    String feed;

    @Option(names = "--symbol", description = "Only this instrument (ticker, symbol like BTC/USD, asset or condition id).")
    String symbol;

    @Option(names = "--from", description = "From this time (inclusive): ISO instant or UTC HH:MM[:SS].")
    String from;

    @Option(names = "--to", description = "Until this time (exclusive).")
    String to;

    @Option(names = "--speed", defaultValue = "0", description = "Pace at X times capture speed (1 = real time); 0 = as fast as possible (default).")
    double speed;

    @Option(names = "--normalized", description = "One JSON record shape across venues (trade, quote, book_snapshot, book_delta, lifecycle) with fixed-point prices.")
    boolean normalized;

    @Option(names = "--publish", description = "Publish the frames back onto the transport of --env (subjects re-derived, Nats-Msg-Id replay-<feed>-<seq>) instead of printing them.")
    boolean publish;

    @Option(names = "--env", description = "Environment whose transport --publish uses (its feed must be --feed).")
    String env;

    @Option(names = "--feeds-dir", description = "Feed files for --env (default: ../feeds beside the environment).")
    Path feedsDir;

    @Override
    public Integer call() throws IOException {
      Replay.Options o = Replay.Options.of(day.root, day.day(), feeds(feed, day))
          .withSymbol(symbol).withWindow(day.instant("--from", from), day.instant("--to", to))
          .withSpeed(speed).withNormalized(normalized);
      Replay.Summary s;
      if (publish) {
        if (env == null || feed == null || normalized) {
          throw new UsageException("--publish needs --env and --feed (the environment's feed), and publishes raw frames (no --normalized)");
        }
        io.ssmd.config.ResolvedEnvironment r = EnvCommand.load(env, feedsDir);
        if (!r.feedName().equals(feed)) {
          throw new UsageException("--feed " + feed + " is not the feed of " + r.environmentFile() + " (" + r.feedName() + ")");
        }
        try (io.ssmd.transport.Transport t = Transports.open(r, io.ssmd.transport.PublishListener.NONE)) {
          s = Replay.run(o, t, r.subjectPrefix(), java.time.Duration.ofSeconds(30));
        }
        System.err.printf("published %d frame(s) of %d line(s) to %s (refused %d)%n", s.framesEmitted(), s.linesRead(),
            r.environment().transport().type().configName(), s.publishRefused());
        report(s.problems());
        return s.problems().isEmpty() && s.publishRefused() == 0 ? Main.EXIT_OK : Main.EXIT_FAILURE;
      }
      OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
      s = Replay.run(o, out);
      out.flush();
      report(s.problems());
      System.err.printf("replayed %d frame(s) of %d line(s)%s%s in %d ms%n", s.framesEmitted(), s.linesRead(),
          normalized ? " as " + s.eventsWritten() + " record(s)" : "",
          s.rejected().isEmpty() ? "" : ", rejected " + s.rejected(), s.elapsed().toMillis());
      return s.problems().isEmpty() ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }
  }

  @Command(name = "book", description = "Rebuild an order book at a moment from the archive and say whether it is verified.", mixinStandardHelpOptions = true)
  static final class Book implements Callable<Integer> {
    @picocli.CommandLine.Mixin Day day;

    @Option(names = "--feed", required = true, description = "kalshi, kraken or polymarket.")
    String feed;

    @Option(names = "--symbol", required = true, description = "Instrument (Kalshi market ticker, Kraken BTC/USD, Polymarket asset id).")
    String symbol;

    @Option(names = "--at", required = true, description = "The moment: ISO instant or UTC HH:MM[:SS[.fff]] on --date.")
    String at;

    @Override
    public Integer call() throws IOException {
      feeds(feed);
      BookRebuilder.Result r = BookRebuilder.run(
          BookRebuilder.Options.of(day.root, feed, symbol, day.day(), day.instant("--at", at)), System.out);
      System.out.flush();
      System.err.println("book " + r.verdict() + (r.verdictDetail() == null ? "" : ": " + r.verdictDetail()));
      return r.verdict() == BookRebuilder.Verdict.BROKEN ? Main.EXIT_FAILURE : Main.EXIT_OK;
    }
  }

  @Command(name = "export", description = "Write typed Parquet per feed and kind, with an export manifest accounting for every line.", mixinStandardHelpOptions = true)
  static final class Export implements Callable<Integer> {
    @picocli.CommandLine.Mixin Day day;

    @Option(names = "--feed", description = "One feed (default: every feed archived that day).")
    String feed;

    @Option(names = "--format", defaultValue = "parquet", description = "Output format; only parquet (default).")
    String format;

    @Option(names = "--out", defaultValue = "data/normalized", description = "Output root (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
      if (!format.equals("parquet")) {
        throw new UsageException("--format must be parquet, got '" + format + "'");
      }
      List<ExportManifest> manifests = new ParquetExporter(normalizers()).export(day.root, feeds(feed, day), day.day(), out);
      if (manifests.isEmpty()) {
        throw new UsageException("nothing archived under " + day.root + " for " + day.date + (feed == null ? "" : " and feed " + feed));
      }
      boolean clean = true;
      for (ExportManifest m : manifests) {
        System.out.printf("%s %s: %d line(s) -> %s rows %s; skipped %d, rejected %d%s%n", m.feed(), m.date(), m.linesRead(),
            m.rowsByKind().values().stream().mapToLong(Long::longValue).sum(), m.rowsByKind(), m.linesSkipped(), m.linesRejected(),
            m.archiveProblems().isEmpty() ? "" : ", " + m.archiveProblems().size() + " archive problem(s)");
        for (ExportManifest.ArchiveProblem p : m.archiveProblems()) {
          System.err.println("  " + p.file() + (p.line() > 0 ? ":" + p.line() : "") + ": " + p.what());
        }
        clean &= m.accountsForEveryLine() && m.archiveProblems().isEmpty();
      }
      System.out.println("manifests: " + out + "/<feed>/" + day.date + "/" + ExportManifest.FILE_NAME);
      return clean ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }
  }

  @Command(
      name = "query",
      description = {"Run SQL over a day: views trade, quote, book_snapshot, book_delta, lifecycle (normalized) and raw_<feed>.",
          "Uses the Parquet export when present, else normalizes the archive on the fly."},
      mixinStandardHelpOptions = true)
  static final class Query implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SQL", description = "e.g. \"select instrument, count(*) from trade group by 1\"")
    String sql;

    @picocli.CommandLine.Mixin Day day;

    @Option(names = "--feed", description = "Only this feed (default: every feed of the day).")
    String feed;

    @Option(names = "--export-root", defaultValue = "data/normalized", description = "Parquet export root (default: ${DEFAULT-VALUE}).")
    Path exportRoot;

    @Option(names = "--output", defaultValue = "table", description = "table (default), csv or json.")
    String output;

    @Override
    public Integer call() throws IOException {
      OutputFormat f;
      try {
        f = OutputFormat.valueOf(output.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--output must be table, csv or json, got '" + output + "'");
      }
      try (ArchiveQuery q = ArchiveQuery.open(day.root, exportRoot, day.day(), feeds(feed), normalizers())) {
        Writer w = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
        QueryOutcome outcome = q.run(sql, w, f);
        w.flush();
        return switch (outcome) {
          case QueryOutcome.Ok ok -> {
            report(ok.notes());
            yield Main.EXIT_OK;
          }
          case QueryOutcome.Failed failed -> throw new UsageException("query failed: " + failed.message());
        };
      }
    }
  }

  private static void report(List<String> lines) {
    PrintStream err = System.err;
    for (String l : lines) {
      err.println("  " + l);
    }
  }
}
