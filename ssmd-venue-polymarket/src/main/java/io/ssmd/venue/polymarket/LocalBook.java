package io.ssmd.venue.polymarket;

import java.math.BigDecimal;
import java.util.TreeMap;

/**
 * The connector's copy of one asset's book, only to check the venue's best prices. Prices compare
 * numerically ({@code "0.5"} equals {@code ".50"}); each side keeps at most {@code maxLevels}
 * levels, dropping the worst, so memory stays bounded and the touch is never lost.
 */
final class LocalBook {
  private final TreeMap<BigDecimal, BigDecimal> bids = new TreeMap<>();
  private final TreeMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
  private final int maxLevels;

  LocalBook(int maxLevels) {
    this.maxLevels = maxLevels;
  }

  /** Sets the aggregate size of a level (the venue sends the new total, not a delta); zero removes it. */
  void set(boolean bid, BigDecimal price, BigDecimal size) {
    TreeMap<BigDecimal, BigDecimal> side = bid ? bids : asks;
    if (size.signum() == 0) {
      side.remove(price);
      return;
    }
    side.put(price, size);
    while (side.size() > maxLevels) {
      if (bid) {
        side.pollFirstEntry(); // lowest bid is the worst
      } else {
        side.pollLastEntry(); // highest ask is the worst
      }
    }
  }

  /** Best bid, or null when there are no bids. */
  BigDecimal bestBid() {
    return bids.isEmpty() ? null : bids.lastKey();
  }

  /** Best ask, or null when there are no asks. */
  BigDecimal bestAsk() {
    return asks.isEmpty() ? null : asks.firstKey();
  }

  int levels(boolean bid) {
    return (bid ? bids : asks).size();
  }
}
