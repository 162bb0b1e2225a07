package io.ssmd.venue.kalshi;

import io.ssmd.connector.KeepAlive;
import io.ssmd.connector.SessionContext;
import io.ssmd.connector.Venue;
import io.ssmd.connector.VenueSession;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Kalshi Trade API WebSocket v2 for the connector: signed handshake, WebSocket ping frames as
 * keep-alive (Kalshi's own {@code heartbeat} pings are answered by the WebSocket client), and a
 * {@link KalshiSession} per connection.
 */
public final class KalshiVenue implements Venue {
  private final KalshiVenueOptions options;
  private final Clock clock;
  private volatile KalshiSigner signer;

  public KalshiVenue(KalshiVenueOptions options) {
    this(options, Clock.systemUTC());
  }

  /** @param clock source of the signed {@code KALSHI-ACCESS-TIMESTAMP} */
  public KalshiVenue(KalshiVenueOptions options, Clock clock) {
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public KalshiVenueOptions options() {
    return options;
  }

  @Override
  public String feed() {
    return "kalshi";
  }

  /**
   * Signs {@code timestamp + "GET" + path} of the endpoint, fresh on every (re)connect. Only the
   * path is signed, so pointing the feed at another host (new Kalshi hosts, {@code ssmd sim}) keeps
   * signatures valid.
   */
  @Override
  public Map<String, String> handshakeHeaders(URI endpoint) {
    String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
    return signer().headers("GET", path, clock.millis());
  }

  private KalshiSigner signer() {
    KalshiSigner s = signer;
    if (s == null) {
      synchronized (this) {
        s = signer;
        if (s == null) {
          s = KalshiSigner.of(options.apiKeyId(), options.privateKeyPem());
          signer = s;
        }
      }
    }
    return s;
  }

  @Override
  public int maxMarketsPerConnection() {
    return options.maxMarketsPerConnection();
  }

  @Override
  public KeepAlive keepAlive() {
    return KeepAlive.frames(options.pingInterval());
  }

  /** A session for a new connection; the primary one subscribes the lifecycle channels at once. */
  @Override
  public VenueSession open(SessionContext context) {
    KalshiSession session = new KalshiSession(options, context);
    session.start();
    return session;
  }
}
