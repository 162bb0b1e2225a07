package io.ssmd.venue.polymarket;

import io.ssmd.connector.KeepAlive;
import io.ssmd.connector.SessionContext;
import io.ssmd.connector.Venue;
import io.ssmd.connector.VenueSession;
import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * Polymarket CLOB market channel ({@code wss://ws-subscriptions-clob.polymarket.com/ws/market}):
 * public, no handshake headers, text {@code PING}/{@code PONG} keep-alive, markets are outcome
 * token (asset) ids. Routing follows DESIGN §3: {@code last_trade_price} → trade,
 * {@code price_change}/{@code best_bid_ask} → ticker, {@code book} → orderbook,
 * {@code new_market}/{@code market_resolved}/{@code tick_size_change} → lifecycle, all on the
 * condition id ({@code market}).
 */
public final class PolymarketVenue implements Venue {
  /** The venue's keep-alive: the literal text {@code PING}, answered by the text {@code PONG}. */
  public static final String PING = "PING";

  private final PolymarketVenueOptions options;

  public PolymarketVenue(PolymarketVenueOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  public PolymarketVenue() {
    this(PolymarketVenueOptions.defaults());
  }

  public PolymarketVenueOptions options() {
    return options;
  }

  @Override
  public String feed() {
    return "polymarket";
  }

  @Override
  public Map<String, String> handshakeHeaders(URI endpoint) {
    return Map.of(); // the market channel is public
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
  public VenueSession open(SessionContext context) {
    return new PolymarketSession(options, context);
  }
}
