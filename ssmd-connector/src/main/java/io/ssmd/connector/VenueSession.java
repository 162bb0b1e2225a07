package io.ssmd.connector;

import java.util.List;

/**
 * Per-connection protocol state of a venue. All methods are called from the connection's single
 * reader thread, never concurrently, so implementations need no locking.
 */
public interface VenueSession {

  /**
   * Send the subscribe commands for these markets (the socket is open). Called again after {@link
   * #unsubscribe}. The base calls it in paced batches and never with an empty list: the
   * market-independent channels of the primary connection ({@link SessionContext#primary()}) are
   * subscribed by the venue from {@link Venue#open}, which runs on every (re)connect.
   */
  void subscribe(List<String> markets);

  /** Stop receiving these markets without disturbing the others on this connection (Kalshi: update_subscription delete_markets). */
  void unsubscribe(List<String> markets);

  /**
   * Route one received text frame: what to publish (with type and ticker), what is control traffic,
   * what is rejected. Must never throw on bad input; return {@link Routed.Rejected} instead. May
   * send commands through the {@link SessionContext} (e.g. a resubscribe after a sequence gap).
   *
   * @param frame the frame's UTF-8 bytes exactly as received
   */
  List<Routed> onFrame(byte[] frame);
}
