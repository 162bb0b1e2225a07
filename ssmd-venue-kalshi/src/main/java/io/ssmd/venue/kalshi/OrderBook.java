package io.ssmd.venue.kalshi;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Local Kalshi book of one market: two bid ladders (YES bids, NO bids), prices in micro-dollars
 * (Kalshi quotes up to 6 decimals), sizes in hundredths of a contract ({@code _fp} has 2
 * decimals). Depth-limited: only the best {@code depth} levels per side are kept, so memory stays
 * bounded whatever the venue sends.
 */
final class OrderBook {
  private final int depth;
  private final NavigableMap<Long, Long> yes = new TreeMap<>(Collections.reverseOrder());
  private final NavigableMap<Long, Long> no = new TreeMap<>(Collections.reverseOrder());

  OrderBook(int depth) {
    this.depth = depth;
  }

  /** A book built from an {@code orderbook_snapshot} msg ({@code yes_dollars_fp}/{@code no_dollars_fp} ladders). */
  static OrderBook fromSnapshot(JsonNode msg, int depth) {
    OrderBook b = new OrderBook(depth);
    b.load(b.yes, msg.path("yes_dollars_fp"));
    b.load(b.no, msg.path("no_dollars_fp"));
    return b;
  }

  private void load(NavigableMap<Long, Long> side, JsonNode levels) {
    for (JsonNode lvl : levels) {
      Long price = micros(lvl.path(0));
      Long size = hundredths(lvl.path(1));
      if (price != null && size != null && size > 0) {
        side.put(price, size);
        trim(side);
      }
    }
  }

  /** Applies a signed size change; a level at or below zero is removed. Unknown side: ignored. */
  void apply(String side, long priceMicros, long deltaHundredths) {
    NavigableMap<Long, Long> s = "yes".equals(side) ? yes : "no".equals(side) ? no : null;
    if (s == null) {
      return;
    }
    if (!s.containsKey(priceMicros) && s.size() >= depth && priceMicros < s.lastKey()) {
      return; // beyond the tracked depth
    }
    long now = s.getOrDefault(priceMicros, 0L) + deltaHundredths;
    if (now <= 0) {
      s.remove(priceMicros);
    } else {
      s.put(priceMicros, now);
      trim(s);
    }
  }

  private void trim(NavigableMap<Long, Long> side) {
    while (side.size() > depth) {
      side.pollLastEntry();
    }
  }

  NavigableMap<Long, Long> yes() {
    return Collections.unmodifiableNavigableMap(yes);
  }

  NavigableMap<Long, Long> no() {
    return Collections.unmodifiableNavigableMap(no);
  }

  /** Parses a {@code *_dollars} string to micro-dollars, or null when it is not a number. */
  static Long micros(JsonNode n) {
    return scaled(n, 6);
  }

  /** Parses a {@code *_fp} string to hundredths of a contract, or null when it is not a number. */
  static Long hundredths(JsonNode n) {
    return scaled(n, 2);
  }

  private static Long scaled(JsonNode n, int scale) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return null;
    }
    try {
      BigDecimal d = n.isNumber() ? n.decimalValue() : new BigDecimal(n.asText().trim());
      return d.movePointRight(scale).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }
}
