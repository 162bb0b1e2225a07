package io.ssmd.data;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ssmd.archiver.ArchiveLine;
import io.ssmd.archiver.ArchiveReader;
import io.ssmd.connector.Routed;
import io.ssmd.connector.VenueSession;
import io.ssmd.market.MarketEvent;
import io.ssmd.market.Normalized;
import io.ssmd.market.Normalizer;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.Transport;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ssmd data replay}: reads a day of one or more feeds' archives and emits the frames in
 * capture order (per feed: file then line order, exactly as archived; across feeds: merged by
 * {@code _received_at}, ties in feed order), filtered by symbol and receive time, paced or as fast
 * as possible, as raw frames, normalized JSON lines ({@link EventJson}) or back onto a {@link
 * Transport}.
 *
 * <p>Archive damage (a truncated or corrupt file, an undecodable line) never stops a replay: what
 * can be read is emitted, and {@link Summary#problems()} lists the rest.
 */
public final class Replay {
  private static final Logger LOG = LoggerFactory.getLogger(Replay.class);
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * What to replay.
   *
   * @param root archive root ({@code {root}/{feed}/{date}/…})
   * @param date the UTC day
   * @param feeds one or more of {@link Feeds#NAMES}
   * @param symbol instrument or venue ticker to keep (matched against the routing ticker, its
   *     subject token, e.g. {@code BTC-USD}, and the normalized instruments, e.g. a Polymarket
   *     asset id), or null for all
   * @param from keep frames received at or after this instant, or null
   * @param to keep frames received before this instant, or null
   * @param speed pace by receive-time differences divided by this factor; 0 = as fast as possible
   * @param normalized emit normalized events instead of raw frames (stream output only)
   */
  public record Options(Path root, LocalDate date, List<String> feeds, String symbol, Instant from, Instant to, double speed,
      boolean normalized) {
    public Options {
      List<String> problems = new ArrayList<>();
      if (root == null) {
        problems.add("root (archive directory) is required");
      }
      if (date == null) {
        problems.add("date is required (--date YYYY-MM-DD)");
      }
      feeds = feeds == null ? List.of() : List.copyOf(feeds);
      if (feeds.isEmpty()) {
        problems.add("at least one feed is required (" + String.join(", ", Feeds.NAMES) + ")");
      }
      for (String f : feeds) {
        if (!Feeds.NAMES.contains(f)) {
          problems.add("unknown feed '" + f + "' (expected one of " + String.join(", ", Feeds.NAMES) + ")");
        }
      }
      if (feeds.stream().distinct().count() != feeds.size()) {
        problems.add("feeds must not repeat, got " + feeds);
      }
      if (!(speed >= 0) || Double.isInfinite(speed)) {
        problems.add("speed must be a finite number >= 0 (0 = as fast as possible), got " + speed);
      }
      if (from != null && to != null && !from.isBefore(to)) {
        problems.add("from (" + from + ") must be before to (" + to + ")");
      }
      if (symbol != null && symbol.isBlank()) {
        problems.add("symbol must not be blank (omit it for every symbol)");
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("invalid replay options: " + String.join("; ", problems));
      }
    }

    /** Every feed of the day, unfiltered, as fast as possible, raw. */
    public static Options of(Path root, LocalDate date, List<String> feeds) {
      return new Options(root, date, feeds, null, null, null, 0, false);
    }

    public Options withSymbol(String s) {
      return new Options(root, date, feeds, s, from, to, speed, normalized);
    }

    public Options withWindow(Instant f, Instant t) {
      return new Options(root, date, feeds, symbol, f, t, speed, normalized);
    }

    public Options withSpeed(double x) {
      return new Options(root, date, feeds, symbol, from, to, x, normalized);
    }

    public Options withNormalized(boolean n) {
      return new Options(root, date, feeds, symbol, from, to, speed, n);
    }
  }

  /**
   * What a replay did.
   *
   * @param linesRead archive lines read (all feeds)
   * @param framesEmitted frames that passed the filters and were written or published
   * @param eventsWritten normalized events written ({@code --normalized} only)
   * @param skipped frames the normalizer skipped as control traffic ({@code --normalized} only)
   * @param rejected frames the normalizer rejected, by reason ({@code --normalized} only)
   * @param unroutable frames the venue would not publish (transport output only; not published)
   * @param publishRefused frames the transport refused (its buffer was full; reported by it too)
   * @param problems archive damage, as {@code feed/date/file:line: what}
   */
  public record Summary(long linesRead, long framesEmitted, long eventsWritten, long skipped, Map<String, Long> rejected,
      long unroutable, long publishRefused, List<String> problems, Duration elapsed) {
    public Summary {
      rejected = Map.copyOf(rejected);
      problems = List.copyOf(problems);
    }
  }

  private Replay() {}

  /** Replays to a stream: raw frames one per line, or normalized JSON lines. Does not close {@code out}. */
  public static Summary run(Options options, OutputStream out) throws IOException {
    Objects.requireNonNull(out, "out");
    BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
    Run run = new Run(options, buffered, null, null);
    Summary s = run.execute();
    buffered.flush();
    return s;
  }

  /**
   * Replays raw frames onto a transport: the subject is derived by the venue's routing, as the
   * connector did ({@code {env}.{feed}.json.{type}.{ticker}}), {@code Nats-Msg-Id} is
   * {@code replay-<feed>-<nats_seq>} (so replaying twice into one stream is deduplicated) and
   * {@code Ssmd-Received-At} the original receive time. Waits up to {@code flushTimeout} for the
   * transport to acknowledge everything.
   */
  public static Summary run(Options options, Transport transport, String env, Duration flushTimeout) throws IOException {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(env, "env");
    if (options.normalized()) {
      throw new IllegalArgumentException("normalized replay writes JSON lines; the transport takes raw frames only");
    }
    Summary s = new Run(options, null, transport, env).execute();
    if (!transport.flush(flushTimeout)) {
      throw new IOException("transport did not acknowledge every replayed frame within " + flushTimeout + " ("
          + transport.pending() + " pending)");
    }
    return s;
  }

  /** One replay's state: filters, pacing, sinks, counters. */
  private static final class Run {
    private final Options o;
    private final OutputStream out;
    private final JsonGenerator json;
    private final Transport transport;
    private final String env;
    private final Map<String, Normalizer> normalizers = new LinkedHashMap<>();
    private final Map<String, VenueSession> routers = new LinkedHashMap<>();
    private final long fromMicros;
    private final long toMicros;
    private final Map<String, Long> rejected = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    private long linesRead;
    private long emitted;
    private long events;
    private long skipped;
    private long unroutable;
    private long refused;
    private long firstReceived = -1;
    private long startNanos;

    Run(Options o, OutputStream out, Transport transport, String env) throws IOException {
      this.o = o;
      this.out = out;
      this.transport = transport;
      this.env = env;
      this.json = out != null && o.normalized() ? JSON.createGenerator(out, JsonEncoding.UTF8) : null;
      if (json != null) {
        json.setRootValueSeparator(null);
        // the caller's stream stays open; lines are flushed by our buffer
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
      }
      this.fromMicros = o.from() == null ? Long.MIN_VALUE : micros(o.from());
      this.toMicros = o.to() == null ? Long.MAX_VALUE : micros(o.to());
      for (String f : o.feeds()) {
        normalizers.put(f, Feeds.normalizer(f));
        routers.put(f, Feeds.router(f));
      }
    }

    Summary execute() throws IOException {
      startNanos = System.nanoTime();
      List<ArchiveReader> readers = new ArrayList<>();
      for (String f : o.feeds()) {
        readers.add(ArchiveReader.open(o.root(), f, o.date()));
      }
      if (readers.size() == 1) {
        String feed = o.feeds().get(0);
        forEach(readers.get(0), line -> accept(feed, line));
      } else {
        merge(readers);
      }
      for (int i = 0; i < readers.size(); i++) {
        for (ArchiveReader.Problem p : readers.get(i).problems()) {
          problems.add(o.feeds().get(i) + "/" + o.date() + "/" + p);
        }
      }
      if (json != null) {
        json.flush();
      }
      if (!problems.isEmpty()) {
        LOG.warn("replay: {} archive problem(s); first: {}", problems.size(), problems.get(0));
      }
      return new Summary(linesRead, emitted, events, skipped, rejected, unroutable, refused, problems,
          Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** Reads one feed, rethrowing what the sink threw (an output failure stops the replay). */
    private static void forEach(ArchiveReader reader, Consumer<ArchiveLine> sink) throws IOException {
      try {
        reader.forEach(sink);
      } catch (SinkFailure f) {
        throw f.io;
      }
    }

    /** Merges feeds by receive time ({@link ArchiveMerge}: bounded memory whatever the size of the day). */
    private void merge(List<ArchiveReader> readers) throws IOException {
      try {
        ArchiveMerge.merge(o.feeds(), readers, this::accept);
      } catch (SinkFailure f) {
        throw f.io;
      }
    }

    private void accept(String feed, ArchiveLine line) {
      linesRead++;
      long received = line.receivedAtMicros();
      if (received < fromMicros || received >= toMicros) {
        return;
      }
      try {
        Routed.Publish route = null;
        List<MarketEvent> normalized = null;
        if (o.symbol() != null || transport != null) {
          route = Feeds.route(routers.get(feed), line.frame());
        }
        boolean routeMatch = route != null && o.symbol() != null && sameSymbol(route.ticker(), o.symbol());
        if (o.symbol() != null) {
          boolean match = routeMatch;
          if (!match) {
            normalized = events(feed, line);
            match = normalized != null && normalized.stream().anyMatch(e -> sameSymbol(e.header().instrument(), o.symbol()));
          }
          if (!match) {
            return;
          }
        }
        pace(received);
        if (transport != null) {
          publish(feed, line, route);
        } else if (json != null) {
          if (normalized == null) {
            normalized = events(feed, line);
          }
          if (normalized != null) {
            emitted++;
            for (MarketEvent e : normalized) {
              // a symbol filter keeps only that instrument's events of a multi-asset frame
              if (o.symbol() == null || routeMatch || sameSymbol(e.header().instrument(), o.symbol())) {
                EventJson.write(json, e);
                json.writeRaw('\n');
                events++;
              }
            }
          }
        } else {
          out.write(line.frame());
          out.write('\n');
          emitted++;
        }
      } catch (IOException e) {
        throw new SinkFailure(e);
      }
    }

    /** The frame's normalized events; null (and counted) when skipped or rejected. */
    private List<MarketEvent> events(String feed, ArchiveLine line) {
      Normalized n = normalizers.get(feed).normalize(line.frame(), line.receivedAtMicros(), line.natsSeq());
      return switch (n) {
        case Normalized.Events e -> e.events();
        case Normalized.Skipped s -> {
          skipped++;
          yield null;
        }
        case Normalized.Rejected r -> {
          rejected.merge(r.reason(), 1L, Long::sum);
          yield null;
        }
      };
    }

    private void publish(String feed, ArchiveLine line, Routed.Publish route) {
      if (route == null) {
        unroutable++;
        return;
      }
      String subject = Subjects.subject(env, feed, route.type(), route.ticker());
      Envelope env = new Envelope(subject, line.frame(), "replay-" + feed + "-" + line.natsSeq(),
          line.receivedAtMicros() * 1000, "replay", 0);
      if (transport.publish(env)) {
        emitted++;
      } else {
        refused++;
      }
    }

    /** Sleeps until this frame's moment: receive-time distance from the first frame, divided by speed. */
    private void pace(long receivedMicros) throws IOException {
      if (o.speed() <= 0) {
        return;
      }
      if (firstReceived < 0) {
        firstReceived = receivedMicros;
        startNanos = System.nanoTime();
        return;
      }
      long dueNanos = startNanos + (long) ((receivedMicros - firstReceived) * 1000 / o.speed());
      long wait = dueNanos - System.nanoTime();
      if (wait > 1_000_000) {
        // a paced consumer must see each frame when it is due, not when our buffer fills
        if (json != null) {
          json.flush();
        }
        if (out != null) {
          out.flush();
        }
        try {
          TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("replay interrupted");
        }
      }
    }
  }

  /** True when a venue name and a user's symbol are the same instrument ({@code BTC/USD} = {@code BTC-USD}). */
  static boolean sameSymbol(String venue, String wanted) {
    return venue.equals(wanted) || Subjects.sanitize(venue).equals(Subjects.sanitize(wanted));
  }

  static long micros(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
  }

  /** Carries an output failure out of the reader's callback. */
  private static final class SinkFailure extends RuntimeException {
    final IOException io;

    SinkFailure(IOException io) {
      super(io.getMessage(), io, false, false);
      this.io = io;
    }
  }
}
