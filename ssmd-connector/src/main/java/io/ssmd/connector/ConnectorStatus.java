package io.ssmd.connector;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Snapshot of a connector for status lines and readiness ({@code ssmd up} prints {@link #line()}).
 *
 * @param feed the venue feed
 * @param connections one entry per connection, by shard
 * @param notReadyReasons why the connector is not ready; empty when ready
 */
public record ConnectorStatus(String feed, List<Connection> connections, List<String> notReadyReasons) {

  public ConnectorStatus {
    connections = List.copyOf(connections);
    notReadyReasons = List.copyOf(notReadyReasons);
  }

  /**
   * One WebSocket connection (shard).
   *
   * @param shard index within the connector ({@code Ssmd-Shard})
   * @param connId id of the current or last connection attempt ({@code Ssmd-Conn}); null before the first
   * @param state {@code connecting}, {@code connected}, {@code backoff} or {@code closed}
   * @param markets markets assigned to this connection
   * @param messagesReceived text frames received (all attempts)
   * @param messagesPublished messages acknowledged by the transport
   * @param reconnects connection attempts that ended or failed and were retried
   * @param gaps sequence gaps reported by the venue session
   * @param resyncs resynchronisations reported by the venue session
   * @param lastDataAge time since the last published frame; null if none yet
   * @param lastPongAge time since the last pong (frame or text); null if none yet
   * @param lastError the last connection error (reason and detail, never secrets); null if none
   */
  public record Connection(
      int shard,
      String connId,
      String state,
      int markets,
      long messagesReceived,
      long messagesPublished,
      long reconnects,
      long gaps,
      long resyncs,
      Duration lastDataAge,
      Duration lastPongAge,
      String lastError) {

    public boolean connected() {
      return ConnectorMetrics.STATE_CONNECTED.equals(state);
    }
  }

  public boolean ready() {
    return notReadyReasons.isEmpty();
  }

  public int connectedCount() {
    return (int) connections.stream().filter(Connection::connected).count();
  }

  public int markets() {
    return connections.stream().mapToInt(Connection::markets).sum();
  }

  public long messagesReceived() {
    return connections.stream().mapToLong(Connection::messagesReceived).sum();
  }

  public long messagesPublished() {
    return connections.stream().mapToLong(Connection::messagesPublished).sum();
  }

  public long reconnects() {
    return connections.stream().mapToLong(Connection::reconnects).sum();
  }

  public long gaps() {
    return connections.stream().mapToLong(Connection::gaps).sum();
  }

  public long resyncs() {
    return connections.stream().mapToLong(Connection::resyncs).sum();
  }

  /** Youngest data age over all connections; null if nothing was received yet. */
  public Duration lastDataAge() {
    return connections.stream().map(Connection::lastDataAge).filter(d -> d != null).min(Duration::compareTo).orElse(null);
  }

  /** One line for a live terminal status, e.g. {@code kalshi 3/3 connected, 450 markets, recv 1200, pub 1199, ...}. */
  public String line() {
    Duration age = lastDataAge();
    return String.format(
        Locale.ROOT,
        "%s %d/%d connected, %d markets, recv %d, pub %d, reconnects %d, gaps %d, resyncs %d, last data %s",
        feed, connectedCount(), connections.size(), markets(), messagesReceived(), messagesPublished(),
        reconnects(), gaps(), resyncs(), age == null ? "never" : String.format(Locale.ROOT, "%.1fs ago", age.toMillis() / 1000.0));
  }
}
