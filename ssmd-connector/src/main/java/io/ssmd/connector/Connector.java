package io.ssmd.connector;

import io.ssmd.observability.RateLimitedLogger;
import io.ssmd.transport.Transport;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared WebSocket session base: captures one venue's feed into the transport.
 *
 * <p>Markets are split into connections (shards) of at most {@code maxMarketsPerConnection};
 * shard 0 is the {@linkplain SessionContext#primary() primary} and exists even with no markets, so
 * market-independent channels (lifecycle) have a connection: a venue session subscribes those
 * from {@link Venue#open} when {@code context.primary()}, since {@link VenueSession#subscribe} is
 * only called with markets. With {@code podShardCount > 1}, this pod only takes the markets
 * {@link ConnectorOptions#ownsMarket} assigns to it.
 *
 * <p>Every connection: connects with fresh {@link Venue#handshakeHeaders}, opens a {@link
 * VenueSession}, subscribes its markets in paced batches, routes every received text message
 * through the session and publishes {@link Routed.Publish} results as {@link
 * io.ssmd.transport.Envelope}s on {@code {env}.{feed}.json.{type}.{ticker}}. It pings at the
 * keep-alive interval and tracks pong age and data age separately (a sent ping is not activity): no
 * pong within {@code pongTimeout} or, with markets subscribed, no data within {@code noDataTimeout}
 * aborts the socket. Lost connections are retried forever with jittered exponential backoff;
 * rejected credentials (HTTP 401/403, {@link AuthException}) wait {@code authBackoff}.
 *
 * <p>Message ids are {@code <connId>-<frameNo>[-<element>]} with {@code connId =
 * <prefix>-<podShard>-<shard>-<epochMillis of connect>}: unique across reconnects and restarts,
 * and stable across the transport's publish retries.
 *
 * <p>Thread-safe. {@link #start} once, then {@link #addMarkets}/{@link #removeMarkets} at any time,
 * {@link #close} at the end.
 */
public final class Connector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Connector.class);

  private final ConnectorOptions options;
  private final Venue venue;
  private final Transport transport;
  private final ConnectorMetrics metrics;
  private final int maxPerConnection;
  private final Connection.Shared shared;
  private final ScheduledThreadPoolExecutor scheduler;
  private final ExecutorService httpExecutor;
  private final HttpClient http;
  private final List<Connection> connections = new ArrayList<>(); // guarded by this
  private final Map<String, Connection> owners = new HashMap<>(); // guarded by this
  private boolean started; // guarded by this
  private boolean closed; // guarded by this

  public Connector(ConnectorOptions options, Venue venue, Transport transport, ConnectorMetrics metrics) {
    this.options = Objects.requireNonNull(options, "options");
    this.venue = Objects.requireNonNull(venue, "venue");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    String feed = venue.feed();
    if (!feed.equals(metrics.feed())) {
      throw new IllegalArgumentException(
          "metrics are for feed '" + metrics.feed() + "' but the venue is '" + feed + "'; create them with ConnectorMetrics.create(registry, \"" + feed + "\")");
    }
    this.maxPerConnection = options.maxMarketsPerConnection() > 0 ? options.maxMarketsPerConnection() : venue.maxMarketsPerConnection();
    if (maxPerConnection < 1) {
      throw new IllegalArgumentException("venue " + feed + " reports maxMarketsPerConnection " + maxPerConnection + "; set maxMarketsPerConnection in the options");
    }
    KeepAlive keepAlive = Objects.requireNonNull(venue.keepAlive(), "venue.keepAlive()");
    Duration pingInterval = options.clientPingInterval() != null ? options.clientPingInterval() : keepAlive.interval();
    AtomicInteger threads = new AtomicInteger();
    this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "ssmd-" + feed + "-timer");
      t.setDaemon(true);
      return t;
    });
    scheduler.setRemoveOnCancelPolicy(true);
    this.httpExecutor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "ssmd-" + feed + "-ws-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder().executor(httpExecutor).connectTimeout(options.connectTimeout()).build();
    this.shared = new Connection.Shared(
        options, venue, transport, metrics, http, scheduler, feed,
        options.connectionIdPrefix() != null ? options.connectionIdPrefix() : feed,
        pingInterval, keepAlive.textPing(),
        watchdogTick(pingInterval, options),
        new RateLimitedLogger(LoggerFactory.getLogger(Connection.class)));
    metrics.bind(this);
  }

  /** Watchdog resolution: a quarter of the shortest deadline, between 5 ms and 1 s. */
  private static Duration watchdogTick(Duration ping, ConnectorOptions options) {
    long shortest = Math.min(ping.toNanos(), Math.min(options.pongTimeout().toNanos(), options.noDataTimeout().toNanos()));
    return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(5), Math.min(TimeUnit.SECONDS.toNanos(1), shortest / 4)));
  }

  public String feed() {
    return shared.feed();
  }

  /** Markets per connection in effect (the option, else the venue's limit). */
  public int maxMarketsPerConnection() {
    return maxPerConnection;
  }

  /** Opens the connections for {@code markets} (this pod's share of them); returns at once. */
  public synchronized void start(List<String> markets) {
    if (started) {
      throw new IllegalStateException("connector for " + feed() + " already started");
    }
    if (closed) {
      throw new IllegalStateException("connector for " + feed() + " is closed");
    }
    started = true;
    List<String> mine = owned(markets);
    List<List<String>> chunks = new ArrayList<>();
    for (int i = 0; i < mine.size(); i += maxPerConnection) {
      chunks.add(mine.subList(i, Math.min(mine.size(), i + maxPerConnection)));
    }
    if (chunks.isEmpty()) {
      chunks.add(List.of()); // shard 0 carries the market-independent channels
    }
    LOG.atInfo().addKeyValue("feed", feed()).addKeyValue("markets", mine.size()).addKeyValue("connections", chunks.size())
        .log("starting {} connector on {}", feed(), options.endpoint());
    for (List<String> chunk : chunks) {
      openConnection(chunk);
    }
  }

  /**
   * Adds markets while running: this pod's share of them ({@link ConnectorOptions#ownsMarket}) that
   * are not subscribed yet fill the existing connections in shard order up to the per-connection
   * limit, then new connections open for the rest. Each connection's venue session subscribes them
   * incrementally (Kalshi {@code update_subscription add_markets} on its sid, Kraken and Polymarket
   * subscribe per symbol or asset), so the markets already there are untouched. Idempotent: markets
   * already held are skipped. They are part of the desired set a connection resubscribes after a
   * reconnect.
   *
   * @return the number of markets actually added
   */
  public synchronized int addMarkets(Collection<String> markets) {
    requireRunning();
    List<String> fresh = new ArrayList<>();
    for (String market : owned(markets)) {
      if (!owners.containsKey(market)) {
        fresh.add(market);
      }
    }
    int next = 0;
    for (Connection connection : connections) {
      int room = maxPerConnection - connection.marketCount();
      if (room <= 0 || next >= fresh.size()) {
        continue;
      }
      List<String> part = fresh.subList(next, Math.min(fresh.size(), next + room));
      next += part.size();
      part.forEach(m -> owners.put(m, connection));
      connection.add(List.copyOf(part));
    }
    while (next < fresh.size()) {
      List<String> part = fresh.subList(next, Math.min(fresh.size(), next + maxPerConnection));
      next += part.size();
      openConnection(part);
    }
    if (!fresh.isEmpty()) {
      metrics.subscriptionChanged(ConnectorMetrics.ACTION_ADD, fresh.size());
      LOG.atInfo().addKeyValue("feed", feed()).addKeyValue("markets", fresh.size()).addKeyValue("subscribed", owners.size())
          .log("added {} market(s): {}", fresh.size(), abbreviate(fresh));
    }
    return fresh.size();
  }

  /**
   * Removes markets while running: only the connection that holds a market unsubscribes it (Kalshi
   * {@code update_subscription delete_markets} on the sid that holds it), so the rest of its batch
   * is untouched. Idempotent: markets not held are skipped. A connection left empty stays open and
   * is filled first by the next {@link #addMarkets}.
   *
   * @return the number of markets actually removed
   */
  public synchronized int removeMarkets(Collection<String> markets) {
    requireRunning();
    Map<Connection, List<String>> byConnection = new LinkedHashMap<>();
    for (String market : new LinkedHashSet<>(markets)) {
      Connection owner = owners.remove(market);
      if (owner != null) {
        byConnection.computeIfAbsent(owner, c -> new ArrayList<>()).add(market);
      }
    }
    byConnection.forEach(Connection::remove);
    int removed = byConnection.values().stream().mapToInt(List::size).sum();
    if (removed > 0) {
      metrics.subscriptionChanged(ConnectorMetrics.ACTION_REMOVE, removed);
      List<String> all = byConnection.values().stream().flatMap(List::stream).toList();
      LOG.atInfo().addKeyValue("feed", feed()).addKeyValue("markets", removed).addKeyValue("subscribed", owners.size())
          .log("removed {} market(s): {}", removed, abbreviate(all));
    }
    return removed;
  }

  /** The markets this connector holds now (its desired set, over all connections). */
  public synchronized java.util.Set<String> markets() {
    return java.util.Set.copyOf(owners.keySet());
  }

  /** True once started and until closed: {@link #addMarkets}/{@link #removeMarkets} are accepted. */
  public synchronized boolean running() {
    return started && !closed;
  }

  private static String abbreviate(List<String> markets) {
    return markets.size() <= 10 ? String.valueOf(markets) : markets.subList(0, 10) + " and " + (markets.size() - 10) + " more";
  }

  /** Status of every connection, with totals and readiness. */
  public ConnectorStatus status() {
    List<Connection> snapshot;
    synchronized (this) {
      snapshot = List.copyOf(connections);
    }
    List<ConnectorStatus.Connection> statuses = new ArrayList<>(snapshot.size());
    for (Connection connection : snapshot) {
      statuses.add(connection.status());
    }
    return new ConnectorStatus(feed(), statuses, notReadyReasons(snapshot));
  }

  /** Ready when every shard is connected and every shard with markets had data within noDataTimeout. */
  public boolean ready() {
    return notReadyReasons().isEmpty();
  }

  /** Why the connector is not ready (empty when ready); usable as a readiness check of the health server. */
  public List<String> notReadyReasons() {
    List<Connection> snapshot;
    synchronized (this) {
      snapshot = List.copyOf(connections);
    }
    return notReadyReasons(snapshot);
  }

  private List<String> notReadyReasons(List<Connection> snapshot) {
    synchronized (this) {
      if (closed) {
        return List.of(feed() + " connector closed");
      }
      if (!started) {
        return List.of(feed() + " connector not started");
      }
    }
    List<String> reasons = new ArrayList<>();
    for (Connection connection : snapshot) {
      String reason = connection.notReadyReason();
      if (reason != null) {
        reasons.add(reason);
      }
    }
    return reasons;
  }

  /**
   * Closes the sockets (close handshake, bounded by closeTimeout), lets frames already received
   * finish publishing, then flushes the transport within closeTimeout. The transport itself stays
   * open: it belongs to the caller.
   */
  @Override
  public void close() {
    List<Connection> snapshot;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      snapshot = List.copyOf(connections);
    }
    Duration timeout = options.closeTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (Connection connection : snapshot) {
      closing.add(connection.close(timeout));
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      for (Connection connection : snapshot) {
        connection.awaitLoop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      }
    } catch (TimeoutException e) {
      LOG.warn("{} connector: sockets did not close within {}", feed(), timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      LOG.warn("{} connector: closing a socket failed", feed(), e.getCause());
    }
    scheduler.shutdownNow();
    boolean flushed = transport.flush(Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadline - System.nanoTime())));
    if (!flushed) {
      LOG.atWarn().addKeyValue("feed", feed()).addKeyValue("pending", transport.pending())
          .log("{} connector: transport not flushed within {}", feed(), timeout);
    }
    http.shutdownNow();
    httpExecutor.shutdownNow();
    ConnectorStatus status = status();
    LOG.atInfo().addKeyValue("feed", feed()).addKeyValue("received", status.messagesReceived())
        .addKeyValue("published", status.messagesPublished()).log("{} connector closed", feed());
  }

  // ---- used by ConnectorMetrics gauges ----

  Map<String, Integer> connectionStates() {
    List<Connection> snapshot;
    synchronized (this) {
      snapshot = List.copyOf(connections);
    }
    Map<String, Integer> counts = new HashMap<>();
    for (Connection connection : snapshot) {
      counts.merge(connection.state(), 1, Integer::sum);
    }
    return counts;
  }

  ConnectorMetrics metrics() {
    return metrics;
  }

  synchronized int marketCount() {
    return owners.size();
  }

  private void openConnection(List<String> markets) {
    Connection connection = new Connection(shared, connections.size(), List.copyOf(markets));
    connections.add(connection);
    markets.forEach(m -> owners.put(m, connection));
    connection.start();
  }

  private List<String> owned(Collection<String> markets) {
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    for (String market : markets) {
      if (market != null && !market.isBlank() && options.ownsMarket(market)) {
        unique.add(market);
      }
    }
    return new ArrayList<>(unique);
  }

  private void requireRunning() {
    if (!started || closed) {
      throw new IllegalStateException("connector for " + feed() + " is " + (closed ? "closed" : "not started"));
    }
  }
}
