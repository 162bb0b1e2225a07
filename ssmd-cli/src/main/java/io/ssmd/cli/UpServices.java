package io.ssmd.cli;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.agent.Agent;
import io.ssmd.agent.AgentOptions;
import io.ssmd.agent.SignalsFile;
import io.ssmd.gateway.ApiKeyStore;
import io.ssmd.gateway.FeedSource;
import io.ssmd.gateway.Gateway;
import io.ssmd.gateway.GatewayOptions;
import io.ssmd.gateway.MarketSource;
import io.ssmd.secmaster.ChangeOutbox;
import io.ssmd.secmaster.Database;
import io.ssmd.secmaster.EmbeddedDatabase;
import io.ssmd.secmaster.SecurityMaster;
import io.ssmd.transport.Transport;
import io.ssmd.transport.memory.MemoryTransport;
import io.ssmd.worker.WorkerRuntime;
import io.ssmd.worker.WorkerSettings;
import io.ssmd.worker.schedule.ScheduleMetrics;
import io.ssmd.worker.schedule.ScheduleSeeder;
import io.ssmd.worker.workflows.ExchangeSyncInput;
import io.ssmd.worker.workflows.ExchangeSyncWorkflow;
import io.ssmd.worker.workflows.SecmasterSyncInput;
import io.ssmd.worker.workflows.SecmasterSyncWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations layer of {@code ssmd up}, started after capture: an embedded PostgreSQL (security
 * master), the operations worker on an embedded Temporal server with the {@code local} schedules
 * seeded and a first security-master sync of each simulated venue, an outbox pump that hands the
 * syncs' change events to the connectors (which add markets that open and drop those that close),
 * the gateway on localhost and the signal agent.
 *
 * <p>The worker resolves environments by name: {@code up} writes {@code <data-dir>/up/exchanges}
 * with the shipped {@code *-local} environments pointed at the ports its simulators really use,
 * so the worker's activities reach them whichever ports were free.
 */
final class UpServices implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UpServices.class);
  static final String PREFIX = "local";

  /**
   * @param exchanges the shipped exchanges directory (environments, feeds, schedules, signals)
   * @param gatewayPort gateway port (0 = any free port)
   */
  record Options(Path dataDir, Path exchanges, int gatewayPort, int temporalPort, boolean worker) {}

  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private final ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "up-outbox-pump");
    t.setDaemon(true);
    return t;
  });
  private Database db;
  private Gateway gateway;
  private Agent agent;
  private WorkerRuntime worker;
  private String gatewayKey;

  /** Starts everything; on failure what was started is stopped again and the error rethrown. */
  static UpServices start(Options o, SimulatedVenues sims, CaptureRuntime capture, PrometheusRegistry registry) {
    UpServices s = new UpServices();
    try {
      s.startAll(o, sims, capture, registry);
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private void startAll(Options o, SimulatedVenues sims, CaptureRuntime capture, PrometheusRegistry registry) {
    EmbeddedDatabase pg = EmbeddedDatabase.start(Optional.of(o.dataDir().resolve("pg")));
    closeables.push(pg);
    db = Database.embedded(pg);
    closeables.push(db);

    // change events: the syncs write them to the outbox; the pump publishes them in-process
    Transport changes = MemoryTransport.start(io.ssmd.transport.PublishListener.NONE);
    closeables.push(changes);
    capture.followSecmaster(changes);
    ChangeOutbox outbox = new ChangeOutbox(db);
    pump.scheduleWithFixedDelay(() -> publishOutbox(outbox, changes), 1, 1, TimeUnit.SECONDS);

    Map<String, Transport> feeds = new LinkedHashMap<>();
    for (String feed : UpCommand.FEEDS) {
      feeds.put(feed, capture.transport(feed));
    }

    ApiKeyStore keys = ApiKeyStore.load(o.dataDir().resolve("gateway-keys.yaml"));
    gatewayKey = keys.addIfNone("local", Clock.systemUTC()).orElse(null);
    gateway = Gateway.start(GatewayOptions.defaults().withHost("127.0.0.1").withPort(o.gatewayPort()),
        feeds.entrySet().stream().map(e -> new FeedSource(e.getKey(), PREFIX, e.getValue())).toList(),
        keys, Optional.of(MarketSource.database(new SecurityMaster(db, Clock.systemUTC()))), registry);
    closeables.push(gateway);

    Path signals = o.exchanges().resolve("signals").resolve("sim.yaml");
    if (Files.isRegularFile(signals)) {
      Transport firings = MemoryTransport.start(io.ssmd.transport.PublishListener.NONE);
      closeables.push(firings);
      agent = Agent.start(AgentOptions.defaults(SignalsFile.load(signals)), PREFIX, feeds, firings, registry);
      closeables.push(agent);
    } else {
      LOG.warn("no signals file {}: the agent is not started", signals);
    }

    if (o.worker()) {
      Path config = writeLocalExchanges(o, sims);
      worker = WorkerRuntime.start(WorkerSettings.embedded(config, o.dataDir(), 0).withEmbeddedPort(o.temporalPort()).withDatabaseUrl(pg.jdbcUrl() + "?user=postgres"), registry);
      closeables.push(worker);
      ScheduleSeeder.seedFile(worker.client(), worker.taskQueue(), config.resolve("schedules").resolve("local.yaml"), true,
          new ScheduleMetrics(registry));
      firstSyncs(worker.client(), worker.taskQueue());
    }
  }

  /** Publishes the outbox of every feed; errors are logged and retried on the next round. */
  private static void publishOutbox(ChangeOutbox outbox, Transport changes) {
    for (String feed : UpCommand.FEEDS) {
      try {
        int n = outbox.publish(changes, PREFIX, feed);
        if (n > 0) {
          LOG.info("published {} security-master change events for {}", n, feed);
        }
      } catch (Exception e) {
        LOG.warn("publishing {} change events: {}", feed, e.toString());
      }
    }
  }

  /** The first security-master sync of each venue, run by the worker so it is visible in its history. */
  private static void firstSyncs(WorkflowClient client, String queue) {
    String stamp = String.valueOf(System.currentTimeMillis());
    WorkflowClient.start(client.newWorkflowStub(SecmasterSyncWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId("up-secmaster-kalshi-local-" + stamp).build())::run,
        new SecmasterSyncInput("kalshi-local", "full", null, null, null, null, null, null));
    for (String env : List.of("kraken-local", "polymarket-local")) {
      WorkflowClient.start(client.newWorkflowStub(ExchangeSyncWorkflow.class,
              WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId("up-exchange-sync-" + env + "-" + stamp).build())::run,
          new ExchangeSyncInput(env));
    }
  }

  /**
   * {@code <data-dir>/up/exchanges}: the shipped feeds, schedules and {@code *-local}
   * environments, with the simulators' addresses replaced by the ports they listen on.
   */
  static Path writeLocalExchanges(Options o, SimulatedVenues sims) {
    Path target = o.dataDir().toAbsolutePath().resolve("up").resolve("exchanges");
    try {
      for (String dir : List.of("feeds", "schedules", "environments")) {
        Files.createDirectories(target.resolve(dir));
      }
      try (var feeds = Files.list(o.exchanges().resolve("feeds"))) {
        for (Path f : feeds.filter(p -> p.toString().endsWith(".yaml")).toList()) {
          Files.copy(f, target.resolve("feeds").resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.copy(o.exchanges().resolve("schedules").resolve("local.yaml"), target.resolve("schedules").resolve("local.yaml"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Map<String, Integer> shipped = Map.of("kalshi", 9101, "kraken", 9102, "polymarket", 9103);
      for (String feed : UpCommand.FEEDS) {
        String text = Files.readString(o.exchanges().resolve("environments").resolve(feed + "-local.yaml"));
        text = text.replace("127.0.0.1:" + shipped.get(feed), "127.0.0.1:" + sims.server(feed).port())
            // the archive and the Kalshi key live in this run's data directory
            .replace("path: ./data", "path: " + o.dataDir().toAbsolutePath())
            .replace("file:./data/sim/kalshi", "file:" + sims.keyDir().toAbsolutePath());
        Files.writeString(target.resolve("environments").resolve(feed + "-local.yaml"), text);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + target + ": " + e.getMessage(), e);
    }
  }

  /** One paragraph for the terminal: where the gateway, the worker and the database are. */
  void describe(PrintStream out) {
    out.printf("gateway %s (REST %s/v1/markets)%s%n", gateway.wsUri(), gateway.httpUri(),
        gatewayKey == null ? ", API keys in gateway-keys.yaml" : ", API key (shown once): " + gatewayKey);
    if (worker != null) {
      out.printf("worker on embedded Temporal %s (task queue %s; TEMPORAL_ADDRESS=%s ssmd day status kalshi-local), schedules"
          + " exchanges/schedules/local.yaml; security master in embedded PostgreSQL%n", worker.temporalAddress(), worker.taskQueue(),
          worker.temporalAddress());
    }
    if (agent != null) {
      out.println("agent: signals of exchanges/signals/sim.yaml on local.signals.>");
    }
  }

  Gateway gateway() {
    return gateway;
  }

  Optional<Agent> agent() {
    return Optional.ofNullable(agent);
  }

  Database database() {
    return db;
  }

  @Override
  public void close() {
    pump.shutdownNow();
    while (!closeables.isEmpty()) {
      AutoCloseable c = closeables.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("stopping {}: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
