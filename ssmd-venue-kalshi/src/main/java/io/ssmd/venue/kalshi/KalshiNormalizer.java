package io.ssmd.venue.kalshi;

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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Kalshi WebSocket v2 frames to {@link MarketEvent}s. Instrument = {@code msg.market_ticker}
 * ({@code msg.event_ticker} for event lifecycle messages); prices in dollars of the YES side.
 *
 * <ul>
 *   <li>{@code trade} → {@link Trade}: {@code trade_id}, {@code yes_price_dollars}, {@code count_fp};
 *       {@code taker_side} yes → {@link Side#BID} (bought YES), no → {@link Side#ASK}.
 *   <li>{@code ticker} → {@link Quote}: {@code yes_bid_dollars}/{@code yes_ask_dollars}, sizes
 *       {@code yes_bid_size_fp}/{@code yes_ask_size_fp} when present, last = {@code price_dollars}.
 *   <li>{@code orderbook_snapshot} → {@link BookSnapshot}: a YES bid at p is a BID at p, a NO bid at
 *       p is an ASK at {@code 1 - p} (the default {@code use_yes_price=false} subscription, which is
 *       what the connector sends).
 *   <li>{@code orderbook_delta} → {@link BookDelta} with {@code isIncrement=true} (size is the
 *       signed {@code delta_fp}) and {@code sequence = seq} (per sid).
 *   <li>{@code market_lifecycle_v2}, {@code event_lifecycle}, {@code event_fee_update} → {@link Lifecycle}.
 *   <li>{@code subscribed}, {@code unsubscribed}, {@code ok}, {@code error} → skipped.
 * </ul>
 *
 * <p>Only the fixed-point {@code *_dollars} / {@code *_fp} fields are current (the integer cent
 * fields were removed on 2026-03-12); a frame that carries only the legacy cent/integer fields is
 * still accepted (cents / 100) so older captures normalize. Exchange time: {@code ts_ms}, else
 * {@code ts} (epoch seconds or RFC 3339).
 */
public final class KalshiNormalizer implements Normalizer {
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  @Override
  public String feed() {
    return "kalshi";
  }

  @Override
  public Normalized normalize(byte[] frame, long receivedAtMicros, long natsSeq) {
    JsonNode root;
    try {
      root = JSON.readTree(frame);
    } catch (IOException | RuntimeException e) {
      return new Normalized.Rejected("malformed", "frame is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      return new Normalized.Rejected("malformed", "frame is not a JSON object");
    }
    JsonNode typeNode = root.get("type");
    if (typeNode == null || !typeNode.isTextual()) {
      return new Normalized.Rejected("unknown_type", "frame has no type");
    }
    String type = typeNode.asText();
    JsonNode msg = root.path("msg");
    try {
      return switch (type) {
        case "trade" -> events(trade(msg, receivedAtMicros, natsSeq));
        case "ticker" -> events(quote(msg, receivedAtMicros, natsSeq));
        case "orderbook_snapshot" -> events(snapshot(msg, receivedAtMicros, natsSeq));
        case "orderbook_delta" -> events(delta(root, msg, receivedAtMicros, natsSeq));
        case "market_lifecycle_v2" ->
            events(lifecycle(msg, "market_ticker", msg.path("event_type").asText("market_lifecycle"), receivedAtMicros, natsSeq));
        case "event_lifecycle", "event_fee_update" -> events(lifecycle(msg, "event_ticker", type, receivedAtMicros, natsSeq));
        case "subscribed", "unsubscribed", "ok" -> new Normalized.Skipped(type);
        case "error" -> new Normalized.Skipped("venue error reply");
        default -> new Normalized.Rejected("unknown_type", "undocumented message type '" + abbreviate(type) + "'");
      };
    } catch (FrameRejection b) {
      return b.rejected(type);
    } catch (RuntimeException e) {
      // never throw on venue input: an unexpected shape is a rejected frame, not a failed export
      return new Normalized.Rejected("malformed", type + ": " + e.getClass().getSimpleName());
    }
  }

  private static Normalized events(MarketEvent e) {
    return new Normalized.Events(List.of(e));
  }

  private Header header(JsonNode msg, String tickerField, long receivedAt, long natsSeq) throws FrameRejection {
    String ticker = msg.path(tickerField).asText("");
    if (ticker.isEmpty()) {
      throw new FrameRejection("missing_field", "no msg." + tickerField);
    }
    return new Header(feed(), ticker, exchangeTime(msg), receivedAt, natsSeq);
  }

  private Trade trade(JsonNode msg, long receivedAt, long natsSeq) throws FrameRejection {
    Header h = header(msg, "market_ticker", receivedAt, natsSeq);
    BigDecimal price = dollarsOrCents(msg, "yes_price_dollars", "yes_price", true);
    BigDecimal size = count(msg, "count_fp", "count");
    Side aggressor = switch (msg.path("taker_side").asText("")) {
      case "yes" -> Side.BID;
      case "no" -> Side.ASK;
      default -> Side.UNKNOWN;
    };
    String tradeId = msg.hasNonNull("trade_id") ? msg.get("trade_id").asText() : null;
    return new Trade(h, tradeId, price, size, aggressor);
  }

  private Quote quote(JsonNode msg, long receivedAt, long natsSeq) throws FrameRejection {
    Header h = header(msg, "market_ticker", receivedAt, natsSeq);
    return new Quote(
        h,
        dollarsOrCents(msg, "yes_bid_dollars", "yes_bid", false),
        decimal(msg, "yes_bid_size_fp", false),
        dollarsOrCents(msg, "yes_ask_dollars", "yes_ask", false),
        decimal(msg, "yes_ask_size_fp", false),
        dollarsOrCents(msg, "price_dollars", "price", false));
  }

  private BookSnapshot snapshot(JsonNode msg, long receivedAt, long natsSeq) throws FrameRejection {
    Header h = header(msg, "market_ticker", receivedAt, natsSeq);
    List<Level> bids = new ArrayList<>();
    List<Level> asks = new ArrayList<>();
    boolean fixed = msg.has("yes_dollars_fp") || msg.has("no_dollars_fp");
    for (JsonNode l : msg.path(fixed ? "yes_dollars_fp" : "yes")) {
      bids.add(new Level(levelPrice(l.path(0), fixed), number(l.path(1), "yes level size")));
    }
    for (JsonNode l : msg.path(fixed ? "no_dollars_fp" : "no")) {
      asks.add(new Level(BigDecimal.ONE.subtract(levelPrice(l.path(0), fixed)), number(l.path(1), "no level size")));
    }
    bids.sort(Comparator.comparing(Level::price).reversed());
    asks.sort(Comparator.comparing(Level::price));
    return new BookSnapshot(h, bids, asks, null);
  }

  private static BigDecimal levelPrice(JsonNode n, boolean fixed) throws FrameRejection {
    BigDecimal p = number(n, "level price");
    return fixed ? p : p.divide(HUNDRED);
  }

  private BookDelta delta(JsonNode root, JsonNode msg, long receivedAt, long natsSeq) throws FrameRejection {
    Header h = header(msg, "market_ticker", receivedAt, natsSeq);
    BigDecimal price = dollarsOrCents(msg, "price_dollars", "price", true);
    BigDecimal delta = count(msg, "delta_fp", "delta");
    Side side;
    switch (msg.path("side").asText("")) {
      case "yes" -> side = Side.BID;
      case "no" -> {
        side = Side.ASK;
        price = BigDecimal.ONE.subtract(price);
      }
      default -> throw new FrameRejection("missing_field", "side must be yes or no, got '" + abbreviate(msg.path("side").asText("")) + "'");
    }
    JsonNode seq = root.get("seq");
    Long sequence = seq != null && seq.canConvertToLong() ? seq.asLong() : null;
    return new BookDelta(h, side, price, delta, true, sequence, null);
  }

  private Lifecycle lifecycle(JsonNode msg, String tickerField, String event, long receivedAt, long natsSeq) throws FrameRejection {
    Header h = header(msg, tickerField, receivedAt, natsSeq);
    ObjectNode rest = msg.isObject() ? ((ObjectNode) msg).deepCopy() : JSON.createObjectNode();
    rest.remove(tickerField);
    rest.remove("event_type");
    return new Lifecycle(h, event, rest.isEmpty() ? null : rest.toString());
  }

  /** A contract count: the {@code _fp} field when present, else the legacy whole-contract integer. */
  private static BigDecimal count(JsonNode msg, String fixedField, String legacyField) throws FrameRejection {
    if (msg.hasNonNull(fixedField)) {
      return number(msg.get(fixedField), fixedField);
    }
    if (msg.hasNonNull(legacyField)) {
      return number(msg.get(legacyField), legacyField);
    }
    throw new FrameRejection("missing_field", "no msg." + fixedField);
  }

  /** A price: the {@code _dollars} field when present, else the legacy integer field in cents. */
  private static BigDecimal dollarsOrCents(JsonNode msg, String fixedField, String legacyField, boolean required) throws FrameRejection {
    if (msg.hasNonNull(fixedField)) {
      return number(msg.get(fixedField), fixedField);
    }
    if (msg.hasNonNull(legacyField)) {
      BigDecimal cents = number(msg.get(legacyField), legacyField);
      return cents.divide(HUNDRED);
    }
    if (required) {
      throw new FrameRejection("missing_field", "no msg." + fixedField);
    }
    return null;
  }

  private static BigDecimal decimal(JsonNode msg, String field, boolean required) throws FrameRejection {
    if (msg.hasNonNull(field)) {
      return number(msg.get(field), field);
    }
    if (required) {
      throw new FrameRejection("missing_field", "no msg." + field);
    }
    return null;
  }

  private static BigDecimal number(JsonNode n, String what) throws FrameRejection {
    if (n == null || n.isMissingNode() || n.isNull()) {
      throw new FrameRejection("missing_field", "no " + what);
    }
    try {
      if (n.isNumber()) {
        return n.decimalValue();
      }
      if (n.isTextual()) {
        return new BigDecimal(n.asText().trim());
      }
    } catch (NumberFormatException e) {
      // fall through to the rejection below
    }
    throw new FrameRejection("bad_number", what + " is not a number: '" + abbreviate(n.asText()) + "'");
  }

  /** {@code ts_ms}, else {@code ts} as epoch seconds or RFC 3339; 0 when absent or unreadable. */
  private static long exchangeTime(JsonNode msg) {
    JsonNode ms = msg.get("ts_ms");
    if (ms != null && ms.canConvertToLong()) {
      return ms.asLong() * 1000;
    }
    JsonNode ts = msg.get("ts");
    if (ts == null) {
      return 0;
    }
    if (ts.canConvertToLong()) {
      return ts.asLong() * 1_000_000;
    }
    if (ts.isTextual()) {
      try {
        Instant i = Instant.parse(ts.asText());
        return i.getEpochSecond() * 1_000_000 + i.getNano() / 1000;
      } catch (DateTimeParseException e) {
        return 0;
      }
    }
    return 0;
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
