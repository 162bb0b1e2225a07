package io.ssmd.venue.kraken;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * One pair's level-2 book as Kraken's v2 rules define it, bounded to the subscribed depth. A new
 * snapshot is applied to a new instance (REPLACE, never merge: merged snapshots once kept stale
 * levels alive across reconnects).
 */
final class KrakenBook {
  private final int depth;
  final NavigableMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
  final NavigableMap<BigDecimal, BigDecimal> asks = new TreeMap<>();

  KrakenBook(int depth) {
    this.depth = depth;
  }

  /**
   * Applies one message's levels in order (several updates to one level can come in one
   * message), removes qty 0 levels, then truncates to the depth: Kraken sends no qty 0 for levels
   * that fall out of the subscribed scope.
   */
  void apply(JsonNode data) {
    side(bids, data.get("bids"));
    side(asks, data.get("asks"));
    truncate(bids);
    truncate(asks);
  }

  private static void side(NavigableMap<BigDecimal, BigDecimal> book, JsonNode levels) {
    if (levels == null || !levels.isArray()) {
      return;
    }
    for (JsonNode l : levels) {
      JsonNode p = l.get("price");
      JsonNode q = l.get("qty");
      if (p == null || q == null || !p.isNumber() || !q.isNumber()) {
        continue; // lenient: a level we cannot read shows up as a checksum mismatch, not a crash
      }
      BigDecimal price = p.decimalValue();
      BigDecimal qty = q.decimalValue();
      if (qty.signum() == 0) {
        book.remove(price);
      } else {
        book.put(price, qty);
      }
    }
  }

  private void truncate(NavigableMap<BigDecimal, BigDecimal> book) {
    while (book.size() > depth) {
      book.pollLastEntry();
    }
  }

  /**
   * Kraken v2 checksum: CRC32 of the top 10 asks (lowest first) then the top 10 bids (highest
   * first), each as price then qty formatted with the pair's precisions, '.' removed and leading
   * zeros stripped. Unsigned 32-bit.
   */
  long checksum(int pricePrecision, int qtyPrecision) {
    StringBuilder sb = new StringBuilder(400);
    top(sb, asks, pricePrecision, qtyPrecision);
    top(sb, bids, pricePrecision, qtyPrecision);
    CRC32 crc = new CRC32();
    crc.update(sb.toString().getBytes(StandardCharsets.US_ASCII));
    return crc.getValue();
  }

  private static void top(StringBuilder sb, NavigableMap<BigDecimal, BigDecimal> side, int pp, int qp) {
    int n = 0;
    for (Map.Entry<BigDecimal, BigDecimal> e : side.entrySet()) {
      if (n++ == 10) {
        return;
      }
      sb.append(format(e.getKey(), pp)).append(format(e.getValue(), qp));
    }
  }

  /**
   * {@code 45285.2} at precision 1 gives {@code 452852}; {@code 0.001} at precision 8 gives
   * {@code 100000}. The wire drops trailing zeros ({@code 0.001}), so the precision is re-applied
   * with {@link BigDecimal#setScale} exactly (ccxt turned Kraken checksums off after getting this
   * wrong). A value with more decimals than the precision is kept as sent, which then shows up as
   * a mismatch rather than being silently rounded into agreement.
   */
  static String format(BigDecimal v, int precision) {
    BigDecimal scaled = v.stripTrailingZeros().scale() > precision ? v : v.setScale(precision, RoundingMode.UNNECESSARY);
    String s = scaled.toPlainString();
    StringBuilder digits = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '.') {
        digits.append(c);
      }
    }
    int i = 0;
    while (i < digits.length() - 1 && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }

  int depth() {
    return depth;
  }
}
