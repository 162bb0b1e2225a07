package io.ssmd.gateway;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.data.Feeds;
import io.ssmd.market.Normalizer;
import io.ssmd.observability.ReadinessCheck;
import io.ssmd.transport.Subjects;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: reads feeds from their transports, keeps the latest ticker and book per symbol,
 * and fans out to authenticated WebSocket clients on {@value #WS_PATH}, with REST beside it
 * ({@code /v1/markets}, {@code /v1/snap/{feed}/{ticker}}) on the same port. Protocol reference:
 * ssmd-gateway/README.md.
 *
 * <p>Embedding ({@code ssmd up}): {@code Gateway.start(options, feeds, keys, markets, registry)},
 * serve {@link #readiness()} and the registry on the process's health server, {@link #close()} at
 * shutdown. The transports and the market source are the caller's: not closed here.
 */
public final class Gateway implements AutoCloseable {
  /** The WebSocket endpoint. */
  public static final String WS_PATH = "/v1/ws";
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  private static final long REVOCATION_CHECK_MILLIS = 500;

  private final GatewayOptions options;
  private final List<FeedSource> sources;
  private final ApiKeyStore keys;
  private final GatewayMetrics metrics;
  private final Hub hub;
  private final Server server;
  private final ServerConnector connector;
  private final ScheduledExecutorService scheduler;
  private final Map<Long, ClientSession> clients = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final List<AutoCloseable> subscriptions = new ArrayList<>();
  private volatile boolean closing;
  private final io.ssmd.observability.RateLimitedLogger revocationWarn = new io.ssmd.observability.RateLimitedLogger(LOG);

  private Gateway(GatewayOptions options, List<FeedSource> sources, ApiKeyStore keys, Optional<MarketSource> markets,
      PrometheusRegistry registry) {
    this.options = options;
    this.sources = List.copyOf(sources);
    this.keys = keys;
    this.metrics = new GatewayMetrics(registry, feeds());
    Map<String, Normalizer> normalizers = new LinkedHashMap<>();
    for (FeedSource s : sources) {
      normalizers.put(Subjects.sanitize(s.feed()), Feeds.normalizer(s.feed()));
    }
    this.hub = new Hub(normalizers, metrics, options.maxSymbols());
    this.scheduler = Executors.newScheduledThreadPool(1, r -> {
      Thread t = new Thread(r, "ssmd-gateway-timer");
      t.setDaemon(true);
      return t;
    });
    QueuedThreadPool pool = new QueuedThreadPool(64, 4);
    pool.setName("ssmd-gateway");
    this.server = new Server(pool);
    this.connector = new ServerConnector(server);
    connector.setHost(options.host());
    connector.setPort(options.port());
    server.addConnector(connector);
    ContextHandler context = new ContextHandler("/");
    WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, context, container -> {
      container.setMaxTextMessageSize(options.maxCommandBytes());
      container.setMaxBinaryMessageSize(options.maxCommandBytes());
      container.setIdleTimeout(options.idleTimeout());
      container.addMapping(WS_PATH, this::upgrade);
    });
    ws.setHandler(new RestHandler(this, markets));
    context.setHandler(ws);
    server.setHandler(context);
  }

  /**
   * Starts serving and subscribes every feed at {@code Transport.NEW}.
   *
   * @param feeds one entry per feed (a feed name appears once)
   * @param keys the API keys clients must present
   * @param markets what {@code /v1/markets} reads; empty answers 503
   * @throws IllegalArgumentException for an unknown or repeated feed
   * @throws IllegalStateException when the port cannot be bound
   */
  public static Gateway start(GatewayOptions options, List<FeedSource> feeds, ApiKeyStore keys, Optional<MarketSource> markets,
      PrometheusRegistry registry) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(markets, "markets");
    Objects.requireNonNull(registry, "registry");
    if (feeds.isEmpty()) {
      throw new IllegalArgumentException("the gateway needs at least one feed");
    }
    if (feeds.stream().map(FeedSource::feed).distinct().count() != feeds.size()) {
      throw new IllegalArgumentException("each feed may be given once, got " + feeds.stream().map(FeedSource::feed).toList());
    }
    Gateway g = new Gateway(options, feeds, keys, markets, registry);
    try {
      g.server.start();
    } catch (Exception e) {
      g.close();
      throw new IllegalStateException("cannot start the gateway on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
    }
    for (FeedSource s : g.sources) {
      String feed = Subjects.sanitize(s.feed());
      String prefix = s.subjectFilter().substring(0, s.subjectFilter().length() - 1);
      g.subscriptions.add(s.transport().subscribe(s.subjectFilter(), io.ssmd.transport.Transport.NEW, d -> {
        if (d.subject().startsWith(prefix)) {
          g.hub.onMessage(feed, d.subject().substring(prefix.length()), d);
        }
      }));
    }
    long ping = options.pingInterval().toMillis();
    g.scheduler.scheduleAtFixedRate(() -> g.clients.values().forEach(ClientSession::ping), ping, ping, TimeUnit.MILLISECONDS);
    // the store re-reads its file at most every second, so a revocation ends open sessions within about two
    g.scheduler.scheduleWithFixedDelay(g::closeRevokedSessions, REVOCATION_CHECK_MILLIS, REVOCATION_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    LOG.atInfo().addKeyValue("port", g.port()).addKeyValue("feeds", g.feeds()).addKeyValue("queue_size", options.queueSize())
        .addKeyValue("slow_client", options.slowClient().configName()).addKeyValue("keys", keys.keys().size())
        .log("gateway listening on {}", g.wsUri());
    return g;
  }

  /** The bound port (the real one when started with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** {@code ws://host:port/v1/ws} (loopback when bound to every interface). */
  public URI wsUri() {
    return URI.create("ws://" + host() + ":" + port() + WS_PATH);
  }

  /** {@code http://host:port} of the REST endpoints. */
  public URI httpUri() {
    return URI.create("http://" + host() + ":" + port());
  }

  private String host() {
    String h = options.host();
    return h.equals("0.0.0.0") || h.isEmpty() ? "127.0.0.1" : h;
  }

  /** Feed names served. */
  public List<String> feeds() {
    return sources.stream().map(s -> Subjects.sanitize(s.feed())).toList();
  }

  /** Ready while the server runs and every feed's transport is connected. */
  public ReadinessCheck readiness() {
    return () -> {
      List<String> reasons = new ArrayList<>();
      if (!server.isStarted() || closing) {
        reasons.add("gateway server not running");
      }
      for (FeedSource s : sources) {
        if (!s.transport().connected()) {
          reasons.add("transport of feed " + s.feed() + " not connected");
        }
      }
      return reasons;
    };
  }

  /** Every connected client, for operators and tests. */
  public List<ClientStats> clients() {
    return clients.values().stream().map(ClientSession::stats).toList();
  }

  @Override
  public void close() {
    closing = true;
    for (AutoCloseable s : subscriptions) {
      try {
        s.close();
      } catch (Exception e) {
        LOG.atWarn().log("closing a transport subscription failed: {}", e.toString());
      }
    }
    for (ClientSession c : clients.values()) {
      c.close(ClientSession.CLOSE_GOING_AWAY, GatewayMetrics.Reasons.SHUTDOWN, "gateway shutting down");
    }
    try {
      server.stop();
    } catch (Exception e) {
      LOG.atWarn().log("stopping the gateway server failed: {}", e.toString());
    }
    scheduler.shutdownNow();
  }

  private Object upgrade(ServerUpgradeRequest req, ServerUpgradeResponse resp, org.eclipse.jetty.util.Callback cb) {
    if (closing) {
      RestHandler.error(resp, cb, 503, "shutting_down", "gateway shutting down");
      return null;
    }
    Format format;
    try {
      format = Format.parse(Request.extractQueryParameters(req).getValue("format"));
    } catch (IllegalArgumentException e) {
      RestHandler.error(resp, cb, 400, "bad_request", e.getMessage());
      return null;
    }
    String presented = presentedKey(req.getHeaders());
    ApiKey key = null;
    if (presented != null) {
      AuthResult r = keys.authenticate(presented);
      if (r instanceof AuthResult.Refused f) {
        metrics.authFailures.labelValues(f.reason()).inc();
        RestHandler.error(resp, cb, f.reason().equals(GatewayMetrics.Reasons.REVOKED) ? 403 : 401, "unauthorized", f.message());
        return null;
      }
      key = ((AuthResult.Accepted) r).key();
    }
    String remote = Request.getRemoteAddr(req) + ":" + Request.getRemotePort(req);
    return new ClientSession(this, ids.incrementAndGet(), remote, key, format);
  }

  /**
   * Closes (4403) every open session whose key the store now reports revoked, or no longer holds
   * (deleted from the keys file): a revocation must cut access that is already established, not
   * only refuse the next connection. Runs on the timer thread; a keys file that cannot be read
   * (half-edited by hand) keeps the keys last read, and is tried again on the next run.
   */
  void closeRevokedSessions() {
    if (clients.isEmpty()) {
      return;
    }
    List<ApiKey> current;
    try {
      current = keys.keys();
    } catch (RuntimeException e) {
      revocationWarn.warn("keys", "gateway: cannot re-read the API keys ({}); open sessions keep their keys until it can", e.getMessage());
      return;
    }
    Map<String, ApiKey> byHash = new java.util.HashMap<>();
    for (ApiKey k : current) {
      byHash.put(k.hash(), k);
    }
    for (ClientSession c : clients.values()) {
      ApiKey held = c.key();
      if (held == null) {
        continue;
      }
      ApiKey now = byHash.get(held.hash());
      if (now == null || now.revoked() != null) {
        String why = now == null ? "was removed from the keys file" : "was revoked at " + now.revoked();
        LOG.atInfo().addKeyValue("client", c.id()).addKeyValue("key", held.name()).log("closing session: API key {}", why);
        c.close(ClientSession.CLOSE_FORBIDDEN, GatewayMetrics.Reasons.REVOKED, "API key '" + held.name() + "' " + why);
      }
    }
  }

  /** The key from {@code Authorization: Bearer <key>} or {@code X-API-Key}, or null. */
  static String presentedKey(HttpFields headers) {
    String auth = headers.get(HttpHeader.AUTHORIZATION);
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String k = auth.substring(7).trim();
      return k.isEmpty() ? null : k;
    }
    String x = headers.get("X-API-Key");
    return x == null || x.isBlank() ? null : x.trim();
  }

  void opened(ClientSession c) {
    clients.put(idOf(c), c);
    metrics.clients.set(clients.size());
  }

  void closed(ClientSession c, String reason) {
    hub.remove(c);
    if (clients.remove(idOf(c)) != null) {
      metrics.disconnects.labelValues(reason).inc();
    }
    metrics.clients.set(clients.size());
  }

  private static long idOf(ClientSession c) {
    return c.id();
  }

  GatewayOptions options() {
    return options;
  }

  GatewayMetrics metrics() {
    return metrics;
  }

  ApiKeyStore keys() {
    return keys;
  }

  Hub hub() {
    return hub;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }
}
