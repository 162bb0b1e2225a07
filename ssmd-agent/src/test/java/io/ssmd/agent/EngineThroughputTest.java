package io.ssmd.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.market.MarketEvent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events per second through the engine with every built-in kind over 200 symbols. A measurement,
 * not a check of speed: run with {@code -Dssmd.agent.bench=true} (figures go to the log).
 */
@EnabledIfSystemProperty(named = "ssmd.agent.bench", matches = "true")
class EngineThroughputTest {
  private static final Logger LOG = LoggerFactory.getLogger(EngineThroughputTest.class);

  @Test
  void measuresEventsPerSecond() {
    Ev.Run r = new Ev.Run("""
        signals:
          - {name: move, kind: price_move, symbols: "*", window: 10s, threshold: 0.002}
          - {name: spread, kind: spread_above, symbols: "*", threshold: 0.5}
          - {name: volume, kind: volume_spike, symbols: "*", window: 1s, trailing: 10, multiple: 3}
          - {name: imbalance, kind: book_imbalance, symbols: "*", levels: 5, threshold: 3}
          - {name: stale, kind: stale_feed, symbols: "*", after: 2s}
        """);
    int symbols = 200;
    int n = Integer.getInteger("ssmd.agent.bench.events", 2_000_000);
    java.util.Random rnd = new java.util.Random(7);
    List<MarketEvent> events = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String s = "S" + rnd.nextInt(symbols);
      double t = i / 20_000.0;
      BigDecimal p = BigDecimal.valueOf(10_000 + rnd.nextInt(200), 2);
      events.add(switch (i % 4) {
        case 0 -> Ev.trade(s, t, p.toPlainString(), "1");
        case 1 -> Ev.quote(s, t, p.toPlainString(), p.add(BigDecimal.valueOf(rnd.nextInt(100), 2)).toPlainString());
        case 2 -> Ev.snapshot(s, t, List.of(p + ":" + (1 + rnd.nextInt(9)), p.subtract(BigDecimal.ONE) + ":2"),
            List.of(p.add(BigDecimal.ONE) + ":" + (1 + rnd.nextInt(9)), p.add(BigDecimal.TWO) + ":2"));
        default -> Ev.delta(s, t, rnd.nextBoolean() ? MarketEvent.Side.BID : MarketEvent.Side.ASK, p.toPlainString(), "3");
      });
    }
    long start = System.nanoTime();
    events.forEach(r.engine::onEvent);
    double secs = (System.nanoTime() - start) / 1e9;
    LOG.info("engine: {} events, 5 signals, {} symbols in {} s = {} events/s, {} firings", n, symbols, String.format("%.2f", secs),
        String.format("%.0f", n / secs), r.firings.size());
    assertThat(r.engine.events()).isEqualTo(n);
  }
}
