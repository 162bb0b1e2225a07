package io.ssmd.connector;

/** What the session base offers a {@link VenueSession} on one connection. */
public interface SessionContext {

  /** Send a text frame on this connection (queued; never blocks the reader thread). */
  void send(String text);

  /** A sequence gap was detected (counted in {@code ssmd_connector_gaps_total{feed}}). */
  void gap(String market, String detail);

  /**
   * The venue session is resynchronising {@code market} (resubscribe, new snapshot); counted in
   * {@code ssmd_connector_resyncs_total{feed,reason}}. {@code reason} is a bounded vocabulary:
   * {@code seq_gap, checksum, bbo_mismatch, venue_error}.
   */
  void resync(String market, String reason);

  /** An error reported by the venue (e.g. Kalshi {@code type:error}); counted and logged. */
  void venueError(String code, String detail);

  /** Index of this connection within the connector (the {@code Ssmd-Shard} header). */
  int shard();

  /** True for the connection that carries market-independent channels (Kalshi lifecycle), i.e. shard 0. */
  boolean primary();

  /** Monotonic clock in nanoseconds, for pacing and timeouts inside the session. */
  default long nanoTime() {
    return System.nanoTime();
  }

  /**
   * A context with no connection, for routing archived or piped frames ({@code ssmd feed route},
   * replay): commands the venue would send are discarded, gaps and resyncs are not counted.
   */
  static SessionContext offline() {
    return Offline.INSTANCE;
  }

  /** The no-op context behind {@link #offline()}. */
  enum Offline implements SessionContext {
    INSTANCE;

    @Override
    public void send(String text) {}

    @Override
    public void gap(String market, String detail) {}

    @Override
    public void resync(String market, String reason) {}

    @Override
    public void venueError(String code, String detail) {}

    @Override
    public int shard() {
      return 0;
    }

    @Override
    public boolean primary() {
      return true;
    }
  }
}
