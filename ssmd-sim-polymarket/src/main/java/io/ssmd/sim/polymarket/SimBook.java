package io.ssmd.sim.polymarket;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The Yes-token order book of one simulated market, prices in ticks of 0.01 (1..99) and sizes in
 * hundredths of a share. The No token's book is its mirror (a Yes bid at p is a No ask at 1-p),
 * which is how the CLOB keeps the two outcome tokens of a binary market consistent.
 */
final class SimBook {
  static final int MAX_TICK = 99;

  private final TreeMap<Integer, Long> bids = new TreeMap<>();
  private final TreeMap<Integer, Long> asks = new TreeMap<>();

  /** Sets the aggregate size at a Yes price; 0 removes the level. */
  void set(boolean bid, int price, long size) {
    TreeMap<Integer, Long> side = bid ? bids : asks;
    if (size <= 0) {
      side.remove(price);
    } else {
      side.put(price, size);
    }
  }

  long size(boolean bid, int price) {
    return (bid ? bids : asks).getOrDefault(price, 0L);
  }

  int levels(boolean bid) {
    return (bid ? bids : asks).size();
  }

  /** Best Yes bid in ticks; 0 when there is none. */
  int bestBid() {
    return bids.isEmpty() ? 0 : bids.lastKey();
  }

  /** Best Yes ask in ticks; 100 when there is none. */
  int bestAsk() {
    return asks.isEmpty() ? 100 : asks.firstKey();
  }

  /** Levels of one side of one token, ascending by that token's price. */
  NavigableMap<Integer, Long> side(boolean yes, boolean bid) {
    if (yes) {
      return bid ? bids : asks;
    }
    // No bids are the mirrored Yes asks, No asks the mirrored Yes bids.
    TreeMap<Integer, Long> out = new TreeMap<>();
    for (Map.Entry<Integer, Long> e : (bid ? asks : bids).entrySet()) {
      out.put(100 - e.getKey(), e.getValue());
    }
    return out;
  }

  /** Best bid of one token in ticks (0 = none). */
  int bestBid(boolean yes) {
    return yes ? bestBid() : 100 - bestAsk();
  }

  /** Best ask of one token in ticks (100 = none). */
  int bestAsk(boolean yes) {
    return yes ? bestAsk() : 100 - bestBid();
  }
}
