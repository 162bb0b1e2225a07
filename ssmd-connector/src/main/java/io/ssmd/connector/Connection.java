package io.ssmd.connector;

import io.ssmd.observability.RateLimitedLogger;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard: a WebSocket connection that reconnects forever, with its markets, keep-alive and
 * watchdogs. Each connect creates an {@link Attempt} (its own connection id, venue session, frame
 * counter); nothing from an ended attempt leaks into the next.
 *
 * <p>Threads: every {@link VenueSession} call runs on this shard's single {@code loop} thread (the
 * SPI promises no concurrency). The JDK client delivers listener callbacks on its own threads; a
 * complete message is handed to the loop and the next one is requested only after it was
 * processed and published, so a slow transport back-pressures the socket (TCP window) instead of
 * buffering without bound. Watchdogs and timers run on the connector's shared scheduler.
 */
final class Connection {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  /** What a shard needs from its connector; shared by all shards. */
  record Shared(
      ConnectorOptions options,
      Venue venue,
      Transport transport,
      ConnectorMetrics metrics,
      HttpClient http,
      ScheduledExecutorService scheduler,
      String feed,
      String idPrefix,
      Duration pingInterval,
      String textPing,
      Duration tick,
      RateLimitedLogger rateLimited) {}

  private final Shared shared;
  private final int shard;
  private final ConnectorOptions options;
  private final Backoff backoff;
  private final ExecutorService loop;
  private final Object lock = new Object();
  private final LinkedHashSet<String> markets = new LinkedHashSet<>(); // guarded by lock

  private volatile Attempt current;
  private volatile String state = ConnectorMetrics.STATE_CONNECTING;
  private volatile boolean closed;
  private volatile String lastError;
  private volatile String lastConnId;
  private volatile long lastDataNanos;
  private volatile long lastPongNanos;
  private final AtomicLong framesReceived = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong gaps = new AtomicLong();
  private final AtomicLong resyncs = new AtomicLong();
  private int consecutiveFailures; // guarded by lock
  private long lastEpochMillis; // loop-confined
  private ScheduledFuture<?> watchdog;

  Connection(Shared shared, int shard, List<String> initialMarkets) {
    this.shared = shared;
    this.shard = shard;
    this.options = shared.options();
    this.backoff = new Backoff(options.backoffMin(), options.backoffMax());
    this.markets.addAll(initialMarkets);
    this.loop =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "ssmd-" + shared.feed() + "-shard-" + shard);
              t.setDaemon(true);
              return t;
            });
  }

  int shard() {
    return shard;
  }

  void start() {
    long tickNanos = shared.tick().toNanos();
    watchdog = shared.scheduler().scheduleAtFixedRate(this::watchdogTick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    execute(this::connect);
  }

  int marketCount() {
    synchronized (lock) {
      return markets.size();
    }
  }

  boolean owns(String market) {
    synchronized (lock) {
      return markets.contains(market);
    }
  }

  String state() {
    return state;
  }

  /** Adds markets; subscribes them now when the session is up, else on (re)connect. */
  void add(List<String> added) {
    Attempt a;
    synchronized (lock) {
      markets.addAll(added);
      a = current;
      if (a == null || !a.ready) {
        return;
      }
    }
    a.scheduleSubscribe(added);
  }

  /** Removes markets; only this connection's session is told to unsubscribe them. */
  void remove(List<String> removed) {
    Attempt a;
    synchronized (lock) {
      removed.forEach(markets::remove);
      a = current;
    }
    if (a != null) {
      List<String> copy = List.copyOf(removed);
      execute(() -> a.unsubscribe(copy));
    }
  }

  ConnectorStatus.Connection status() {
    long now = System.nanoTime();
    long data = lastDataNanos;
    long pong = lastPongNanos;
    return new ConnectorStatus.Connection(
        shard, lastConnId, state, marketCount(), framesReceived.get(), shared.metrics().publishedOnShard(shard),
        reconnects.get(), gaps.get(), resyncs.get(),
        data == 0 ? null : Duration.ofNanos(now - data),
        pong == 0 ? null : Duration.ofNanos(now - pong),
        lastError);
  }

  /** Why this shard is not ready (not connected, or subscribed and silent past noDataTimeout); null when ready. */
  String notReadyReason() {
    Attempt a = current;
    if (a == null || !a.ready) {
      return shared.feed() + " shard " + shard + " not connected" + (lastError == null ? "" : " (last error: " + lastError + ")");
    }
    if (a.subscribedCount > 0) {
      long silent = System.nanoTime() - a.dataClockNanos;
      if (silent > options.noDataTimeout().toNanos()) {
        return shared.feed() + " shard " + shard + " has received no data for " + Duration.ofNanos(silent).toSeconds() + "s";
      }
    }
    return null;
  }

  /** Closes the socket gracefully and stops reconnecting; returns when done or after the timeout. */
  CompletableFuture<Void> close(Duration timeout) {
    closed = true;
    if (watchdog != null) {
      watchdog.cancel(false);
    }
    Attempt a;
    synchronized (lock) {
      a = current;
      current = null;
    }
    state = "closed";
    CompletableFuture<Void> done = a == null ? CompletableFuture.completedFuture(null) : a.closeGracefully(timeout);
    return done.whenComplete((v, e) -> loop.shutdown());
  }

  boolean awaitLoop(Duration timeout) throws InterruptedException {
    return loop.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void execute(Runnable task) {
    if (loop.isShutdown()) {
      return;
    }
    try {
      loop.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          // Nothing may escape the loop thread silently (STYLE: errors in long-running loops).
          shared.metrics().error(ConnectorMetrics.ERROR_HANDLER);
          shared.rateLimited().error("loop-" + shard, "{} shard {}: unexpected error", shared.feed(), shard, e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closing: the loop no longer takes work, which is what close() wants.
    }
  }

  // ---- connect / reconnect ----

  private void connect() {
    if (closed) {
      return;
    }
    state = ConnectorMetrics.STATE_CONNECTING;
    long epochMillis = Math.max(System.currentTimeMillis(), lastEpochMillis + 1);
    lastEpochMillis = epochMillis;
    String connId = shared.idPrefix() + "-" + options.podShardIndex() + "-" + shard + "-" + epochMillis;
    Attempt attempt = new Attempt(connId);
    synchronized (lock) {
      current = attempt;
    }
    lastConnId = connId;
    URI endpoint = options.endpoint();
    Map<String, String> headers;
    try {
      headers = shared.venue().handshakeHeaders(endpoint);
    } catch (AuthException e) {
      authRejected(attempt, "credentials unusable: " + e.getMessage());
      return;
    } catch (RuntimeException e) {
      shared.metrics().error(ConnectorMetrics.ERROR_HANDLER);
      LOG.error("{} shard {}: building the handshake headers failed", shared.feed(), shard, e);
      attempt.end(ConnectorMetrics.RECONNECT_CONNECT_FAILED, "handshake headers: " + e.getMessage());
      return;
    }
    WebSocket.Builder builder = shared.http().newWebSocketBuilder().connectTimeout(options.connectTimeout());
    try {
      headers.forEach(builder::header);
    } catch (IllegalArgumentException e) {
      // The JDK refuses restricted headers (Host, Upgrade, Sec-WebSocket-*); only the name is safe to log.
      shared.metrics().error(ConnectorMetrics.ERROR_CONNECT);
      LOG.error("{} shard {}: the venue supplied a handshake header the WebSocket client refuses: {}",
          shared.feed(), shard, e.getMessage());
      attempt.end(ConnectorMetrics.RECONNECT_CONNECT_FAILED, "restricted handshake header");
      return;
    }
    LOG.atDebug().addKeyValue("feed", shared.feed()).addKeyValue("shard", shard).addKeyValue("conn", connId)
        .log("connecting to {}", endpoint);
    builder.buildAsync(endpoint, attempt).whenComplete((ws, error) -> {
      if (error != null) {
        connectFailed(attempt, error);
      } else if (attempt.ended.get()) {
        ws.abort();
      }
    });
  }

  private void connectFailed(Attempt attempt, Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && !(cause instanceof WebSocketHandshakeException)) {
      cause = cause.getCause();
    }
    if (cause instanceof WebSocketHandshakeException handshake) {
      int status = handshake.getResponse().statusCode();
      if (status == 401 || status == 403) {
        authRejected(attempt, "HTTP " + status);
        return;
      }
      shared.metrics().error(ConnectorMetrics.ERROR_CONNECT);
      shared.rateLimited().warn("connect-" + shard, "{} shard {}: WebSocket upgrade refused (HTTP {})",
          shared.feed(), shard, status);
      attempt.end(ConnectorMetrics.RECONNECT_CONNECT_FAILED, "upgrade refused: HTTP " + status);
      return;
    }
    shared.metrics().error(ConnectorMetrics.ERROR_CONNECT);
    shared.rateLimited().warn("connect-" + shard, "{} shard {}: connect to {} failed: {}",
        shared.feed(), shard, options.endpoint(), String.valueOf(cause));
    attempt.end(ConnectorMetrics.RECONNECT_CONNECT_FAILED, "connect failed: " + cause);
  }

  private void authRejected(Attempt attempt, String detail) {
    shared.metrics().error(ConnectorMetrics.ERROR_AUTH);
    // Fatal until an operator fixes the credentials: say what to check, never the headers themselves.
    LOG.atError().addKeyValue("feed", shared.feed()).addKeyValue("shard", shard)
        .log("authentication rejected by {} ({}): check the API key and private key; retrying in {}",
            shared.feed(), detail, options.authBackoff());
    attempt.end(ConnectorMetrics.RECONNECT_AUTH, "authentication rejected (" + detail + ")");
  }

  /** Called exactly once per attempt, from any thread. */
  private void attemptEnded(Attempt attempt, String reason, String detail) {
    boolean healthy;
    Duration delay;
    synchronized (lock) {
      if (current == attempt) {
        current = null;
      }
      if (closed) {
        return;
      }
      long upNanos = attempt.openedNanos == 0 ? 0 : System.nanoTime() - attempt.openedNanos;
      // A connection that stayed up (and did not go silent) proves the venue is reachable again.
      healthy = upNanos >= options.backoffResetAfter().toNanos() && !ConnectorMetrics.RECONNECT_NO_DATA.equals(reason);
      if (healthy) {
        consecutiveFailures = 0;
      }
      if (ConnectorMetrics.RECONNECT_AUTH.equals(reason)) {
        delay = options.authBackoff();
      } else {
        delay = backoff.delay(consecutiveFailures);
      }
      consecutiveFailures = Math.min(consecutiveFailures + 1, 62);
    }
    state = ConnectorMetrics.STATE_BACKOFF;
    lastError = reason + ": " + detail;
    reconnects.incrementAndGet();
    shared.metrics().reconnect(reason);
    if (!ConnectorMetrics.RECONNECT_AUTH.equals(reason) && !ConnectorMetrics.RECONNECT_CONNECT_FAILED.equals(reason)) {
      LOG.atWarn().addKeyValue("feed", shared.feed()).addKeyValue("shard", shard).addKeyValue("conn", attempt.connId)
          .addKeyValue("reason", reason).addKeyValue("retry_ms", delay.toMillis())
          .log("{} shard {} disconnected ({}: {}), reconnecting", shared.feed(), shard, reason, detail);
    }
    try {
      shared.scheduler().schedule(() -> execute(this::connect), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The connector is shutting down.
    }
  }

  private void watchdogTick() {
    try {
      Attempt a = current;
      if (a == null || !a.ready || a.ended.get()) {
        return;
      }
      long now = System.nanoTime();
      if (now - a.lastPingSentNanos >= shared.pingInterval().toNanos()) {
        a.ping(now);
      }
      long outstanding = a.pingOutstandingSince.get();
      if (outstanding != 0 && now - outstanding > options.pongTimeout().toNanos()) {
        a.end(ConnectorMetrics.RECONNECT_PONG_TIMEOUT,
            "no pong within " + options.pongTimeout().toMillis() + " ms (half-open socket or blocked send)");
        return;
      }
      if (a.subscribedCount > 0 && now - a.dataClockNanos > options.noDataTimeout().toNanos()) {
        a.end(ConnectorMetrics.RECONNECT_NO_DATA,
            "no data within " + options.noDataTimeout().toMillis() + " ms on " + a.subscribedCount + " markets");
      }
    } catch (RuntimeException e) {
      shared.metrics().error(ConnectorMetrics.ERROR_HANDLER);
      shared.rateLimited().error("watchdog-" + shard, "{} shard {}: watchdog failed", shared.feed(), shard, e);
    }
  }

  /** One WebSocket connection attempt: listener, session context and per-attempt state. */
  private final class Attempt implements WebSocket.Listener, SessionContext {
    final String connId;
    final AtomicBoolean ended = new AtomicBoolean();
    final AtomicLong pingOutstandingSince = new AtomicLong();
    volatile WebSocket ws;
    volatile boolean ready;
    volatile long openedNanos;
    volatile long lastPingSentNanos;
    volatile long dataClockNanos;
    volatile int subscribedCount;
    // loop-confined
    private VenueSession session;
    private long frameNo;
    private final Set<String> subscribed = new HashSet<>();
    private long nextSubscribeNanos;
    // listener-confined (the JDK calls a listener sequentially)
    private StringBuilder text = new StringBuilder();
    private long textBytes;
    private boolean discarding;
    // send chain: the JDK allows one outstanding send at a time
    private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);

    Attempt(String connId) {
      this.connId = connId;
    }

    void end(String reason, String detail) {
      if (ended.compareAndSet(false, true)) {
        ready = false;
        WebSocket socket = ws;
        if (socket != null) {
          socket.abort();
        }
        attemptEnded(this, reason, detail);
      }
    }

    CompletableFuture<Void> closeGracefully(Duration timeout) {
      ended.set(true);
      ready = false;
      WebSocket socket = ws;
      if (socket == null) {
        return CompletableFuture.completedFuture(null);
      }
      return socket.sendClose(WebSocket.NORMAL_CLOSURE, "shutdown")
          .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
          .handle((w, e) -> {
            socket.abort();
            return null;
          });
    }

    // ---- WebSocket.Listener (JDK client threads) ----

    @Override
    public void onOpen(WebSocket webSocket) {
      ws = webSocket;
      if (ended.get() || closed) {
        webSocket.abort();
        return;
      }
      // Queued before any frame can be: the loop opens the session before it sees the first frame.
      execute(this::opened);
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      if (ended.get()) {
        return null;
      }
      if (!discarding) {
        textBytes += utf8Length(data);
        if (textBytes > options.maxFrameBytes()) {
          // Stop accumulating: an oversize message must not grow the heap; drop the rest of it too.
          discarding = true;
          text = new StringBuilder();
        } else {
          text.append(data);
        }
      }
      if (!last) {
        webSocket.request(1);
        return null;
      }
      if (discarding) {
        long size = textBytes;
        discarding = false;
        textBytes = 0;
        shared.metrics().error(ConnectorMetrics.ERROR_OVERSIZE);
        shared.metrics().dropped(ConnectorMetrics.ERROR_OVERSIZE);
        shared.rateLimited().warn("oversize", "{} shard {}: discarded a message of at least {} bytes (limit {})",
            shared.feed(), shard, size, options.maxFrameBytes());
        webSocket.request(1);
        return null;
      }
      Instant at = Instant.now();
      long receivedAtNanos = at.getEpochSecond() * 1_000_000_000L + at.getNano();
      String message = text.toString();
      text = new StringBuilder();
      textBytes = 0;
      execute(() -> {
        try {
          onMessage(message, receivedAtNanos);
        } finally {
          webSocket.request(1);
        }
      });
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      // None of the venues sends binary market data; count it instead of guessing an encoding.
      if (last) {
        shared.metrics().error(ConnectorMetrics.ERROR_UNROUTABLE);
        shared.rateLimited().warn("binary", "{} shard {}: ignored a binary message", shared.feed(), shard);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
      // The JDK answers with a pong by itself; a server ping says nothing about our pings.
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      pong();
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      end(ConnectorMetrics.RECONNECT_CLOSED, "closed by the venue (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      end(ConnectorMetrics.RECONNECT_ERROR, String.valueOf(error));
    }

    // ---- loop thread ----

    private void opened() {
      if (ended.get() || closed) {
        return;
      }
      long now = System.nanoTime();
      openedNanos = now;
      lastPingSentNanos = now;
      dataClockNanos = now;
      try {
        session = shared.venue().open(this);
      } catch (AuthException e) {
        authRejected(this, "credentials unusable: " + e.getMessage());
        return;
      } catch (RuntimeException e) {
        shared.metrics().error(ConnectorMetrics.ERROR_HANDLER);
        LOG.error("{} shard {}: opening the venue session failed", shared.feed(), shard, e);
        end(ConnectorMetrics.RECONNECT_ERROR, "venue session failed to open: " + e);
        return;
      }
      List<String> snapshot;
      synchronized (lock) {
        if (current != this) {
          return;
        }
        snapshot = new ArrayList<>(markets);
        ready = true;
      }
      state = ConnectorMetrics.STATE_CONNECTED;
      LOG.atInfo().addKeyValue("feed", shared.feed()).addKeyValue("shard", shard).addKeyValue("conn", connId)
          .addKeyValue("markets", snapshot.size()).log("connected to {}", shared.feed());
      scheduleSubscribe(snapshot);
    }

    /** Subscribes in batches of subscribeBatch, subscribePace apart, so a mass resubscribe respects venue rate limits. */
    void scheduleSubscribe(List<String> list) {
      List<String> copy = List.copyOf(list);
      execute(() -> {
        for (int i = 0; i < copy.size(); i += options.subscribeBatch()) {
          List<String> batch = copy.subList(i, Math.min(copy.size(), i + options.subscribeBatch()));
          long now = System.nanoTime();
          long at = Math.max(now, nextSubscribeNanos);
          nextSubscribeNanos = at + options.subscribePace().toNanos();
          if (at <= now) {
            subscribeBatch(batch);
          } else {
            try {
              shared.scheduler().schedule(() -> execute(() -> subscribeBatch(batch)), at - now, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
              return;
            }
          }
        }
      });
    }

    private void subscribeBatch(List<String> batch) {
      if (ended.get() || session == null) {
        return;
      }
      List<String> todo = new ArrayList<>(batch.size());
      synchronized (lock) {
        // A market removed while its batch waited must not be subscribed after all.
        for (String market : batch) {
          if (markets.contains(market) && !subscribed.contains(market)) {
            todo.add(market);
          }
        }
      }
      if (todo.isEmpty()) {
        return;
      }
      if (subscribed.isEmpty()) {
        // The no-data clock starts when there is something to receive.
        dataClockNanos = System.nanoTime();
      }
      subscribed.addAll(todo);
      subscribedCount = subscribed.size();
      try {
        session.subscribe(todo);
      } catch (RuntimeException e) {
        handlerFailed("subscribe", e);
      }
    }

    void unsubscribe(List<String> list) {
      if (ended.get() || session == null) {
        return;
      }
      List<String> todo = new ArrayList<>();
      for (String market : list) {
        if (subscribed.remove(market)) {
          todo.add(market);
        }
      }
      subscribedCount = subscribed.size();
      if (todo.isEmpty()) {
        return;
      }
      try {
        session.unsubscribe(todo);
      } catch (RuntimeException e) {
        handlerFailed("unsubscribe", e);
      }
    }

    private void onMessage(String message, long receivedAtNanos) {
      if (session == null) {
        return;
      }
      long frame = ++frameNo;
      framesReceived.incrementAndGet();
      byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
      List<Routed> routed;
      try {
        routed = session.onFrame(bytes);
      } catch (RuntimeException e) {
        handlerFailed("onFrame", e);
        return;
      }
      if (routed == null) {
        return;
      }
      int publishes = 0;
      for (Routed r : routed) {
        if (r instanceof Routed.Publish) {
          publishes++;
        }
      }
      int element = 0;
      for (Routed r : routed) {
        switch (r) {
          case Routed.Publish p -> {
            String msgId = publishes > 1 ? connId + "-" + frame + "-" + element : connId + "-" + frame;
            element++;
            publish(p, msgId, receivedAtNanos);
          }
          case Routed.Control c -> {
            shared.metrics().received("control");
            if (Routed.PONG.kind().equals(c.kind())) {
              pong();
            }
          }
          case Routed.Rejected rejected -> {
            String type = ConnectorMetrics.ERROR_TYPES.contains(rejected.errorType())
                ? rejected.errorType() : ConnectorMetrics.ERROR_UNROUTABLE;
            shared.metrics().error(type);
            shared.rateLimited().warn("rejected-" + type, "{} shard {}: frame rejected ({}): {}",
                shared.feed(), shard, type, rejected.detail());
          }
        }
      }
    }

    private void publish(Routed.Publish p, String msgId, long receivedAtNanos) {
      if (!ConnectorMetrics.PUBLISH_TYPES.contains(p.type())) {
        // A routing bug in the venue module; an unbounded type would also blow up the metric labels.
        shared.metrics().error(ConnectorMetrics.ERROR_UNKNOWN_TYPE);
        shared.rateLimited().warn("publish-type", "{} shard {}: venue routed to unknown type {}",
            shared.feed(), shard, p.type());
        return;
      }
      long now = System.nanoTime();
      dataClockNanos = now;
      lastDataNanos = now;
      shared.metrics().dataReceived(now);
      shared.metrics().received(p.type());
      String subject = Subjects.subject(options.env(), shared.feed(), p.type(), p.ticker());
      try {
        // false means the transport rejected it and has already reported the drop to the listener.
        shared.transport().publish(new Envelope(subject, p.payload(), msgId, receivedAtNanos, connId, shard));
      } catch (RuntimeException e) {
        shared.metrics().error(ConnectorMetrics.ERROR_PUBLISH_DROPPED);
        shared.metrics().dropped("publish_failed");
        shared.rateLimited().error("publish", "{} shard {}: publish failed", shared.feed(), shard, e);
      }
    }

    private void handlerFailed(String where, RuntimeException e) {
      shared.metrics().error(ConnectorMetrics.ERROR_HANDLER);
      shared.rateLimited().error("handler-" + where, "{} shard {}: venue session failed in {}",
          shared.feed(), shard, where, e);
    }

    private void pong() {
      long now = System.nanoTime();
      lastPongNanos = now;
      pingOutstandingSince.set(0);
    }

    // ---- keep-alive (scheduler thread) ----

    void ping(long now) {
      lastPingSentNanos = now;
      // The oldest unanswered ping counts: with interval < pongTimeout, later pings must not reset it.
      pingOutstandingSince.compareAndSet(0, now);
      String textPing = shared.textPing();
      if (textPing != null) {
        enqueue(socket -> socket.sendText(textPing, true));
      } else {
        enqueue(socket -> socket.sendPing(ByteBuffer.allocate(0)));
      }
    }

    // ---- SessionContext (loop thread) ----

    @Override
    public void send(String message) {
      enqueue(socket -> socket.sendText(message, true));
    }

    private synchronized void enqueue(java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> op) {
      sends = sends.handle((v, e) -> null).thenCompose(v -> {
        WebSocket socket = ws;
        if (socket == null || ended.get()) {
          return CompletableFuture.completedFuture(null);
        }
        return op.apply(socket).whenComplete((w, error) -> {
          if (error != null) {
            end(ConnectorMetrics.RECONNECT_ERROR, "send failed: " + error);
          }
        });
      });
    }

    @Override
    public void gap(String market, String detail) {
      gaps.incrementAndGet();
      shared.metrics().gap();
      shared.rateLimited().warn("gap-" + shard, "{} shard {}: sequence gap on {}: {}", shared.feed(), shard, market, detail);
    }

    @Override
    public void resync(String market, String reason) {
      resyncs.incrementAndGet();
      shared.metrics().resync(reason);
      shared.rateLimited().warn("resync-" + shard, "{} shard {}: resynchronising {} ({})", shared.feed(), shard, market, reason);
    }

    @Override
    public void venueError(String code, String detail) {
      shared.metrics().error(ConnectorMetrics.ERROR_VENUE);
      shared.rateLimited().warn("venue-error-" + shard, "{} shard {}: venue error {}: {}", shared.feed(), shard, code, detail);
    }

    @Override
    public int shard() {
      return shard;
    }

    @Override
    public boolean primary() {
      return shard == 0;
    }
  }

  private static long utf8Length(CharSequence s) {
    long bytes = 0;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isSurrogate(c)) {
        bytes += 2; // half of a 4-byte pair
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
