package io.ssmd.agent;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.archiver.ArchiveLine;
import io.ssmd.archiver.ArchiveReader;
import io.ssmd.data.Feeds;
import io.ssmd.market.MarketEvent;
import io.ssmd.market.Normalized;
import io.ssmd.market.Normalizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code ssmd agent backtest}: runs signals over an archived day through the same {@link
 * SignalEngine} as the live agent. Each feed's archive is read in capture order (file, then line:
 * the order the live agent received the frames), normalized by the same venue normalizer with
 * {@code _received_at} as event time, so a day archived while an agent ran live gives that agent's
 * firings, in its order, with its values. There is no timer: a silent feed's {@code stale_feed}
 * firing is found when the feed's next event arrives, with the same {@code ts} the live timer gave it.
 * Several feeds are merged by receive time (ties in feed order); built-in signals keep state per
 * feed, so their firings do not depend on how feeds interleave, only the order of different feeds'
 * firings in the output does.
 */
public final class Backtest {

  /**
   * @param root archive root ({@code {root}/{feed}/{date}/…})
   * @param feeds feeds to read; empty = every feed with an archive that day
   */
  public record Options(Path root, LocalDate date, List<String> feeds, List<SignalDefinition> signals) {
    public Options {
      Objects.requireNonNull(root, "root");
      Objects.requireNonNull(date, "date");
      feeds = feeds == null ? List.of() : List.copyOf(feeds);
      for (String f : feeds) {
        if (!Feeds.NAMES.contains(f)) {
          throw new IllegalArgumentException("unknown feed '" + f + "' (expected one of " + String.join(", ", Feeds.NAMES) + ")");
        }
      }
      if (signals == null || signals.isEmpty()) {
        throw new IllegalArgumentException("at least one signal declaration is required");
      }
      signals = List.copyOf(signals);
    }
  }

  /**
   * What a backtest did.
   *
   * @param feeds the feeds read
   * @param linesRead archive lines read
   * @param events normalized events evaluated
   * @param rejected frames the normalizer rejected, by reason
   * @param firingsBySignal firings per signal (every declared signal present)
   * @param problems archive damage, as {@code feed/date/file:line: what}
   */
  public record Summary(List<String> feeds, long linesRead, long events, Map<String, Long> rejected, Map<String, Long> firingsBySignal,
      List<String> problems, Duration elapsed) {
    public long firings() {
      return firingsBySignal.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private Backtest() {}

  /** Runs the day; every firing goes to {@code sink} in order. */
  public static Summary run(Options o, Consumer<Firing> sink, PrometheusRegistry registry) throws IOException {
    long start = System.nanoTime();
    List<String> feeds = o.feeds().isEmpty() ? present(o.root(), o.date()) : o.feeds();
    if (feeds.isEmpty()) {
      throw new IOException("no archive for " + o.date() + " under " + o.root() + " (expected " + o.root() + "/<feed>/" + o.date()
          + "/*.jsonl.gz; check --date and --data-dir)");
    }
    Map<String, Long> bySignal = new LinkedHashMap<>();
    o.signals().forEach(s -> bySignal.put(s.name(), 0L));
    AgentMetrics metrics = AgentMetrics.create(registry, feeds, bySignal.keySet());
    SignalEngine engine = new SignalEngine(o.signals(), metrics, f -> {
      bySignal.merge(f.signal(), 1L, Long::sum);
      sink.accept(f);
    });
    Map<String, Long> rejected = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    Map<String, Normalizer> normalizers = new LinkedHashMap<>();
    feeds.forEach(f -> normalizers.put(f, Feeds.normalizer(f)));
    java.util.function.BiConsumer<String, ArchiveLine> evaluate = (feed, line) -> {
      Normalized n = normalizers.get(feed).normalize(line.frame(), line.receivedAtMicros(), line.natsSeq());
      switch (n) {
        case Normalized.Events e -> {
          for (MarketEvent ev : e.events()) {
            engine.onEvent(ev);
          }
        }
        case Normalized.Skipped sk -> {
          // control traffic
        }
        case Normalized.Rejected r -> {
          rejected.merge(r.reason(), 1L, Long::sum);
          metrics.rejected(feed);
        }
      }
    };
    List<ArchiveReader> readers = new ArrayList<>();
    for (String feed : feeds) {
      readers.add(ArchiveReader.open(o.root(), feed, o.date()));
    }
    long lines = feeds.size() == 1
        ? readers.get(0).forEach(line -> evaluate.accept(feeds.get(0), line))
        : io.ssmd.data.ArchiveMerge.merge(feeds, readers, evaluate::accept);
    for (int i = 0; i < feeds.size(); i++) {
      for (ArchiveReader.Problem p : readers.get(i).problems()) {
        problems.add(feeds.get(i) + "/" + o.date() + "/" + p);
      }
    }
    return new Summary(feeds, lines, engine.events(), rejected, bySignal, problems, Duration.ofNanos(System.nanoTime() - start));
  }

  /** Feeds with a directory for the day under the root. */
  static List<String> present(Path root, LocalDate date) {
    List<String> out = new ArrayList<>();
    for (String f : Feeds.NAMES) {
      if (Files.isDirectory(root.resolve(f).resolve(date.toString()))) {
        out.add(f);
      }
    }
    return out;
  }
}
