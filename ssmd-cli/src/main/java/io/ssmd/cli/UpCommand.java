package io.ssmd.cli;

import io.ssmd.config.ConfigLoader;
import io.ssmd.config.FeedLimits;
import io.ssmd.config.ShardConfig;
import io.ssmd.connector.ConnectorStatus;
import io.ssmd.observability.HealthServer;
import io.ssmd.sim.kalshi.KalshiAuth;
import io.ssmd.archiver.TransportArchiver;
import io.ssmd.transport.memory.MemoryTransport;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ssmd up}: the whole pipeline in one process on embedded defaults: simulated venues, one
 * connector per venue, the in-process memory transport, the health server, and a live status.
 */
@Command(
    name = "up",
    description = {
      "Run everything in one process on embedded defaults (simulated venues, memory transport, archive under --data-dir); Ctrl-C stops.",
      "Logs go to <data-dir>/logs/ssmd.log; the terminal shows a live status per feed."
    },
    mixinStandardHelpOptions = true)
final class UpCommand implements Callable<Integer> {
  static final List<String> FEEDS = List.of("kalshi", "kraken", "polymarket");

  @Option(names = "--data-dir", defaultValue = "data", description = "Working data directory (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--feeds-dir", defaultValue = "exchanges/feeds", description = "Feed files for per-venue limits (default: ${DEFAULT-VALUE}; built-in defaults when absent).")
  Path feedsDir;

  @Option(names = "--health-port", defaultValue = "" + HealthServer.DEFAULT_PORT, description = "Port of /health, /ready, /metrics (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int healthPort;

  @Option(names = "--markets", defaultValue = "10", description = "Simulated markets per venue (default: ${DEFAULT-VALUE}).")
  int markets;

  @Option(names = "--rate", defaultValue = "100", description = "Simulated data messages per second per venue (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--duration", description = "Stop by itself after this long (e.g. 30s); default: until Ctrl-C.")
  String duration;

  @Option(names = "--rotation", defaultValue = "15m", description = "Archive file rotation: 15m (default), 1h or 1d.")
  String rotation;

  @Option(names = "--gateway-port", defaultValue = "9000", description = "Port of the gateway's WebSocket /v1/ws and REST /v1 (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int gatewayPort;

  @Option(names = "--sim-ports", split = ",", defaultValue = "9101,9102,9103",
      description = "Ports of the Kalshi, Kraken and Polymarket simulators (default: ${DEFAULT-VALUE}, as in the *-local environments; 0 = any free port).")
  List<Integer> simPorts;

  @Option(names = "--exchanges-dir", defaultValue = "exchanges", description = "Shipped environments, feeds, schedules and signals (default: ${DEFAULT-VALUE}).")
  Path exchangesDir;

  @Option(names = "--temporal-port", defaultValue = "7233", description = "Port of the embedded Temporal server, for `ssmd day` and `ssmd schedule` from another shell (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int temporalPort;

  @Option(names = "--no-worker", description = "Do not start the operations worker (embedded Temporal server, schedules).")
  boolean noWorker;

  @Option(names = "--status-interval", defaultValue = "1s", description = "How often the status is printed (default: ${DEFAULT-VALUE}).")
  String statusInterval;

  @Override
  public Integer call() throws Exception {
    Duration runFor = duration == null ? null : io.ssmd.config.Durations.parse(duration);
    Duration every = io.ssmd.config.Durations.parse(statusInterval);
    if (markets < 1 || rate <= 0) {
      throw new UsageException("--markets must be >= 1 and --rate > 0");
    }
    Path given = exchangesDir;
    exchangesDir = shipped(given).orElseThrow(() -> new UsageException(given + " is not a directory: run ssmd up from the"
        + " repository root or pass --exchanges-dir (default: exchanges)"));
    // without feed files, per-venue limits fall back to built-in defaults (see limits)
    feedsDir = shipped(feedsDir).orElse(feedsDir);
    if (simPorts.size() != 3) {
      throw new UsageException("--sim-ports takes three ports (kalshi,kraken,polymarket), got " + simPorts);
    }
    Path log = dataDir.resolve("logs").resolve("ssmd.log");
    Logging.toFile(log, false);
    PrintStream out = System.out;

    SimulatedVenues sims = SimulatedVenues.start(
        new SimulatedVenues.Options("127.0.0.1", simPorts.get(0), simPorts.get(1), simPorts.get(2), markets, rate, dataDir.resolve("sim").resolve("kalshi")));
    CaptureRuntime runtime;
    try {
      List<Capture> captures = new ArrayList<>();
      for (String feed : FEEDS) {
        captures.add(new Capture("local", feed, sims.server(feed).wsUri(), limits(feed), List.of(), sims.markets(feed),
            feed.equals("kalshi")
                ? new Capture.Credentials(sims.kalshiKey().keyId(), KalshiAuth.pkcs8Pem(sims.kalshiKey().privateKey()))
                : null,
            ShardConfig.DEFAULTS).withFollow(Capture.Follow.ALL));
      }
      runtime = new CaptureRuntime(captures, (c, listener) -> MemoryTransport.start(listener), healthPort);
    } catch (RuntimeException e) {
      sims.close();
      throw e;
    }
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      try {
        done.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);

    List<TransportArchiver> archivers = new ArrayList<>();
    for (String feed : FEEDS) {
      TransportArchiver a = new TransportArchiver(runtime.transport(feed), "local", feed, dataDir,
          io.ssmd.config.Durations.parse(rotation), runtime.registry());
      a.start();
      archivers.add(a);
    }
    runtime.start();
    UpServices services;
    try {
      services = UpServices.start(new UpServices.Options(dataDir, exchangesDir, gatewayPort, temporalPort, !noWorker), sims, runtime,
          runtime.registry());
    } catch (RuntimeException e) {
      runtime.close();
      archivers.forEach(TransportArchiver::close);
      sims.close();
      done.countDown();
      throw e;
    }
    out.printf("ssmd up: %d simulated venues, memory transport, archive %s/<feed>/<date>/, /health /ready /metrics on"
        + " http://127.0.0.1:%d, logs %s%n", FEEDS.size(), dataDir, runtime.healthPort(), log);
    services.describe(out);
    StatusPrinter printer = new StatusPrinter(out, System.console() != null);
    long deadline = runFor == null ? Long.MAX_VALUE : System.nanoTime() + runFor.toNanos();
    try {
      while (!stop.await(every.toMillis(), TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
        printer.print(runtime.status());
      }
    } finally {
      printer.finish(runtime.status());
      services.close();
      runtime.close();
      archivers.forEach(TransportArchiver::close);
      out.println("archived: " + String.join(", ", archivers.stream().map(a -> a.feed() + " " + a.written()).toList())
          + " line(s) under " + dataDir);
      sims.close();
      out.println("ssmd up: stopped");
      done.countDown();
    }
    if (runFor != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // already shutting down: the hook is running and waits for 'done'
      }
    }
    return Main.EXIT_OK;
  }

  /**
   * A shipped directory given relative to the working directory: as given when it exists, else the
   * same path under the installation the launcher names ({@code SSMD_HOME}), so {@code ssmd up}
   * works from any directory.
   */
  static java.util.Optional<Path> shipped(Path given) {
    if (Files.isDirectory(given)) {
      return java.util.Optional.of(given);
    }
    String home = System.getenv("SSMD_HOME");
    return given.isAbsolute() || home == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(Path.of(home).resolve(given)).filter(Files::isDirectory);
  }

  private FeedLimits limits(String feed) {
    Path f = feedsDir.resolve(feed + ".yaml");
    return Files.isRegularFile(f) ? ConfigLoader.loadFeed(f).limits() : FeedLimits.DEFAULTS;
  }

  /** Compact live status: messages/s per feed, connections, reconnects, gaps, resyncs. */
  static final class StatusPrinter {
    private final PrintStream out;
    private final boolean tty;
    private final Map<String, long[]> last = new HashMap<>();

    StatusPrinter(PrintStream out, boolean tty) {
      this.out = out;
      this.tty = tty;
    }

    void print(List<ConnectorStatus> statuses) {
      String line = line(statuses);
      if (tty) {
        out.print("\r\033[K" + line);
        out.flush();
      } else {
        out.println(line);
      }
    }

    void finish(List<ConnectorStatus> statuses) {
      if (tty) {
        out.println();
      }
      long total = statuses.stream().mapToLong(ConnectorStatus::messagesPublished).sum();
      out.println("total published: " + total + " (" + String.join(", ",
          statuses.stream().map(s -> s.feed() + " " + s.messagesPublished()).toList()) + ")");
    }

    String line(List<ConnectorStatus> statuses) {
      long now = System.nanoTime();
      List<String> parts = new ArrayList<>();
      for (ConnectorStatus s : statuses) {
        long published = s.messagesPublished();
        long[] prev = last.put(s.feed(), new long[] {published, now});
        double rate = prev == null || now == prev[1] ? 0 : (published - prev[0]) * 1e9 / (now - prev[1]);
        parts.add(String.format("%s %,.0f msg/s conn %d/%d reconn %d gaps %d resyncs %d%s",
            s.feed(), rate, s.connectedCount(), s.connections().size(), s.reconnects(), s.gaps(), s.resyncs(),
            s.ready() ? "" : " (not ready)"));
      }
      return String.join(" | ", parts);
    }
  }
}
