package io.ssmd.export;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.market.MarketEvent;
import io.ssmd.market.MarketEvent.Header;
import io.ssmd.market.MarketEvent.Level;
import io.ssmd.market.MarketEvent.Side;
import io.ssmd.market.Normalized;
import io.ssmd.market.Normalizer;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A small venue for tests ("testvenue"): {@code {"t":"trade"|"quote"|"book"|"delta"|"life"|"heartbeat", "s": symbol, …}}
 * with prices as JSON strings or numbers (read as BigDecimal), so export tests need no venue module.
 */
final class TestNormalizer implements Normalizer {
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private final String feed;

  TestNormalizer(String feed) {
    this.feed = feed;
  }

  @Override
  public String feed() {
    return feed;
  }

  @Override
  public Normalized normalize(byte[] frame, long receivedAtMicros, long natsSeq) {
    JsonNode n;
    try {
      n = JSON.readTree(frame);
    } catch (IOException e) {
      return new Normalized.Rejected("malformed", "not JSON");
    }
    if (n == null || !n.isObject()) {
      return new Normalized.Rejected("malformed", "not a JSON object");
    }
    String t = n.path("t").asText("");
    if (t.equals("heartbeat") || t.equals("ack")) {
      return new Normalized.Skipped(t);
    }
    if (!n.hasNonNull("s")) {
      return new Normalized.Rejected("missing_field", "s");
    }
    Header h = new Header(feed, n.get("s").asText(), n.path("ts").asLong(0), receivedAtMicros, natsSeq);
    try {
      return switch (t) {
        case "trade" -> one(new MarketEvent.Trade(h, n.path("id").asText(null), dec(n, "p"), dec(n, "q"),
            side(n.path("side").asText(""))));
        case "quote" -> one(new MarketEvent.Quote(h, opt(n, "bp"), opt(n, "bq"), opt(n, "ap"), opt(n, "aq"), opt(n, "last")));
        case "book" -> one(new MarketEvent.BookSnapshot(h, levels(n.path("bids")), levels(n.path("asks")),
            n.hasNonNull("cs") ? n.get("cs").asLong() : null));
        case "delta" -> {
          List<MarketEvent> out = new ArrayList<>();
          for (JsonNode l : n.path("levels")) {
            out.add(new MarketEvent.BookDelta(h, side(l.path(0).asText()), new BigDecimal(l.path(1).asText()),
                new BigDecimal(l.path(2).asText()), false, n.hasNonNull("seq") ? n.get("seq").asLong() : null, null));
          }
          yield new Normalized.Events(out);
        }
        case "life" -> one(new MarketEvent.Lifecycle(h, n.path("ev").asText(), n.has("detail") ? n.get("detail").toString() : null));
        default -> new Normalized.Rejected("unknown_type", "t=" + t);
      };
    } catch (NumberFormatException e) {
      return new Normalized.Rejected("bad_number", e.getMessage());
    } catch (MissingField e) {
      return new Normalized.Rejected("missing_field", e.getMessage());
    }
  }

  private static final class MissingField extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MissingField(String field) {
      super(field, null, false, false);
    }
  }

  private static Normalized one(MarketEvent e) {
    return new Normalized.Events(List.of(e));
  }

  private static BigDecimal dec(JsonNode n, String f) {
    JsonNode v = n.get(f);
    if (v == null || v.isNull()) {
      throw new MissingField(f);
    }
    return new BigDecimal(v.asText());
  }

  private static BigDecimal opt(JsonNode n, String f) {
    return n.hasNonNull(f) ? new BigDecimal(n.get(f).asText()) : null;
  }

  private static List<Level> levels(JsonNode arr) {
    List<Level> out = new ArrayList<>();
    for (JsonNode l : arr) {
      out.add(new Level(new BigDecimal(l.path(0).asText()), new BigDecimal(l.path(1).asText())));
    }
    return out;
  }

  private static Side side(String s) {
    return switch (s) {
      case "buy", "bid" -> Side.BID;
      case "sell", "ask" -> Side.ASK;
      default -> Side.UNKNOWN;
    };
  }
}
