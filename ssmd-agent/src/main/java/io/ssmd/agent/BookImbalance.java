package io.ssmd.agent;

import io.ssmd.market.MarketEvent;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code book_imbalance}: the depth (sum of sizes) of the best {@code levels} bid levels is at
 * least {@code threshold} times that of the best ask levels, or the other way round. The book is
 * kept per symbol from snapshots and deltas (absolute sizes, or signed increments where the venue
 * sends them), at most {@code max_levels} levels per side (the farthest are dropped, counted as
 * evictions). Needs depth on both sides. Fires when the book becomes imbalanced, or flips to the
 * other side; re-arms when it is balanced again.
 */
final class BookImbalance implements Signal {
  static final String KIND = "book_imbalance";
  static final List<String> KEYS = List.of("levels", "threshold", "max_levels");
  static final String DOC = "bid depth / ask depth over the top N levels >= threshold (or ask / bid)";
  private static final int SCALE = 6;

  private static final class Book {
    final TreeMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
    final TreeMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
    String state = "none";
  }

  private int levels;
  private BigDecimal threshold;
  private int maxLevels;
  private Map<SymbolKey, Book> books;

  @Override
  public void init(SignalContext ctx) {
    SignalDefinition d = ctx.definition();
    levels = d.integer("levels", 5, 1);
    threshold = d.decimal("threshold");
    if (threshold.compareTo(BigDecimal.ONE) <= 0) {
      throw new ParamException("threshold", "expected a ratio > 1 such as 3, got " + threshold.toPlainString());
    }
    maxLevels = d.integer("max_levels", 1000, levels);
    books = ctx.boundedMap();
  }

  @Override
  public void onEvent(MarketEvent e, SignalContext ctx) {
    SymbolKey key = SymbolKey.of(e);
    Book b;
    switch (e) {
      case MarketEvent.BookSnapshot s -> {
        b = books.computeIfAbsent(key, k -> new Book());
        b.bids.clear();
        b.asks.clear();
        s.bids().forEach(l -> set(b.bids, l.price(), l.size()));
        s.asks().forEach(l -> set(b.asks, l.price(), l.size()));
      }
      case MarketEvent.BookDelta d -> {
        b = books.get(key);
        if (b == null || d.side() == MarketEvent.Side.UNKNOWN) {
          return; // a delta before any snapshot has no book to apply to
        }
        TreeMap<BigDecimal, BigDecimal> side = d.side() == MarketEvent.Side.BID ? b.bids : b.asks;
        BigDecimal size = d.isIncrement() ? side.getOrDefault(d.price(), BigDecimal.ZERO).add(d.size()) : d.size();
        set(side, d.price(), size);
      }
      default -> {
        return;
      }
    }
    ctx.evicted(trim(b.bids) + trim(b.asks));
    BigDecimal bidDepth = depth(b.bids);
    BigDecimal askDepth = depth(b.asks);
    if (bidDepth.signum() <= 0 || askDepth.signum() <= 0) {
      return;
    }
    // compared by multiplication; the ratio is divided out only for a firing's value
    String state = bidDepth.compareTo(threshold.multiply(askDepth)) >= 0 ? "bid"
        : askDepth.compareTo(threshold.multiply(bidDepth)) >= 0 ? "ask" : "none";
    if (!state.equals(b.state) && !state.equals("none")) {
      BigDecimal ratio = state.equals("bid") ? bidDepth.divide(askDepth, MathContext.DECIMAL64) : askDepth.divide(bidDepth, MathContext.DECIMAL64);
      ctx.fire(key.feed(), key.ticker(), e.header().receivedAtMicros(), ratio.setScale(SCALE, RoundingMode.HALF_EVEN), threshold, Map.of(
          "side", state, "bid_depth", bidDepth.toPlainString(), "ask_depth", askDepth.toPlainString(),
          "levels", Integer.toString(levels)));
    }
    b.state = state;
  }

  private static void set(TreeMap<BigDecimal, BigDecimal> side, BigDecimal price, BigDecimal size) {
    if (size.signum() <= 0) {
      side.remove(price);
    } else {
      side.put(price, size);
    }
  }

  private int trim(TreeMap<BigDecimal, BigDecimal> side) {
    int n = 0;
    while (side.size() > maxLevels) {
      side.pollLastEntry();
      n++;
    }
    return n;
  }

  private BigDecimal depth(TreeMap<BigDecimal, BigDecimal> side) {
    BigDecimal sum = BigDecimal.ZERO;
    Iterator<BigDecimal> it = side.values().iterator();
    for (int i = 0; i < levels && it.hasNext(); i++) {
      sum = sum.add(it.next());
    }
    return sum;
  }
}
