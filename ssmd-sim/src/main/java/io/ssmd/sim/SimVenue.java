package io.ssmd.sim;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;

/**
 * One simulated venue hosted by a {@link SimServer}: its WebSocket protocol, its data generator
 * and (later) its REST API. Subclasses implement one venue's public protocol faithfully.
 */
public abstract class SimVenue implements AutoCloseable {

  private final Journal journal;
  private final List<SimConnection> connections = new CopyOnWriteArrayList<>();
  private volatile boolean dataPaused;
  protected final ScheduledExecutorService scheduler;

  protected SimVenue(Journal journal, ScheduledExecutorService scheduler) {
    this.journal = journal;
    this.scheduler = scheduler;
  }

  /** Venue name: kalshi, kraken, polymarket. */
  public abstract String name();

  /** The WebSocket path, e.g. {@code /trade-api/ws/v2}. */
  public abstract String wsPath();

  /**
   * Accepts or refuses a WebSocket upgrade. Returns the connection, or null after writing an
   * error response (e.g. HTTP 401 for a bad Kalshi signature) through {@code response}/{@code callback}.
   */
  public abstract SimConnection accept(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback);

  /** Starts the data generator (called once the server listens). */
  public abstract void start();

  /** Injects a fault; {@link IllegalArgumentException} for a kind this venue does not support. */
  public abstract void inject(Fault fault);

  /** Status for {@code GET /_sim/status}: connections, messages sent, faults injected... */
  public abstract Map<String, Object> status();

  /** Non-WebSocket HTTP requests (the venue's REST API). Return false when not handled (404). */
  public boolean handleHttp(Request request, Response response, Callback callback) throws Exception {
    return false;
  }

  /**
   * Stops (or resumes) data generation on every connection while keeping the protocol alive
   * (acks, pings, heartbeats). Tests pause to let everything sent drain before comparing.
   */
  public void pauseData(boolean paused) {
    this.dataPaused = paused;
  }

  public boolean dataPaused() {
    return dataPaused;
  }

  public Journal journal() {
    return journal;
  }

  /** Open connections. */
  public List<SimConnection> connections() {
    return List.copyOf(connections);
  }

  void register(SimConnection c) {
    connections.add(c);
  }

  void unregister(SimConnection c) {
    connections.remove(c);
  }

  /** Faults every venue supports: drop, abort, stall. Returns false when the kind is venue-specific. */
  protected boolean injectCommon(Fault fault) {
    switch (fault.kind()) {
      case DROP -> connections().forEach(c -> c.close(1001, "going away"));
      case ABORT -> connections().forEach(SimConnection::abort);
      case STALL -> {
        long nanos = TimeUnit.SECONDS.toNanos(fault.intParam("seconds", 30));
        connections().forEach(c -> c.stall(nanos));
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    connections().forEach(c -> c.close(1001, "simulator stopping"));
  }
}
