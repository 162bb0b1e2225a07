package io.ssmd.venue.kraken;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.market.FrameRejection;
import io.ssmd.market.MarketEvent;
import io.ssmd.market.MarketEvent.BookDelta;
import io.ssmd.market.MarketEvent.BookSnapshot;
import io.ssmd.market.MarketEvent.Header;
import io.ssmd.market.MarketEvent.Level;
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
 * Kraken Spot WebSocket v2 frames to {@link MarketEvent}s. Instrument = {@code data[].symbol}
 * ({@code BTC/USD}).
 *
 * <ul>
 *   <li>{@code trade} (snapshot or update) → one {@link Trade} per {@code data[]} element, with
 *       {@code trade_id}; side buy → {@link Side#BID}, sell → {@link Side#ASK}.
 *   <li>{@code ticker} → {@link Quote} (bid, bid_qty, ask, ask_qty, last).
 *   <li>{@code book} snapshot → {@link BookSnapshot} with the venue checksum.
 *   <li>{@code book} update → one {@link BookDelta} per level in message order (bids then asks),
 *       {@code isIncrement=false} (qty is the new aggregate, 0 removes), the message checksum on
 *       the last delta.
 *   <li>{@code heartbeat}, {@code status}, {@code instrument}, method replies (acks, pong, errors) → skipped.
 * </ul>
 *
 * Prices and quantities are JSON numbers on the wire; they are read as {@link BigDecimal} with
 * every digit kept.
 */
public final class KrakenNormalizer implements Normalizer {
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @Override
  public String feed() {
    return "kraken";
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
    JsonNode channel = root.get("channel");
    if (channel == null || !channel.isTextual()) {
      if (root.has("method") || root.has("success") || root.has("error")) {
        return new Normalized.Skipped("method reply");
      }
      return new Normalized.Rejected("unknown_type", "neither channel nor method");
    }
    String ch = channel.asText();
    String type = root.path("type").asText("");
    try {
      return switch (ch) {
        case "trade" -> trades(root.path("data"), receivedAtMicros, natsSeq);
        case "ticker" -> quotes(root.path("data"), receivedAtMicros, natsSeq);
        case "book" -> type.equals("snapshot") ? snapshot(root.path("data"), receivedAtMicros, natsSeq)
            : update(root.path("data"), receivedAtMicros, natsSeq);
        case "heartbeat", "status", "instrument" -> new Normalized.Skipped(ch);
        default -> new Normalized.Rejected("unknown_type", "channel " + abbreviate(ch));
      };
    } catch (FrameRejection b) {
      return b.rejected(ch);
    } catch (RuntimeException e) {
      return new Normalized.Rejected("malformed", ch + ": " + e.getClass().getSimpleName());
    }
  }

  private Normalized trades(JsonNode data, long receivedAt, long natsSeq) throws FrameRejection {
    List<MarketEvent> out = new ArrayList<>();
    for (JsonNode t : array(data)) {
      Header h = header(t, receivedAt, natsSeq);
      Side side = switch (t.path("side").asText("")) {
        case "buy" -> Side.BID;
        case "sell" -> Side.ASK;
        default -> Side.UNKNOWN;
      };
      String id = t.hasNonNull("trade_id") ? t.get("trade_id").asText() : null;
      out.add(new Trade(h, id, number(t.get("price"), "price"), number(t.get("qty"), "qty"), side));
    }
    return new Normalized.Events(out);
  }

  private Normalized quotes(JsonNode data, long receivedAt, long natsSeq) throws FrameRejection {
    List<MarketEvent> out = new ArrayList<>();
    for (JsonNode t : array(data)) {
      out.add(new Quote(header(t, receivedAt, natsSeq), optional(t, "bid"), optional(t, "bid_qty"), optional(t, "ask"),
          optional(t, "ask_qty"), optional(t, "last")));
    }
    return new Normalized.Events(out);
  }

  private Normalized snapshot(JsonNode data, long receivedAt, long natsSeq) throws FrameRejection {
    List<MarketEvent> out = new ArrayList<>();
    for (JsonNode b : array(data)) {
      List<Level> bids = levels(b.get("bids"));
      List<Level> asks = levels(b.get("asks"));
      bids.sort(Comparator.comparing(Level::price).reversed());
      asks.sort(Comparator.comparing(Level::price));
      out.add(new BookSnapshot(header(b, receivedAt, natsSeq), bids, asks, checksum(b)));
    }
    return new Normalized.Events(out);
  }

  private Normalized update(JsonNode data, long receivedAt, long natsSeq) throws FrameRejection {
    List<MarketEvent> out = new ArrayList<>();
    for (JsonNode b : array(data)) {
      Header h = header(b, receivedAt, natsSeq);
      Long checksum = checksum(b);
      List<BookDelta> deltas = new ArrayList<>();
      for (Level l : levels(b.get("bids"))) {
        deltas.add(new BookDelta(h, Side.BID, l.price(), l.size(), false, null, null));
      }
      for (Level l : levels(b.get("asks"))) {
        deltas.add(new BookDelta(h, Side.ASK, l.price(), l.size(), false, null, null));
      }
      if (!deltas.isEmpty() && checksum != null) {
        BookDelta last = deltas.remove(deltas.size() - 1);
        deltas.add(new BookDelta(h, last.side(), last.price(), last.size(), false, null, checksum));
      }
      out.addAll(deltas);
    }
    return new Normalized.Events(out);
  }

  private static List<JsonNode> array(JsonNode data) throws FrameRejection {
    if (data == null || !data.isArray()) {
      throw new FrameRejection("missing_field", "no data array");
    }
    List<JsonNode> out = new ArrayList<>(data.size());
    data.forEach(out::add);
    return out;
  }

  private Header header(JsonNode element, long receivedAt, long natsSeq) throws FrameRejection {
    String symbol = element.path("symbol").asText("");
    if (symbol.isEmpty()) {
      throw new FrameRejection("missing_field", "no data[].symbol");
    }
    return new Header(feed(), symbol, time(element.get("timestamp")), receivedAt, natsSeq);
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
      out.add(new Level(number(l.get("price"), "price"), number(l.get("qty"), "qty")));
    }
    return out;
  }

  private static Long checksum(JsonNode b) {
    JsonNode c = b.get("checksum");
    return c != null && c.canConvertToLong() ? c.asLong() & 0xFFFFFFFFL : null;
  }

  private static BigDecimal optional(JsonNode n, String field) throws FrameRejection {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : number(v, field);
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

  /** RFC 3339 to epoch µs; 0 when absent (book snapshots carry no time) or unreadable. */
  private static long time(JsonNode ts) {
    if (ts == null || !ts.isTextual()) {
      return 0;
    }
    try {
      Instant i = Instant.parse(ts.asText());
      return i.getEpochSecond() * 1_000_000 + i.getNano() / 1000;
    } catch (DateTimeParseException e) {
      return 0;
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
