package io.ssmd.venue.polymarket;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmd.market.FrameRejection;
import io.ssmd.market.MarketEvent;
import io.ssmd.market.MarketEvent.BookDelta;
import io.ssmd.market.MarketEvent.BookSnapshot;
import io.ssmd.market.MarketEvent.Header;
import io.ssmd.market.MarketEvent.Level;
import io.ssmd.market.MarketEvent.Lifecycle;
import io.ssmd.market.MarketEvent.Quote;
import io.ssmd.market.MarketEvent.Side;
import io.ssmd.market.MarketEvent.Trade;
import io.ssmd.market.Normalized;
import io.ssmd.market.Normalizer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Polymarket CLOB market-channel events to {@link MarketEvent}s. Instrument = {@code asset_id}
 * (the outcome token); the {@code market} (condition id) goes into lifecycle details.
 *
 * <ul>
 *   <li>{@code last_trade_price} → {@link Trade} (id = {@code transaction_hash}; side BUY → {@link Side#BID}).
 *   <li>{@code best_bid_ask} → {@link Quote} (best prices only, no sizes).
 *   <li>{@code price_change} → one {@link BookDelta} per change, {@code size} the new aggregate
 *       ({@code isIncrement=false}), BUY → BID, SELL → ASK; the legacy form ({@code asset_id} +
 *       {@code changes[]}) too.
 *   <li>{@code book} → {@link BookSnapshot} ({@code bids}/{@code asks}, or the older {@code buys}/{@code sells}).
 *   <li>{@code new_market}, {@code market_resolved} → one {@link Lifecycle} per asset of the market;
 *       {@code tick_size_change} → {@link Lifecycle} of its asset.
 *   <li>{@code PONG} and the {@code []} acknowledgement → skipped. An array frame is normalized
 *       element by element (the connector publishes elements one by one, so archives hold no arrays).
 * </ul>
 * Exchange time: {@code timestamp} (epoch milliseconds, as a string).
 */
public final class PolymarketNormalizer implements Normalizer {
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @Override
  public String feed() {
    return "polymarket";
  }

  @Override
  public Normalized normalize(byte[] frame, long receivedAtMicros, long natsSeq) {
    String text = new String(frame, StandardCharsets.UTF_8).strip();
    if (text.equals("PONG")) {
      return new Normalized.Skipped("pong");
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (IOException | RuntimeException e) {
      return new Normalized.Rejected("malformed", "frame is not valid JSON");
    }
    if (root == null || root.isMissingNode()) {
      return new Normalized.Rejected("malformed", "empty frame");
    }
    if (root.isArray()) {
      if (root.isEmpty()) {
        return new Normalized.Skipped("ack");
      }
      List<MarketEvent> all = new ArrayList<>();
      for (JsonNode n : root) {
        Normalized one = event(n, receivedAtMicros, natsSeq);
        if (one instanceof Normalized.Rejected r) {
          return r; // one bad element rejects the frame: partial output would hide the damage
        }
        if (one instanceof Normalized.Events e) {
          all.addAll(e.events());
        }
      }
      return new Normalized.Events(all);
    }
    return event(root, receivedAtMicros, natsSeq);
  }

  private Normalized event(JsonNode n, long receivedAt, long natsSeq) {
    if (!n.isObject()) {
      return new Normalized.Rejected("malformed", "not a JSON object");
    }
    JsonNode et = n.get("event_type");
    if (et == null || !et.isTextual()) {
      return new Normalized.Rejected("unknown_type", "message without event_type");
    }
    String type = et.asText();
    try {
      return switch (type) {
        case "last_trade_price" -> one(trade(n, receivedAt, natsSeq));
        case "best_bid_ask" -> one(new Quote(header(n, "asset_id", receivedAt, natsSeq), optional(n, "best_bid"), null,
            optional(n, "best_ask"), null, null));
        case "price_change" -> new Normalized.Events(priceChange(n, receivedAt, natsSeq));
        case "book" -> one(book(n, receivedAt, natsSeq));
        case "tick_size_change" -> one(lifecycle(n, n.path("asset_id").asText(""), type, receivedAt, natsSeq));
        case "new_market", "market_resolved" -> new Normalized.Events(marketLifecycle(n, type, receivedAt, natsSeq));
        default -> new Normalized.Rejected("unknown_type", "event_type " + abbreviate(type));
      };
    } catch (FrameRejection b) {
      return b.rejected(type);
    } catch (RuntimeException e) {
      return new Normalized.Rejected("malformed", type + ": " + e.getClass().getSimpleName());
    }
  }

  private static Normalized one(MarketEvent e) {
    return new Normalized.Events(List.of(e));
  }

  private Trade trade(JsonNode n, long receivedAt, long natsSeq) throws FrameRejection {
    Header h = header(n, "asset_id", receivedAt, natsSeq);
    String id = n.hasNonNull("transaction_hash") ? n.get("transaction_hash").asText() : null;
    return new Trade(h, id, number(n.get("price"), "price"), number(n.get("size"), "size"), side(n.path("side").asText(""), false));
  }

  private List<MarketEvent> priceChange(JsonNode n, long receivedAt, long natsSeq) throws FrameRejection {
    List<MarketEvent> out = new ArrayList<>();
    long ts = time(n);
    JsonNode changes = n.get("price_changes");
    if (changes != null && changes.isArray()) {
      for (JsonNode c : changes) {
        String asset = c.path("asset_id").asText("");
        if (asset.isEmpty()) {
          throw new FrameRejection("missing_field", "price_changes[] without asset_id");
        }
        out.add(delta(new Header(feed(), asset, ts, receivedAt, natsSeq), c));
      }
      return out;
    }
    JsonNode legacy = n.get("changes");
    if (legacy != null && legacy.isArray()) {
      Header h = header(n, "asset_id", receivedAt, natsSeq);
      for (JsonNode c : legacy) {
        out.add(delta(h, c));
      }
      return out;
    }
    throw new FrameRejection("missing_field", "no price_changes");
  }

  private static BookDelta delta(Header h, JsonNode c) throws FrameRejection {
    return new BookDelta(h, side(c.path("side").asText(""), true), number(c.get("price"), "price"), number(c.get("size"), "size"),
        false, null, null);
  }

  private BookSnapshot book(JsonNode n, long receivedAt, long natsSeq) throws FrameRejection {
    Header h = header(n, "asset_id", receivedAt, natsSeq);
    List<Level> bids = levels(n.has("bids") ? n.get("bids") : n.get("buys"));
    List<Level> asks = levels(n.has("asks") ? n.get("asks") : n.get("sells"));
    bids.sort(Comparator.comparing(Level::price).reversed());
    asks.sort(Comparator.comparing(Level::price));
    return new BookSnapshot(h, bids, asks, null);
  }

  private List<MarketEvent> marketLifecycle(JsonNode n, String type, long receivedAt, long natsSeq) throws FrameRejection {
    List<MarketEvent> out = new ArrayList<>();
    JsonNode assets = n.has("assets_ids") ? n.get("assets_ids") : n.get("clob_token_ids");
    if (assets != null && assets.isArray() && !assets.isEmpty()) {
      for (JsonNode a : assets) {
        out.add(lifecycle(n, a.asText(""), type, receivedAt, natsSeq));
      }
    } else {
      // no token ids: the market itself is the only instrument the event can be filed under
      out.add(lifecycle(n, n.path("market").asText(""), type, receivedAt, natsSeq));
    }
    return out;
  }

  private Lifecycle lifecycle(JsonNode n, String instrument, String type, long receivedAt, long natsSeq) throws FrameRejection {
    if (instrument.isEmpty()) {
      throw new FrameRejection("missing_field", "no asset_id or market");
    }
    ObjectNode detail = ((ObjectNode) n).deepCopy();
    // event_type and timestamp are in the record already; descriptions are bulky and not market data
    detail.remove(List.of("event_type", "timestamp", "asset_id", "event_message", "description"));
    return new Lifecycle(new Header(feed(), instrument, time(n), receivedAt, natsSeq), type, detail.toString());
  }

  private Header header(JsonNode n, String field, long receivedAt, long natsSeq) throws FrameRejection {
    String instrument = n.path(field).asText("");
    if (instrument.isEmpty()) {
      throw new FrameRejection("missing_field", "no " + field);
    }
    return new Header(feed(), instrument, time(n), receivedAt, natsSeq);
  }

  private static List<Level> levels(JsonNode levels) throws FrameRejection {
    List<Level> out = new ArrayList<>();
    if (levels == null || levels.isNull()) {
      return out;
    }
    if (!levels.isArray()) {
      throw new FrameRejection("malformed", "book side is not an array");
    }
    for (JsonNode l : levels) {
      out.add(new Level(number(l.get("price"), "price"), number(l.get("size"), "size")));
    }
    return out;
  }

  private static Side side(String s, boolean required) throws FrameRejection {
    return switch (s.toUpperCase(Locale.ROOT)) {
      case "BUY", "BID" -> Side.BID;
      case "SELL", "ASK" -> Side.ASK;
      default -> {
        if (required) {
          throw new FrameRejection("missing_field", "side must be BUY or SELL, got '" + abbreviate(s) + "'");
        }
        yield Side.UNKNOWN;
      }
    };
  }

  private static BigDecimal optional(JsonNode n, String field) throws FrameRejection {
    JsonNode v = n.get(field);
    if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
      return null;
    }
    return number(v, field);
  }

  private static BigDecimal number(JsonNode n, String what) throws FrameRejection {
    if (n == null || n.isNull() || n.isMissingNode()) {
      throw new FrameRejection("missing_field", "no " + what);
    }
    if (n.isNumber()) {
      return n.decimalValue();
    }
    if (n.isTextual()) {
      try {
        return new BigDecimal(n.asText().trim());
      } catch (NumberFormatException e) {
        // rejected below
      }
    }
    throw new FrameRejection("bad_number", what + " is not a number: '" + abbreviate(n.asText()) + "'");
  }

  /** {@code timestamp}: epoch milliseconds as a string or number; 0 when absent or unreadable. */
  private static long time(JsonNode n) {
    JsonNode ts = n.get("timestamp");
    if (ts == null) {
      return 0;
    }
    try {
      return Long.parseLong(ts.asText().trim()) * 1000;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
