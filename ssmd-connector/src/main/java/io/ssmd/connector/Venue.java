package io.ssmd.connector;

import java.net.URI;
import java.util.Map;

/**
 * What a venue contributes to a connector: handshake, keep-alive style, per-connection limits and
 * the per-connection protocol ({@link VenueSession}). The shared session base ({@link Connector})
 * owns everything else: connect, ping/pong and no-data watchdogs, reconnect with jittered backoff,
 * paced resubscribe, sharding, publishing and metrics.
 */
public interface Venue {

  /** Feed name as used in subjects and metrics: {@code kalshi}, {@code kraken}, {@code polymarket}. */
  String feed();

  /**
   * Headers for the WebSocket upgrade request. Called on every (re)connect, so signatures are
   * fresh. Throws {@link AuthException} when credentials are missing or unusable (fatal).
   */
  Map<String, String> handshakeHeaders(URI endpoint);

  /** At most this many markets (instruments, asset ids) on one connection; more open new shards. */
  int maxMarketsPerConnection();

  /** How the client keeps the connection alive. */
  KeepAlive keepAlive();

  /** Protocol state for one new connection; called after the socket opened. */
  VenueSession open(SessionContext context);
}
