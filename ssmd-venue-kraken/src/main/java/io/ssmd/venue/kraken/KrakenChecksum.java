package io.ssmd.venue.kraken;

import io.ssmd.market.MarketEvent.Level;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Kraken Spot v2 book checksum for code outside this module (archive book rebuilds): CRC32 over
 * the top 10 asks (lowest first) then the top 10 bids (highest first), each level as price then
 * qty formatted with the pair's precisions, '.' removed and leading zeros stripped; unsigned
 * 32-bit. Same formatting as the connector's online check ({@code KrakenBook}), so an archive
 * verifies exactly when the live feed did.
 */
public final class KrakenChecksum {
  /** Precisions tried when a pair's precisions are not known (the instrument channel is not archived). */
  public static final int MAX_PRECISION = 12;

  private KrakenChecksum() {}

  /**
   * @param bids best (highest) first
   * @param asks best (lowest) first
   */
  public static long of(List<Level> bids, List<Level> asks, int pricePrecision, int qtyPrecision) {
    StringBuilder sb = new StringBuilder(400);
    top(sb, asks, pricePrecision, qtyPrecision);
    top(sb, bids, pricePrecision, qtyPrecision);
    CRC32 crc = new CRC32();
    crc.update(sb.toString().getBytes(StandardCharsets.US_ASCII));
    return crc.getValue();
  }

  private static void top(StringBuilder sb, List<Level> side, int pp, int qp) {
    int n = Math.min(10, side.size());
    for (int i = 0; i < n; i++) {
      Level l = side.get(i);
      sb.append(KrakenBook.format(l.price(), pp)).append(KrakenBook.format(l.size(), qp));
    }
  }

  /** A pair's price and quantity precisions. */
  public record Precision(int price, int qty) {}

  /**
   * Finds the precisions under which the book has the venue's checksum, or null. Used on a
   * snapshot when the pair's precisions are unknown: the wire drops trailing zeros, so they cannot
   * be read off the numbers, but only the right pair (barring a 1-in-2^32 collision) reproduces
   * the checksum.
   */
  public static Precision infer(List<Level> bids, List<Level> asks, long expected) {
    int minPrice = 0;
    int minQty = 0;
    for (List<Level> side : List.of(bids, asks)) {
      for (int i = 0; i < Math.min(10, side.size()); i++) {
        minPrice = Math.max(minPrice, scale(side.get(i).price()));
        minQty = Math.max(minQty, scale(side.get(i).size()));
      }
    }
    // a precision below a value's own decimals cannot be the pair's: start at the decimals seen
    for (int pp = minPrice; pp <= MAX_PRECISION; pp++) {
      for (int qp = minQty; qp <= MAX_PRECISION; qp++) {
        if (of(bids, asks, pp, qp) == expected) {
          return new Precision(pp, qp);
        }
      }
    }
    return null;
  }

  private static int scale(BigDecimal v) {
    return Math.max(0, v.stripTrailingZeros().scale());
  }
}
