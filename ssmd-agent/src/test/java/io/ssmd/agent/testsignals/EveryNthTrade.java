package io.ssmd.agent.testsignals;

import io.ssmd.agent.ParamException;
import io.ssmd.agent.Signal;
import io.ssmd.agent.SignalContext;
import io.ssmd.market.MarketEvent;
import java.math.BigDecimal;
import java.util.Map;

/** A user signal for the SPI tests: fires on every n-th trade of a symbol ({@code params: {n: 3}}). */
public final class EveryNthTrade implements Signal {
  private int n;
  private Map<String, Integer> counts;

  @Override
  public void init(SignalContext ctx) {
    String v = ctx.definition().params().get("n");
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ParamException("n", "expected a whole number, got \"" + v + "\"");
    }
    counts = ctx.boundedMap();
  }

  @Override
  public void onEvent(MarketEvent e, SignalContext ctx) {
    if (!(e instanceof MarketEvent.Trade t)) {
      return;
    }
    if (t.price().signum() < 0) {
      throw new IllegalStateException("negative price");
    }
    int c = counts.merge(e.header().instrument(), 1, Integer::sum);
    if (c % n == 0) {
      ctx.fire(e.header().feed(), e.header().instrument(), e.header().receivedAtMicros(), BigDecimal.valueOf(c), BigDecimal.valueOf(n),
          Map.of("price", t.price().toPlainString()));
    }
  }
}
