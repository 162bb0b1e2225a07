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
        : merge(feeds, readers, evaluate);
    for (int i = 0; i < feeds.size(); i++) {
      for (ArchiveReader.Problem p : readers.get(i).problems()) {
        problems.add(feeds.get(i) + "/" + o.date() + "/" + p);
      }
    }
    return new Summary(feeds, lines, engine.events(), rejected, bySignal, problems, Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * Several feeds in receive-time order (ties in feed order), as a live agent reading them at once
   * would roughly see them. Each feed is read on its own thread into a small bounded queue of
   * batches ({@link ArchiveReader} pushes lines; a merge pulls one at a time), so memory stays
   * bounded whatever the size of the day.
   */
  private static long merge(List<String> feeds, List<ArchiveReader> readers, java.util.function.BiConsumer<String, ArchiveLine> sink)
      throws IOException {
    List<FeedLines> sources = new ArrayList<>();
    for (int i = 0; i < feeds.size(); i++) {
      FeedLines f = new FeedLines(feeds.get(i), readers.get(i));
      sources.add(f);
      f.thread.start();
    }
    long lines = 0;
    try {
      while (true) {
        FeedLines best = null;
        for (FeedLines f : sources) {
          ArchiveLine head = f.head();
          if (head != null && (best == null || head.receivedAtMicros() < best.head().receivedAtMicros())) {
            best = f;
          }
        }
        if (best == null) {
          return lines;
        }
        lines++;
        sink.accept(best.name, best.take());
      }
    } finally {
      sources.forEach(f -> f.thread.interrupt());
    }
  }

  /** One feed's archive read on its own thread into bounded batches. */
  private static final class FeedLines {
    private static final int BATCH = 512;
    private static final List<ArchiveLine> END = List.of();
    final String name;
    final Thread thread;
    private final java.util.concurrent.BlockingQueue<List<ArchiveLine>> queue = new java.util.concurrent.ArrayBlockingQueue<>(8);
    private volatile IOException failure;
    private List<ArchiveLine> batch;
    private int at;
    private boolean done;

    FeedLines(String name, ArchiveReader reader) {
      this.name = name;
      this.thread = Thread.ofPlatform().name("backtest-" + name).daemon().unstarted(() -> read(reader));
    }

    private void read(ArchiveReader reader) {
      List<ArchiveLine> pending = new ArrayList<>(BATCH);
      try {
        reader.forEach(line -> {
          pending.add(line);
          if (pending.size() == BATCH) {
            put(new ArrayList<>(pending));
            pending.clear();
          }
        });
        if (!pending.isEmpty()) {
          put(new ArrayList<>(pending));
        }
      } catch (IOException e) {
        failure = e;
      } catch (IllegalStateException stopped) {
        return; // interrupted by the merge finishing early
      }
      put(END);
    }

    private void put(List<ArchiveLine> b) {
      try {
        queue.put(b);
      } catch (InterruptedException e) {
        throw new IllegalStateException("stopped", e);
      }
    }

    ArchiveLine head() throws IOException {
      while (!done && (batch == null || at == batch.size())) {
        try {
          batch = queue.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("backtest interrupted");
        }
        at = 0;
        if (batch == END) {
          done = true;
          if (failure != null) {
            throw new IOException("cannot read the " + name + " archive: " + failure.getMessage(), failure);
          }
        }
      }
      return done ? null : batch.get(at);
    }

    ArchiveLine take() throws IOException {
      ArchiveLine l = head();
      at++;
      return l;
    }
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
