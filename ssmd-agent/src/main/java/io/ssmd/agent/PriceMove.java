package io.ssmd.agent;

import io.ssmd.market.MarketEvent;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/**
 * {@code price_move}: the price moved by at least {@code threshold} within {@code window} (event
 * time). The move is measured from the oldest price still in the window to the newest; {@code
 * mode: relative} divides by the oldest price ({@code 0.01} = 1%). Fires when the move reaches the
 * threshold, then not again for that symbol until the move falls back below it (and the cooldown
 * has passed). Prices come from trades ({@code source: trade}) or the quote mid ({@code source: mid}).
 */
final class PriceMove implements Signal {
  static final String KIND = "price_move";
  static final List<String> KEYS = List.of("window", "threshold", "mode", "source", "max_points");
  static final String DOC = "price moved by >= threshold within window (abs, or relative to the oldest price in the window)";
  private static final int SCALE = 8;

  private record Point(long ts, BigDecimal price) {}

  private static final class State {
    final ArrayDeque<Point> points = new ArrayDeque<>();
    boolean over;
  }

  private long windowMicros;
  private BigDecimal threshold;
  private boolean relative;
  private boolean mid;
  private int maxPoints;
  private Map<SymbolKey, State> states;

  @Override
  public void init(SignalContext ctx) {
    SignalDefinition d = ctx.definition();
    windowMicros = d.duration("window").toNanos() / 1000;
    if (windowMicros <= 0) {
      throw new ParamException("window", "expected a positive duration such as 10s");
    }
    threshold = d.decimal("threshold");
    if (threshold.signum() <= 0) {
      throw new ParamException("threshold", "expected a positive decimal, got " + threshold.toPlainString());
    }
    relative = d.choice("mode", List.of("relative", "abs"), "relative").equals("relative");
    mid = d.choice("source", List.of("trade", "mid"), "trade").equals("mid");
    maxPoints = d.integer("max_points", 10_000, 2);
    states = ctx.boundedMap();
  }

  @Override
  public void onEvent(MarketEvent e, SignalContext ctx) {
    BigDecimal price = price(e);
    if (price == null) {
      return;
    }
    long ts = e.header().receivedAtMicros();
    State st = states.computeIfAbsent(SymbolKey.of(e), k -> new State());
    st.points.addLast(new Point(ts, price));
    // bounded by time and by count: a burst of prints inside the window cannot grow memory
    while (st.points.size() > maxPoints || ts - st.points.peekFirst().ts() > windowMicros) {
      st.points.removeFirst();
    }
    BigDecimal from = st.points.peekFirst().price();
    BigDecimal move = price.subtract(from);
    boolean over;
    if (relative) {
      if (from.signum() == 0) {
        return;
      }
      // compared by multiplication; the division is done only for a firing's value
      over = move.abs().compareTo(threshold.multiply(from.abs())) >= 0;
    } else {
      over = move.abs().compareTo(threshold) >= 0;
    }
    if (over && !st.over) {
      BigDecimal value = relative
          ? move.abs().divide(from.abs(), MathContext.DECIMAL64).setScale(SCALE, RoundingMode.HALF_EVEN) : move.abs();
      ctx.fire(e.header().feed(), e.header().instrument(), ts, value, threshold, Map.of(
          "from", from.toPlainString(), "to", price.toPlainString(), "direction", move.signum() >= 0 ? "up" : "down",
          "mode", relative ? "relative" : "abs", "window_us", Long.toString(windowMicros)));
    }
    st.over = over;
  }

  private BigDecimal price(MarketEvent e) {
    if (!mid) {
      return e instanceof MarketEvent.Trade t ? t.price() : null;
    }
    if (e instanceof MarketEvent.Quote q && q.bidPrice() != null && q.askPrice() != null) {
      return q.bidPrice().add(q.askPrice()).divide(BigDecimal.TWO);
    }
    return null;
  }
}
