package io.ssmd.secmaster.kraken;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * One pair from the WS v2 {@code instrument} channel, the authoritative source of v2 symbols and
 * precisions. A sync given these overrides the precisions derived from REST {@code AssetPairs}.
 */
public record KrakenInstrumentPair(
    String symbol,
    String base,
    String quote,
    String status,
    Integer pricePrecision,
    Integer qtyPrecision,
    Integer costPrecision,
    BigDecimal priceIncrement,
    BigDecimal qtyIncrement,
    BigDecimal qtyMin,
    BigDecimal costMin,
    BigDecimal tickSize,
    Boolean marginable) {

  public KrakenInstrumentPair {
    if (symbol == null || symbol.isBlank() || base == null || quote == null || status == null) {
      throw new IllegalArgumentException("instrument pair needs symbol, base, quote and status, got symbol=" + symbol);
    }
  }

  /**
   * The pairs of an {@code instrument} snapshot or update frame ({@code data.pairs[]}); parse the
   * frame with {@code USE_BIG_DECIMAL_FOR_FLOATS} so increments stay exact.
   */
  public static List<KrakenInstrumentPair> fromFrame(JsonNode frame) {
    List<KrakenInstrumentPair> out = new ArrayList<>();
    for (JsonNode p : frame.path("data").path("pairs")) {
      out.add(new KrakenInstrumentPair(
          text(p, "symbol"), text(p, "base"), text(p, "quote"), text(p, "status"),
          integer(p, "price_precision"), integer(p, "qty_precision"), integer(p, "cost_precision"),
          decimal(p, "price_increment"), decimal(p, "qty_increment"), decimal(p, "qty_min"), decimal(p, "cost_min"),
          decimal(p, "tick_size"), p.hasNonNull("marginable") ? p.get("marginable").asBoolean() : null));
    }
    return out;
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  static Integer integer(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    try {
      if (v.isTextual()) {
        return Integer.valueOf(v.asText());
      }
      if (v.canConvertToExactIntegral() && v.canConvertToInt()) {
        return v.intValue();
      }
    } catch (NumberFormatException e) {
      // reported below with the field name
    }
    throw new IllegalArgumentException(field + " must be an integer, got " + v);
  }

  /** Kraken sends REST decimals as strings and WS decimals as numbers: accept both, exactly. */
  static BigDecimal decimal(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      return v.decimalValue();
    }
    if (v.isTextual()) {
      try {
        return new BigDecimal(v.asText());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(field + " must be a decimal, got " + v);
      }
    }
    throw new IllegalArgumentException(field + " must be a decimal, got " + v);
  }
}
