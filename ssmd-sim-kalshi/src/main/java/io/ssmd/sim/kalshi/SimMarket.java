package io.ssmd.sim.kalshi;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One simulated Kalshi market: identity and a bids-only book with two ladders (YES bids and NO
 * bids, as Kalshi publishes it: a NO bid at p is a YES ask at 1-p). Prices are on the
 * {@code linear_cent} grid ($0.01 steps, 1..99 cents); sizes are hundredths of a contract, because
 * Kalshi counts in {@code _fp} strings with 2 decimals. Guarded by the venue lock.
 */
final class SimMarket {
  final int index;
  final String ticker;
  final String eventTicker;
  final String marketId;
  /** cents -> size in 1/100 contract, highest price first. */
  final NavigableMap<Integer, Long> yes = new TreeMap<>(java.util.Comparator.reverseOrder());
  final NavigableMap<Integer, Long> no = new TreeMap<>(java.util.Comparator.reverseOrder());
  int mid;
  int lastPrice;
  long volume;
  long openInterest;
  long dollarVolume;
  int lifecycleStep;
  /** Position in the venue's market list (the index of a market added later can be far larger). */
  int slot;

  SimMarket(int index, java.util.Random rnd, int depth) {
    this.index = index;
    this.ticker = KalshiSim.marketTicker(index);
    this.eventTicker = KalshiSim.eventTicker(index / KalshiSim.MARKETS_PER_EVENT);
    this.marketId = UUID.nameUUIDFromBytes(("kalshi-sim/" + ticker).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    this.mid = 30 + rnd.nextInt(41);
    this.lastPrice = mid;
    // the best YES bid sits one cent under mid, the best NO bid one cent under 1-mid: a 2-cent spread
    for (int k = 1; k <= depth; k++) {
      if (mid - k >= 1) {
        yes.put(mid - k, (long) (1 + rnd.nextInt(500)) * 100);
      }
      if (100 - mid - k >= 1) {
        no.put(100 - mid - k, (long) (1 + rnd.nextInt(500)) * 100);
      }
    }
  }

  NavigableMap<Integer, Long> side(boolean yesSide) {
    return yesSide ? yes : no;
  }

  /** Applies a signed change at one level; a level at zero is removed, as Kalshi does. */
  void apply(boolean yesSide, int cents, long delta) {
    Map<Integer, Long> s = side(yesSide);
    long now = s.getOrDefault(cents, 0L) + delta;
    if (now <= 0) {
      s.remove(cents);
    } else {
      s.put(cents, now);
    }
  }

  /** Best YES bid in cents, or 0 when the YES ladder is empty. */
  int bestYesBid() {
    return yes.isEmpty() ? 0 : yes.firstKey();
  }

  /** Best YES ask in cents (1 - best NO bid), or 100 when the NO ladder is empty. */
  int bestYesAsk() {
    return no.isEmpty() ? 100 : 100 - no.firstKey();
  }
}
