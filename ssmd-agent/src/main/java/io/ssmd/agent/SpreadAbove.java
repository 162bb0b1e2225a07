package io.ssmd.agent;

import io.ssmd.market.MarketEvent;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * {@code spread_above}: best ask minus best bid is strictly above {@code threshold}, as carried by
 * quotes (both sides present) and book snapshots (both sides non-empty). Fires when the spread
 * goes above the threshold; re-arms when a later quote shows it at or below.
 */
final class SpreadAbove implements Signal {
  static final String KIND = "spread_above";
  static final List<String> KEYS = List.of("threshold");
  static final String DOC = "ask - bid > threshold (quotes and book snapshots)";

  private BigDecimal threshold;
  private Map<SymbolKey, Boolean> over;

  @Override
  public void init(SignalContext ctx) {
    threshold = ctx.definition().decimal("threshold");
    if (threshold.signum() < 0) {
      throw new ParamException("threshold", "expected a decimal >= 0, got " + threshold.toPlainString());
    }
    over = ctx.boundedMap();
  }

  @Override
  public void onEvent(MarketEvent e, SignalContext ctx) {
    BigDecimal bid = null;
    BigDecimal ask = null;
    if (e instanceof MarketEvent.Quote q) {
      bid = q.bidPrice();
      ask = q.askPrice();
    } else if (e instanceof MarketEvent.BookSnapshot s && !s.bids().isEmpty() && !s.asks().isEmpty()) {
      bid = s.bids().get(0).price();
      ask = s.asks().get(0).price();
    }
    if (bid == null || ask == null) {
      return;
    }
    BigDecimal spread = ask.subtract(bid);
    boolean now = spread.compareTo(threshold) > 0;
    SymbolKey key = SymbolKey.of(e);
    Boolean before = over.put(key, now);
    if (now && !Boolean.TRUE.equals(before)) {
      ctx.fire(key.feed(), key.ticker(), e.header().receivedAtMicros(), spread, threshold,
          Map.of("bid", bid.toPlainString(), "ask", ask.toPlainString()));
    }
  }
}
