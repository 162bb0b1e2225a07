package io.ssmd.data;

import io.ssmd.connector.Routed;
import io.ssmd.connector.SessionContext;
import io.ssmd.connector.VenueSession;
import io.ssmd.market.Normalizer;
import io.ssmd.venue.kalshi.KalshiNormalizer;
import io.ssmd.venue.kalshi.KalshiVenue;
import io.ssmd.venue.kalshi.KalshiVenueOptions;
import io.ssmd.venue.kraken.KrakenNormalizer;
import io.ssmd.venue.kraken.KrakenVenue;
import io.ssmd.venue.kraken.KrakenVenueOptions;
import io.ssmd.venue.polymarket.PolymarketNormalizer;
import io.ssmd.venue.polymarket.PolymarketVenue;
import io.ssmd.venue.polymarket.PolymarketVenueOptions;
import java.util.List;

/** The venues the data tools know, by feed name: their normalizer and their offline routing. */
public final class Feeds {
  /** Every feed name, in the order replay lists them. */
  public static final List<String> NAMES = List.of("kalshi", "kraken", "polymarket");

  private Feeds() {}

  /** The feed's normalizer; {@link IllegalArgumentException} naming the known feeds otherwise. */
  public static Normalizer normalizer(String feed) {
    return switch (feed) {
      case "kalshi" -> new KalshiNormalizer();
      case "kraken" -> new KrakenNormalizer();
      case "polymarket" -> new PolymarketNormalizer();
      default -> throw unknown(feed);
    };
  }

  /**
   * A venue session with no connection, for routing archived frames exactly as the connector did
   * (same code, so replayed subjects equal captured ones). Commands it would send are discarded.
   */
  static VenueSession router(String feed) {
    return switch (feed) {
      case "kalshi" -> new KalshiVenue(KalshiVenueOptions.defaults(null, null)).open(SessionContext.offline());
      case "kraken" -> new KrakenVenue(KrakenVenueOptions.defaults()).open(SessionContext.offline());
      case "polymarket" -> new PolymarketVenue(PolymarketVenueOptions.defaults()).open(SessionContext.offline());
      default -> throw unknown(feed);
    };
  }

  /** The first publish routing of a frame, or null when the venue would not publish it. */
  static Routed.Publish route(VenueSession router, byte[] frame) {
    for (Routed r : router.onFrame(frame)) {
      if (r instanceof Routed.Publish p) {
        return p;
      }
    }
    return null;
  }

  static IllegalArgumentException unknown(String feed) {
    return new IllegalArgumentException("unknown feed '" + feed + "' (expected one of " + String.join(", ", NAMES) + ")");
  }
}
