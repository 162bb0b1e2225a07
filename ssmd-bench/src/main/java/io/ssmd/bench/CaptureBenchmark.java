package io.ssmd.bench;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.connector.Connector;
import io.ssmd.connector.ConnectorMetrics;
import io.ssmd.connector.ConnectorOptions;
import io.ssmd.connector.ConnectorStatus;
import io.ssmd.sim.Journal;
import io.ssmd.testkit.FreePorts;
import io.ssmd.testkit.NatsServerProcess;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.Transport;
import io.ssmd.transport.memory.MemoryTransport;
import io.ssmd.transport.nats.ApplyResult;
import io.ssmd.transport.nats.NatsTransport;
import io.ssmd.transport.nats.NatsTransportOptions;
import io.ssmd.transport.nats.StreamAdmin;
import io.ssmd.transport.nats.StreamSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end capture benchmark: how much of what JetStream can take on this machine the connector
 * path delivers, at what latency and in how much memory. One run, on 127.0.0.1 only, stops by
 * itself:
 *
 * <ol start="0">
 *   <li>warm-up (unmeasured): the same as 1, journaling the first frames the simulator sends;
 *   <li>sim -> connector -> memory transport at saturation;
 *   <li>raw jnats {@code publishAsync} of those exact frames into the stream (the limit);
 *   <li>sim -> connector -> {@link NatsTransport} -> JetStream at saturation (ratio to the limit);
 *   <li>the same at {@code --rate} msg/s, recording receive -> ack latency in an HdrHistogram;
 *   <li>{@code ssmd run connector} in a separate JVM at {@code --rate}: its VmRSS.
 * </ol>
 *
 * <p>Throughput is acknowledged messages per second over the window after the warm-up. The
 * simulator, the connector, nats-server and (in phase 2) the raw publisher share the machine's
 * cores, as they would on a small capture host; the report states the core count.
 *
 * <p>{@code scripts/bench.sh capture [options]} runs it; see {@link BenchOptions#USAGE}.
 */
public final class CaptureBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureBenchmark.class);
  private static final String ENV = "bench";
  private static final String RSS_ENV = "bench-rss";
  private static final Duration FIRST_ACK_TIMEOUT = Duration.ofSeconds(30);
  /** The separate process needs longer than an in-process connector before its memory settles. */
  private static final Duration MIN_RSS_WARMUP = Duration.ofSeconds(5);

  private final BenchOptions options;

  public CaptureBenchmark(BenchOptions options) {
    this.options = options;
  }

  public static void main(String[] args) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("capture benchmark: " + e.getMessage());
      System.err.println(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    try {
      CaptureReport report = new CaptureBenchmark(options).run();
      System.out.print(report.format());
      System.exit(0);
    } catch (Exception e) {
      LOG.error("capture benchmark failed: {}", e.toString(), e);
      System.err.println("capture benchmark failed: " + e);
      System.exit(1);
    }
  }

  /** What one capture phase measured. */
  private record Phase(double ackedRate, double simRate, Histogram latency, List<Journal.Entry> frames, long dropped, ConnectorStatus status) {}

  /** Runs every phase and returns the figures. */
  public CaptureReport run() throws Exception {
    String date = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    String feed = options.venue();
    List<String> notes = new ArrayList<>();
    String loadAtStart = loadAverage();
    try (NatsServerProcess nats = NatsServerProcess.start()) {
      StreamSpec spec = StreamSpec.forFeed(ENV, feed, Duration.ofHours(1), 1, Duration.ofMinutes(2), -1);
      applyStream(nats.url(), spec);

      // A cold JVM runs the first seconds interpreted: an unmeasured pass compiles the capture path
      // for every phase after it, and journals the frames the raw baseline replays.
      progress("0/5 warm-up: sim -> connector -> memory transport, journaling %,d frames", options.sampleFrames());
      List<Journal.Entry> frames = capture(options.saturationRate(), options.sampleFrames(), MemoryTransport::start).frames();

      progress("1/5 sim -> connector -> memory transport (saturation)");
      Phase memory = capture(options.saturationRate(), 0, MemoryTransport::start);
      note(notes, "memory", memory);
      if (frames.isEmpty()) {
        throw new IllegalStateException("the simulator journaled no frames; nothing to replay for the raw baseline");
      }
      double avgBytes = frames.stream().mapToInt(e -> e.bytes().length).average().orElse(0);

      progress("2/5 raw jnats publishAsync -> JetStream (%,d frames replayed, %d in flight)", frames.size(), options.inFlight());
      purge(nats.url(), spec.name());
      double raw = new RawJetStreamPublisher(nats.url(), options.inFlight()).run(ENV, feed, frames, options.warmup(), options.window());

      progress("3/5 sim -> connector -> NatsTransport -> JetStream (saturation)");
      purge(nats.url(), spec.name());
      NatsTransportOptions natsOptions = natsOptions(nats.url(), spec.name(), feed);
      Phase jetstream = capture(options.saturationRate(), 0, l -> NatsTransport.connect(natsOptions, l));
      note(notes, "NatsTransport at saturation", jetstream);

      progress("4/5 receive -> ack latency at %,d msg/s", options.rate());
      purge(nats.url(), spec.name());
      Phase paced = capture(options.rate(), 0, l -> NatsTransport.connect(natsOptions, l));
      note(notes, "NatsTransport at " + options.rate() + " msg/s", paced);

      long rss = -1;
      double childRate = 0;
      if (options.rss()) {
        progress("5/5 ssmd run connector in a separate JVM (-Xmx%s) at %,d msg/s", options.childHeap(), options.rate());
        purge(nats.url(), spec.name());
        double[] child = measureChild(nats.url(), feed);
        rss = (long) child[0];
        childRate = child[1];
      }
      notes.add("1-min load average " + loadAtStart + " at start, " + loadAverage()
          + " at end; other processes on the machine lower every figure");
      return new CaptureReport(
          Runtime.getRuntime().availableProcessors(), date, System.getProperty("java.runtime.version"), feed,
          options.markets(), frames.size(), avgBytes, raw, jetstream.ackedRate(), jetstream.simRate(),
          memory.ackedRate(), memory.simRate(), paced.latency().getValueAtPercentile(50),
          paced.latency().getValueAtPercentile(99), paced.latency().getMaxValue(), paced.ackedRate(), rss,
          options.childHeap(), childRate, options.inFlight(), notes);
    }
  }

  private NatsTransportOptions natsOptions(String url, String stream, String feed) {
    return NatsTransportOptions.defaults(url, stream, List.of(ENV + "." + Subjects.sanitize(feed) + ".json.>"))
        .withMaxInFlight(options.inFlight())
        .withConnectionName("ssmd-bench-" + feed);
  }

  /**
   * Starts a simulator at {@code rate}, a connector into the transport, waits for the first
   * acknowledgement, warms up, then counts acknowledgements (and the simulator's sends) over the
   * window.
   */
  private Phase capture(int rate, int journalCapacity, Function<PublishListener, Transport> transports) throws Exception {
    AckMeter meter = new AckMeter();
    try (Workload workload = Workload.start(options.venue(), options.markets(), rate, journalCapacity)) {
      ConnectorMetrics metrics = ConnectorMetrics.create(new PrometheusRegistry(), workload.feed());
      meter.forwardTo(metrics.publishListener());
      try (Transport transport = transports.apply(meter)) {
        ConnectorOptions connectorOptions =
            ConnectorOptions.builder(ENV, workload.wsUri()).subscribe(1000, Duration.ZERO).build();
        Connector connector = new Connector(connectorOptions, workload.venue(), transport, metrics);
        try {
          connector.start(workload.markets());
          awaitFirstAck(meter, connector);
          sleep(options.warmup());
          meter.resetLatency();
          long sent0 = workload.journal().count();
          long acked0 = meter.acked();
          long dropped0 = meter.dropped();
          long t0 = System.nanoTime();
          sleep(options.window());
          long acked1 = meter.acked();
          long sent1 = workload.journal().count();
          double seconds = (System.nanoTime() - t0) / 1e9;
          Histogram latency = meter.latencySinceReset();
          long dropped = meter.dropped() - dropped0;
          workload.sim().pauseData(true);
          return new Phase(
              (acked1 - acked0) / seconds, (sent1 - sent0) / seconds, latency, workload.journal().entries(), dropped,
              connector.status());
        } finally {
          connector.close();
        }
      }
    }
  }

  private static void awaitFirstAck(AckMeter meter, Connector connector) throws InterruptedException {
    long deadline = System.nanoTime() + FIRST_ACK_TIMEOUT.toNanos();
    while (meter.acked() == 0) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("no message acknowledged within " + FIRST_ACK_TIMEOUT + ": " + connector.status().line());
      }
      Thread.sleep(20);
    }
  }

  private static void note(List<String> notes, String phase, Phase p) {
    if (p.dropped() > 0) {
      notes.add(phase + ": the transport dropped " + p.dropped() + " frames in the window");
    }
    if (p.status().gaps() > 0 || p.status().reconnects() > 0) {
      notes.add(phase + ": " + p.status().gaps() + " sequence gaps, " + p.status().resyncs() + " resyncs, "
          + p.status().reconnects() + " reconnects (the simulator skips a connection more than 20,000 frames behind)");
    }
  }

  /** Runs {@code ssmd run connector} against a simulator at {@code --rate}; returns {max RSS bytes, msg/s published}. */
  private double[] measureChild(String natsUrl, String feed) throws Exception {
    applyStream(natsUrl, StreamSpec.forFeed(RSS_ENV, feed, Duration.ofHours(1), 1, Duration.ofMinutes(2), -1));
    Path dir = Files.createTempDirectory("ssmd-bench-");
    try (Workload workload = Workload.start(options.venue(), options.markets(), options.rate(), 0)) {
      Path env = dir.resolve(RSS_ENV + ".yaml");
      Files.writeString(env, workload.environmentYaml(RSS_ENV, natsUrl, dir));
      Path feedFile = options.repoRoot().resolve("exchanges").resolve("feeds").resolve(feed + ".yaml");
      try (CliProcess child =
          CliProcess.start(options.repoRoot(), "connector", options.childHeap(), env, feedFile, FreePorts.pick(), dir.resolve("connector.log"))) {
        long deadline = System.nanoTime() + FIRST_ACK_TIMEOUT.toNanos();
        while (child.published().orElse(0) == 0) {
          if (!child.alive() || System.nanoTime() - deadline > 0) {
            throw new IllegalStateException("the separate connector (pid " + child.pid() + ") published nothing within "
                + FIRST_ACK_TIMEOUT + "; its log:\n" + child.logTail());
          }
          Thread.sleep(100);
        }
        sleep(options.warmup().compareTo(MIN_RSS_WARMUP) > 0 ? options.warmup() : MIN_RSS_WARMUP);
        long p0 = child.published().orElseThrow();
        long t0 = System.nanoTime();
        long end = t0 + options.window().toNanos();
        long maxRss = child.rssBytes();
        while (System.nanoTime() < end) {
          Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
          maxRss = Math.max(maxRss, child.rssBytes());
        }
        OptionalLong p1 = child.published();
        double seconds = (System.nanoTime() - t0) / 1e9;
        workload.sim().pauseData(true);
        return new double[] {maxRss, (p1.orElse(p0) - p0) / seconds};
      }
    } finally {
      deleteQuietly(dir);
    }
  }

  private static void applyStream(String url, StreamSpec spec) {
    try (StreamAdmin admin = StreamAdmin.connect(url)) {
      ApplyResult result = admin.apply(spec, false);
      LOG.debug("stream {}: {}", spec.name(), result);
    }
  }

  /** Empties the stream so each phase writes into the same state. */
  private static void purge(String url, String stream) throws IOException, InterruptedException, JetStreamApiException {
    try (Connection c = Nats.connect(url)) {
      c.jetStreamManagement().purgeStream(stream);
    }
  }

  /** The 1-minute load average from /proc/loadavg, or "?" where there is none. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static void sleep(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis());
  }

  private static void progress(String format, Object... args) {
    System.err.printf(format + "%n", args);
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debug("cannot delete {}: {}", dir, e.toString());
    }
  }
}
