package io.ssmd.cli;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.config.CacheType;
import io.ssmd.config.ResolvedEnvironment;
import io.ssmd.config.TransportType;
import io.ssmd.gateway.ApiKeyStore;
import io.ssmd.gateway.FeedSource;
import io.ssmd.gateway.Gateway;
import io.ssmd.gateway.GatewayOptions;
import io.ssmd.gateway.MarketSource;
import io.ssmd.gateway.SlowClientPolicy;
import io.ssmd.observability.HealthServer;
import io.ssmd.secmaster.Database;
import io.ssmd.secmaster.SecurityMaster;
import io.ssmd.secmaster.cache.MarketCache;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ssmd run gateway}: authenticated WebSocket fan-out of the live stream, REST beside it. */
@Command(
    name = "gateway",
    description = {"Serve the environments' live stream to WebSocket clients with API keys (ws://HOST:PORT/v1/ws),",
        "REST GET /v1/markets and /v1/snap/{feed}/{ticker} on the same port; protocol: ssmd-gateway/README.md."},
    mixinStandardHelpOptions = true)
final class RunGateway implements Callable<Integer> {
  @Option(names = "--env", required = true, description = "Environment file or name, one per feed served (repeatable).")
  List<String> envs;

  @Option(names = "--api-keys", required = true, description = "API keys file (YAML, hashed keys; create with: ssmd gateway key add NAME --file FILE).")
  Path apiKeys;

  @Option(names = "--port", defaultValue = "" + GatewayOptions.DEFAULT_PORT, description = "WebSocket and REST port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Interface to bind (default: ${DEFAULT-VALUE}; 127.0.0.1 for loopback only).")
  String host;

  @Option(names = "--health-port", defaultValue = "" + HealthServer.DEFAULT_PORT, description = "Port of /health, /ready, /metrics (default: ${DEFAULT-VALUE}).")
  int healthPort;

  @Option(names = "--queue-size", defaultValue = "" + GatewayOptions.DEFAULT_QUEUE_SIZE, description = "Messages queued per client before the slow-client policy applies (default: ${DEFAULT-VALUE}).")
  int queueSize;

  @Option(names = "--slow-client", defaultValue = "drop_oldest", description = "drop_oldest (notice + oldest messages dropped) or disconnect (default: ${DEFAULT-VALUE}).")
  String slowClient;

  @Option(names = "--auth-timeout", defaultValue = "10s", description = "Time a client without a key header has to send {\"op\":\"auth\"} (default: ${DEFAULT-VALUE}).")
  String authTimeout;

  @Option(names = "--database-url", description = "Security master for /v1/markets: jdbc:postgresql://… or postgres://… (default: $DATABASE_URL; else the environment's Redis cache; else 503).")
  String databaseUrl;

  @Override
  public Integer call() throws InterruptedException {
    GatewayOptions options = options();
    if (!Files.exists(apiKeys)) {
      throw new UsageException("--api-keys " + apiKeys + " does not exist; create a key with: ssmd gateway key add NAME --file " + apiKeys);
    }
    ApiKeyStore keys;
    try {
      keys = ApiKeyStore.load(apiKeys);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (keys.keys().stream().noneMatch(k -> k.revoked() == null)) {
      throw new UsageException(apiKeys + " holds no valid key: nobody could connect; add one with: ssmd gateway key add NAME --file " + apiKeys);
    }
    List<ResolvedEnvironment> resolved = new ArrayList<>();
    for (String env : envs) {
      ResolvedEnvironment r = RunCommand.resolve(env, null);
      if (r.environment().transport().type() != TransportType.NATS) {
        throw new UsageException(r.environmentFile() + ": the gateway reads the live stream from NATS; transport.type is "
            + r.environment().transport().type().configName() + " (a memory transport lives inside one process: ssmd up runs the gateway on it)");
      }
      if (resolved.stream().anyMatch(o -> o.feedName().equals(r.feedName()))) {
        throw new UsageException("--env " + env + ": feed " + r.feedName() + " is already served by another --env; give each feed once");
      }
      resolved.add(r);
    }
    List<AutoCloseable> owned = new ArrayList<>();
    List<FeedSource> feeds = new ArrayList<>();
    for (ResolvedEnvironment r : resolved) {
      Transport t = Transports.open(r, PublishListener.NONE);
      owned.add(t);
      feeds.add(new FeedSource(r.feedName(), r.subjectPrefix(), t));
    }
    Optional<MarketSource> markets = markets(resolved, owned);
    PrometheusRegistry registry = new PrometheusRegistry();
    Gateway gateway = Gateway.start(options, feeds, keys, markets, registry);
    HealthServer health = HealthServer.start(healthPort, registry, gateway.readiness());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      health.close();
      for (AutoCloseable c : owned.reversed()) {
        try {
          c.close();
        } catch (Exception ignored) {
          // shutting down: nothing left to report to
        }
      }
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return Main.EXIT_OK;
  }

  GatewayOptions options() {
    SlowClientPolicy policy;
    Duration auth;
    try {
      policy = SlowClientPolicy.parse(slowClient);
      auth = Duration.parse("PT" + authTimeout.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
      throw new UsageException(e instanceof java.time.format.DateTimeParseException
          ? "--auth-timeout must be a duration like 10s or 1m, got '" + authTimeout + "'" : "--slow-client: " + e.getMessage());
    }
    try {
      return GatewayOptions.defaults().withHost(host).withPort(port).withQueue(queueSize, policy).withAuthTimeout(auth);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** DATABASE_URL / --database-url, else the first environment's Redis cache, else none (/v1/markets answers 503). */
  private Optional<MarketSource> markets(List<ResolvedEnvironment> envs, List<AutoCloseable> owned) {
    String url = databaseUrl != null ? databaseUrl : System.getenv("DATABASE_URL");
    if (url != null && !url.isBlank()) {
      Database db;
      try {
        db = Database.fromUrl(url);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--database-url / DATABASE_URL: " + e.getMessage());
      }
      owned.add(db);
      return Optional.of(MarketSource.database(new SecurityMaster(db, Clock.systemUTC())));
    }
    for (ResolvedEnvironment r : envs) {
      var cache = r.environment().cache();
      if (cache.type() == CacheType.REDIS) {
        MarketCache c = new MarketCache(cache.url().toString());
        owned.add(c);
        return Optional.of(MarketSource.cache(c));
      }
    }
    return Optional.empty();
  }
}
