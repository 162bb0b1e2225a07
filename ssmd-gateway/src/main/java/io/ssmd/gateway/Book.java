package io.ssmd.gateway;

import io.ssmd.market.MarketEvent.BookDelta;
import io.ssmd.market.MarketEvent.BookSnapshot;
import io.ssmd.market.MarketEvent.Level;
import io.ssmd.market.MarketEvent.Side;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The current book of one instrument, kept from normalized snapshots and deltas. Guarded by the
 * hub's lock. Kraken sends no removal for levels that fall out of the subscribed depth, so the
 * book is truncated to its snapshot's depth after each change (the same rule as the archive
 * rebuilder); other venues send full books, so their snapshot size bounds nothing and no
 * truncation applies ({@code depth == 0}).
 */
final class Book {
  private final NavigableMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
  private final NavigableMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
  private final boolean truncateToSnapshotDepth;
  private int depth;
  private boolean hasSnapshot;
  long seq;
  long receivedAtMicros;

  Book(boolean truncateToSnapshotDepth) {
    this.truncateToSnapshotDepth = truncateToSnapshotDepth;
  }

  void apply(BookSnapshot s, long seq, long receivedAtMicros) {
    bids.clear();
    asks.clear();
    s.bids().forEach(l -> set(bids, l.price(), l.size()));
    s.asks().forEach(l -> set(asks, l.price(), l.size()));
    depth = truncateToSnapshotDepth ? Math.max(s.bids().size(), s.asks().size()) : 0;
    hasSnapshot = true;
    this.seq = seq;
    this.receivedAtMicros = receivedAtMicros;
  }

  void apply(BookDelta d, long seq, long receivedAtMicros) {
    if (d.side() == Side.UNKNOWN) {
      return;
    }
    NavigableMap<BigDecimal, BigDecimal> side = d.side() == Side.BID ? bids : asks;
    BigDecimal size = d.isIncrement() ? side.getOrDefault(d.price(), BigDecimal.ZERO).add(d.size()) : d.size();
    set(side, d.price(), size);
    if (depth > 0) {
      while (side.size() > depth) {
        side.pollLastEntry();
      }
    }
    this.seq = seq;
    this.receivedAtMicros = receivedAtMicros;
  }

  /** True once a snapshot arrived: before it, deltas describe an unknown book. */
  boolean known() {
    return hasSnapshot;
  }

  List<Level> bids() {
    return levels(bids);
  }

  List<Level> asks() {
    return levels(asks);
  }

  private static void set(NavigableMap<BigDecimal, BigDecimal> side, BigDecimal price, BigDecimal size) {
    // BigDecimal keys compare by value in a TreeMap (0.50 == 0.5), which is what a price level is
    if (size.signum() <= 0) {
      side.remove(price);
    } else {
      side.put(price, size);
    }
  }

  private static List<Level> levels(Map<BigDecimal, BigDecimal> side) {
    List<Level> out = new ArrayList<>(side.size());
    side.forEach((p, s) -> out.add(new Level(p, s)));
    return out;
  }
}
