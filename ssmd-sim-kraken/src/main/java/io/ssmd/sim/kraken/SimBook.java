package io.ssmd.sim.kraken;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** One side-pair of price levels: asks ascending, bids descending (best first on both). */
final class SimBook {
  final NavigableMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
  final NavigableMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());

  NavigableMap<BigDecimal, BigDecimal> side(boolean bid) {
    return bid ? bids : asks;
  }

  /** The best {@code depth} levels of each side, as a new book. */
  SimBook top(int depth) {
    SimBook t = new SimBook();
    copyTop(asks, t.asks, depth);
    copyTop(bids, t.bids, depth);
    return t;
  }

  private static void copyTop(NavigableMap<BigDecimal, BigDecimal> from, NavigableMap<BigDecimal, BigDecimal> to, int depth) {
    int n = 0;
    for (Map.Entry<BigDecimal, BigDecimal> e : from.entrySet()) {
      if (n++ == depth) {
        return;
      }
      to.put(e.getKey(), e.getValue());
    }
  }

  /**
   * The level changes that turn {@code before} (what a client holds at {@code depth}) into
   * {@code after}. Levels that merely fall below a full {@code after} are left out: Kraken sends no
   * qty 0 for levels leaving the subscribed depth, the client truncates them.
   */
  static NavigableMap<BigDecimal, BigDecimal> diff(
      NavigableMap<BigDecimal, BigDecimal> before, NavigableMap<BigDecimal, BigDecimal> after, int depth, boolean bid) {
    NavigableMap<BigDecimal, BigDecimal> changes = new TreeMap<>(after.comparator());
    for (Map.Entry<BigDecimal, BigDecimal> e : after.entrySet()) {
      BigDecimal old = before.get(e.getKey());
      if (old == null || old.compareTo(e.getValue()) != 0) {
        changes.put(e.getKey(), e.getValue());
      }
    }
    boolean full = after.size() >= depth;
    for (BigDecimal price : before.keySet()) {
      if (after.containsKey(price)) {
        continue;
      }
      int vsWorst = price.compareTo(after.isEmpty() ? price : after.lastKey());
      boolean outOfScope = full && (bid ? vsWorst < 0 : vsWorst > 0);
      if (!outOfScope) {
        changes.put(price, BigDecimal.ZERO);
      }
    }
    return changes;
  }
}
