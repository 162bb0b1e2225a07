package io.ssmd.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.ssmd.gateway.GatewayMetrics.Reasons;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket client: its authentication, its subscriptions (guarded by the hub's lock) and
 * its bounded outbound queue, drained by a virtual thread of its own so a client that reads
 * slowly blocks only itself. The queue never holds more than {@code queueSize} messages: when
 * full, the oldest is dropped ({@link SlowClientPolicy#DROP_OLDEST}, the client is told how many
 * with a {@code slow_consumer} notice before the next message) or the client is disconnected.
 *
 * <p>Public only because Jetty invokes listener methods through method handles that need a public
 * class; it cannot be constructed outside this package.
 */
public final class ClientSession implements Session.Listener.AutoDemanding {
  static final int CLOSE_UNAUTHORIZED = 4401;
  static final int CLOSE_FORBIDDEN = 4403;
  static final int CLOSE_POLICY = 1008;
  static final int CLOSE_GOING_AWAY = 1001;
  private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);
  /** Messages handed to Jetty at once per client. */
  private static final int BATCH = 64;

  private final Gateway gateway;
  private final long id;
  private final String remote;
  private final Format format;
  private final int queueSize;
  private final SlowClientPolicy policy;
  private volatile ApiKey key;
  private volatile Session session;
  private volatile String closeReason;
  private volatile ScheduledFuture<?> authTimer;

  /** Guarded by the hub's lock. */
  private final Map<SymbolPattern, Set<String>> subscriptions = new HashMap<>();

  private final ReentrantLock qlock = new ReentrantLock();
  private final Condition ready = qlock.newCondition();
  private final ArrayDeque<Out> queue;
  private long droppedUnnotified;
  private long droppedTotal;
  private long sentMarket;
  private int highWater;
  private boolean closed;

  ClientSession(Gateway gateway, long id, String remote, ApiKey key, Format format) {
    this.gateway = gateway;
    this.id = id;
    this.remote = remote;
    this.key = key;
    this.format = format;
    this.queueSize = gateway.options().queueSize();
    this.policy = gateway.options().slowClient();
    this.queue = new ArrayDeque<>(Math.min(queueSize, 1024));
  }

  long id() {
    return id;
  }

  Format format() {
    return format;
  }

  ApiKey key() {
    return key;
  }

  Map<SymbolPattern, Set<String>> subscriptions() {
    return subscriptions;
  }

  /** Called under the hub's lock. Three lookups whatever the number of subscriptions. */
  boolean wants(String feed, String symbol, String type) {
    if (!key.allows(feed)) {
      return false;
    }
    return accepts(subscriptions.get(new SymbolPattern(feed, symbol)), type)
        || accepts(subscriptions.get(new SymbolPattern(feed, SymbolPattern.ANY)), type)
        || accepts(subscriptions.get(new SymbolPattern(SymbolPattern.ANY, SymbolPattern.ANY)), type);
  }

  private static boolean accepts(Set<String> types, String type) {
    return types != null && (types.isEmpty() || types.contains(type));
  }

  @Override
  public void onWebSocketOpen(Session s) {
    this.session = s;
    gateway.opened(this);
    LOG.atDebug().addKeyValue("client", id).addKeyValue("remote", remote).log("client connected");
    Thread.ofVirtual().name("ssmd-gateway-client-" + id).start(this::writeLoop);
    if (key != null) {
      enqueue(Out.control(Messages.welcome(key, format, gateway.feeds())));
    } else {
      long ms = gateway.options().authTimeout().toMillis();
      authTimer = gateway.scheduler().schedule(() -> {
        if (key == null) {
          gateway.metrics().authFailures.labelValues(Reasons.TIMEOUT).inc();
          close(CLOSE_UNAUTHORIZED, Reasons.AUTH, "authentication timeout: send {\"op\":\"auth\",\"key\":...} within " + ms + " ms");
        }
      }, ms, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void onWebSocketText(String text) {
    try {
      Commands.handle(this, text);
    } catch (RuntimeException e) {
      // a command must never take the connection (or the server) down: answer and carry on
      LOG.atWarn().addKeyValue("client", id).setCause(e).log("client command failed");
      error(null, ErrorCode.BAD_REQUEST, "command failed: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    callback.succeed();
    if (key == null) {
      refuseUnauthenticated();
      return;
    }
    error(null, ErrorCode.BINARY_NOT_SUPPORTED, "binary frames are not part of the protocol; send JSON text commands");
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason) {
    shutdownQueue();
    if (authTimer != null) {
      authTimer.cancel(false);
    }
    gateway.closed(this, closeReason == null ? Reasons.CLIENT_CLOSED : closeReason);
    LOG.atDebug().addKeyValue("client", id).addKeyValue("code", statusCode).log("client disconnected");
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    LOG.atDebug().addKeyValue("client", id).log("client connection error: {}", cause.toString());
    if (closeReason == null) {
      closeReason = Reasons.ERROR;
    }
  }

  /** First-message authentication ({@code {"op":"auth","key":...}}). */
  void authenticate(JsonNode id, String presented) {
    if (key != null) {
      error(id, ErrorCode.ALREADY_AUTHENTICATED, "already authenticated as '" + key.name() + "'");
      return;
    }
    AuthResult r = gateway.keys().authenticate(presented);
    switch (r) {
      case AuthResult.Accepted a -> {
        key = a.key();
        if (authTimer != null) {
          authTimer.cancel(false);
        }
        enqueue(Out.control(Messages.welcome(key, format, gateway.feeds())));
      }
      case AuthResult.Refused f -> {
        gateway.metrics().authFailures.labelValues(f.reason()).inc();
        close(f.reason().equals(Reasons.REVOKED) ? CLOSE_FORBIDDEN : CLOSE_UNAUTHORIZED, Reasons.AUTH, f.message());
      }
    }
  }

  void refuseUnauthenticated() {
    gateway.metrics().authFailures.labelValues(Reasons.MISSING).inc();
    close(CLOSE_UNAUTHORIZED, Reasons.AUTH, "authentication required: send {\"op\":\"auth\",\"key\":...} first");
  }

  Gateway gateway() {
    return gateway;
  }

  void error(JsonNode id, String code, String message) {
    gateway.metrics().commandErrors.labelValues(code).inc();
    enqueue(Out.control(Messages.error(id, code, message)));
  }

  /** Appends to the bounded queue; never blocks. */
  void enqueue(Out m) {
    boolean disconnect = false;
    qlock.lock();
    try {
      if (closed) {
        return;
      }
      if (queue.size() >= queueSize) {
        if (policy == SlowClientPolicy.DROP_OLDEST) {
          queue.pollFirst();
          droppedUnnotified++;
          droppedTotal++;
          gateway.metrics().dropped.labelValues(Reasons.SLOW_CONSUMER).inc();
        } else {
          gateway.metrics().dropped.labelValues(Reasons.SLOW_CONSUMER).inc(queue.size() + 1);
          droppedTotal += queue.size() + 1;
          queue.clear();
          closed = true;
          ready.signalAll();
          disconnect = true;
        }
      }
      if (!disconnect) {
        queue.addLast(m);
        highWater = Math.max(highWater, queue.size());
        ready.signal();
      }
    } finally {
      qlock.unlock();
    }
    if (disconnect) {
      // not on the caller's thread: the hub holds its lock while enqueueing
      gateway.scheduler().execute(this::disconnectSlow);
    }
  }

  private void disconnectSlow() {
    LOG.atWarn().addKeyValue("client", id).addKeyValue("key", key == null ? null : key.name())
        .log("disconnecting slow client: queue of {} full", queueSize);
    gateway.hub().remove(this);
    Session s = session;
    if (s != null) {
      s.sendText(Messages.slowConsumer(policy, droppedTotal, queueSize), Callback.NOOP);
    }
    close(CLOSE_POLICY, Reasons.SLOW_CONSUMER, "slow_consumer: queue of " + queueSize + " messages full");
  }

  /** Closes with a code and reason; the connection is cut if the close handshake does not finish in 2 s. */
  void close(int code, String reasonLabel, String message) {
    if (closeReason == null) {
      closeReason = reasonLabel;
    }
    shutdownQueue();
    Session s = session;
    if (s == null) {
      return;
    }
    // close reasons are limited to 123 bytes by RFC 6455
    String reason = message.length() > 120 ? message.substring(0, 120) : message;
    s.close(code, reason, Callback.NOOP);
    gateway.scheduler().schedule(() -> {
      if (s.isOpen()) {
        s.disconnect();
      }
    }, 2, TimeUnit.SECONDS);
  }

  void ping() {
    Session s = session;
    if (s != null && s.isOpen()) {
      s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
    }
  }

  private void shutdownQueue() {
    qlock.lock();
    try {
      closed = true;
      queue.clear();
      ready.signalAll();
    } finally {
      qlock.unlock();
    }
  }

  private void writeLoop() {
    List<Out> batch = new ArrayList<>(BATCH);
    try {
      while (true) {
        long dropped;
        qlock.lock();
        try {
          while (!closed && queue.isEmpty() && droppedUnnotified == 0) {
            ready.await();
          }
          if (closed) {
            return;
          }
          dropped = droppedUnnotified;
          droppedUnnotified = 0;
          for (int i = 0; i < BATCH && !queue.isEmpty(); i++) {
            batch.add(queue.pollFirst());
          }
        } finally {
          qlock.unlock();
        }
        if (dropped > 0) {
          batch.addFirst(Out.control(Messages.slowConsumer(policy, dropped, queueSize)));
        }
        send(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.atDebug().addKeyValue("client", id).log("client write failed: {}", e.toString());
      close(CLOSE_GOING_AWAY, Reasons.ERROR, "write failed");
    }
  }

  /**
   * Hands a batch to Jetty, which writes the frames in order and gathers them into few socket
   * writes, and waits until the last is written: at most {@link #BATCH} messages are in Jetty's
   * hands per client, so a stalled client holds at most its queue plus one batch.
   */
  private void send(List<Out> batch) throws Exception {
    Session s = session;
    Callback.Completable last = new Callback.Completable();
    Callback.Completable failed = new Callback.Completable();
    Callback earlier = Callback.from(() -> { }, failed::completeExceptionally);
    int market = 0;
    for (int i = 0; i < batch.size(); i++) {
      Out m = batch.get(i);
      s.sendText(m.text(), i == batch.size() - 1 ? last : earlier);
      if (m.seq() != 0) {
        market++;
      }
    }
    CompletableFuture.anyOf(last, failed).get();
    if (failed.isCompletedExceptionally()) {
      failed.get();
    }
    for (Out m : batch) {
      gateway.metrics().sent(m.type());
    }
    qlock.lock();
    try {
      sentMarket += market;
    } finally {
      qlock.unlock();
    }
  }

  ClientStats stats() {
    qlock.lock();
    try {
      return new ClientStats(id, key == null ? null : key.name(), remote, queue.size(), highWater, queueSize, droppedTotal, sentMarket);
    } finally {
      qlock.unlock();
    }
  }

  /** Parses the types filter of a subscribe; empty means every type. */
  static Set<String> types(JsonNode n) {
    Set<String> out = new LinkedHashSet<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw new IllegalArgumentException("types must be a list of " + Hub.TYPES);
    }
    for (JsonNode t : n) {
      String s = t.asText();
      if (!t.isTextual() || !Hub.TYPES.contains(s)) {
        throw new IllegalArgumentException("unknown type '" + SymbolPattern.abbreviate(t.toString()) + "' (expected " + Hub.TYPES + ")");
      }
      out.add(s);
    }
    return out;
  }
}
