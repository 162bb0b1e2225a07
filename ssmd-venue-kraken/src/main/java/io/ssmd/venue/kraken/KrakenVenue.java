package io.ssmd.venue.kraken;

import io.ssmd.connector.KeepAlive;
import io.ssmd.connector.SessionContext;
import io.ssmd.connector.Venue;
import io.ssmd.connector.VenueSession;
import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * Kraken Spot WebSocket v2 ({@code wss://ws.kraken.com/v2}), public market data: no handshake
 * headers, JSON {@code {"method":"ping"}} keep-alive, one {@link KrakenSession} per connection.
 */
public final class KrakenVenue implements Venue {
  /**
   * The keep-alive text. {@link KeepAlive} carries a fixed text, so every ping has the same
   * {@code req_id}; Kraken echoes it in the {@code pong}, which is all the watchdog needs.
   */
  public static final String PING = "{\"method\":\"ping\",\"req_id\":0}";

  private final KrakenVenueOptions options;

  public KrakenVenue(KrakenVenueOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  public KrakenVenueOptions options() {
    return options;
  }

  @Override
  public String feed() {
    return "kraken";
  }

  @Override
  public Map<String, String> handshakeHeaders(URI endpoint) {
    return Map.of(); // public channels need no authentication
  }

  @Override
  public int maxMarketsPerConnection() {
    return options.maxMarketsPerConnection();
  }

  @Override
  public KeepAlive keepAlive() {
    return KeepAlive.text(options.pingInterval(), PING);
  }

  @Override
  public KrakenSession open(SessionContext context) {
    return new KrakenSession(options, context);
  }

  @Override
  public String toString() {
    return "KrakenVenue[" + options + "]";
  }
}
