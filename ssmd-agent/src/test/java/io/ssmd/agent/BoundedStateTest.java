package io.ssmd.agent;

import static io.ssmd.agent.Ev.trade;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedStateTest {

  @Test
  void manySymbolsEvictTheLeastRecentlyUsedAndCountIt() {
    Ev.Run r = new Ev.Run("signals:\n  - {name: mv, kind: price_move, symbols: \"*\", window: 1m, threshold: 0.5, max_symbols: 1000,"
        + " max_points: 4}\n");
    int symbols = 50_000;
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < symbols; i++) {
        r.feed(trade("S" + i, round * 10 + i / 10_000.0, "100"));
      }
    }
    // every new symbol beyond 1000 evicts one; each round revisits symbols evicted long ago
    assertThat(r.metrics.value(AgentMetrics.EVICTIONS, "mv")).isEqualTo(3L * symbols - 1000);
    // the cooldown bookkeeping is bounded the same way: fire on many symbols
    Ev.Run f = new Ev.Run("signals:\n  - {name: sp, kind: spread_above, symbols: \"*\", threshold: 0, max_symbols: 100,"
        + " cooldown: 1h}\n");
    for (int i = 0; i < 5_000; i++) {
      f.feed(Ev.quote("Q" + i, i / 1000.0, "1", "2"));
    }
    assertThat(f.firings).hasSize(5_000);
    // spread state and cooldown map each keep 100 entries
    assertThat(f.metrics.value(AgentMetrics.EVICTIONS, "sp")).isEqualTo(2L * (5_000 - 100));
  }
}
