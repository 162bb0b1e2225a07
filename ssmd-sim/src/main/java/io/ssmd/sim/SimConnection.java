package io.ssmd.sim;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to a simulated venue. Venue implementations extend it with their protocol
 * ({@link #onText}) and send through {@link #sendData} (journaled data) or {@link #sendControl}
 * (acks, heartbeats, errors). Sends are serialised so frames leave in the order they were made.
 */
public abstract class SimConnection {
  private static final Logger LOG = LoggerFactory.getLogger(SimConnection.class);
  private static final AtomicLong IDS = new AtomicLong();

  /** Beyond this many unsent frames a connection is "slow": data generation skips it. */
  private static final int MAX_PENDING_SENDS = 20_000;

  protected final SimVenue venue;
  private final long id = IDS.incrementAndGet();
  private final AtomicInteger pendingSends = new AtomicInteger();
  private volatile Session session;
  private volatile long stalledUntilNanos;

  private final Endpoint endpoint = new Endpoint(this);

  protected SimConnection(SimVenue venue) {
    this.venue = venue;
  }

  /**
   * The Jetty listener. Jetty binds listener methods through method handles on the concrete class,
   * which must be public; keeping it here lets venue connections be any class.
   */
  public static final class Endpoint implements Session.Listener.AutoDemanding {
    private final SimConnection c;

    Endpoint(SimConnection c) {
      this.c = c;
    }

    @Override
    public void onWebSocketOpen(Session session) {
      c.handleOpen(session);
    }

    @Override
    public void onWebSocketText(String message) {
      c.handleText(message);
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
      c.handlePing(payload);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
      c.handleClose();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
      LOG.debug("sim {}: connection {} error: {}", c.venue.name(), c.id, cause.toString());
    }
  }

  Endpoint endpoint() {
    return endpoint;
  }

  /** Simulator-wide connection number (journal entries carry it). */
  public long id() {
    return id;
  }

  private void handleOpen(Session session) {
    this.session = session;
    venue.register(this);
    opened();
  }

  private void handleText(String message) {
    if (stalled()) {
      return; // a stalled venue neither reads nor answers
    }
    try {
      onText(message);
    } catch (RuntimeException e) {
      LOG.warn("sim {}: handler failed on client message: {}", venue.name(), e.toString());
    }
  }

  /** Answers client pings with pongs unless stalled. */
  protected void handlePing(ByteBuffer payload) {
    if (!stalled() && session != null) {
      session.sendPong(payload, Callback.NOOP);
    }
  }

  private void handleClose() {
    venue.unregister(this);
    closed();
  }

  /** Called once the socket is open. */
  protected void opened() {}

  /** Called once the socket is closed. */
  protected void closed() {}

  /** A text message from the client. */
  protected abstract void onText(String message);

  /** Sends a data message and journals it (with the routing a connector should give it) once written. */
  public void sendData(String type, String ticker, String frame) {
    byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
    send(frame, () -> venue.journal().record(type, ticker, bytes, id));
  }

  /**
   * Sends a JSON-array frame whose elements are data messages; each element is journaled with
   * its own routing. {@code elements[i]} must be the exact text of element i inside {@code frame}.
   */
  public void sendDataArray(String frame, String[] types, String[] tickers, String[] elements) {
    send(
        frame,
        () -> {
          for (int i = 0; i < elements.length; i++) {
            venue.journal().record(types[i], tickers[i], elements[i].getBytes(StandardCharsets.UTF_8), id);
          }
        });
  }

  /** Sends a message that is not market data (ack, heartbeat, error, pong): not journaled. */
  public void sendControl(String frame) {
    send(frame, null);
  }

  /** Sends a WebSocket ping frame (Kalshi heartbeat). */
  public void sendPing(String body) {
    Session s = session;
    if (s != null && s.isOpen() && !stalled()) {
      s.sendPing(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), Callback.NOOP);
    }
  }

  private void send(String frame, Runnable onWritten) {
    Session s = session;
    if (s == null || !s.isOpen()) {
      return;
    }
    pendingSends.incrementAndGet();
    synchronized (this) {
      s.sendText(
          frame,
          Callback.from(
              () -> {
                pendingSends.decrementAndGet();
                if (onWritten != null) {
                  onWritten.run();
                }
              },
              err -> pendingSends.decrementAndGet()));
    }
  }

  /**
   * True when data may be generated for this connection: open, keeping up (slow connections are
   * skipped), not stalled, and the venue's data is not paused.
   */
  public boolean writable() {
    Session s = session;
    return s != null && s.isOpen() && !stalled() && !venue.dataPaused() && pendingSends.get() < MAX_PENDING_SENDS;
  }

  public boolean open() {
    Session s = session;
    return s != null && s.isOpen();
  }

  /** Stop data, pings and answers for a while (a half-open socket as the client sees it). */
  public void stall(long nanos) {
    stalledUntilNanos = System.nanoTime() + nanos;
  }

  public boolean stalled() {
    return stalledUntilNanos != 0 && System.nanoTime() < stalledUntilNanos;
  }

  /** Graceful close: a close frame after everything already queued. */
  public void close(int code, String reason) {
    Session s = session;
    if (s != null) {
      s.close(code, reason, Callback.NOOP);
    }
  }

  /** Abrupt close: the TCP connection goes away without a close frame. */
  public void abort() {
    Session s = session;
    if (s != null) {
      s.disconnect();
    }
  }
}
