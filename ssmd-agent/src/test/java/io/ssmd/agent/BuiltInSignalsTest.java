package io.ssmd.agent;

import static io.ssmd.agent.Ev.at;
import static io.ssmd.agent.Ev.quote;
import static io.ssmd.agent.Ev.snapshot;
import static io.ssmd.agent.Ev.trade;
import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.market.MarketEvent.Side;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltInSignalsTest {

  private static Ev.Run run(String kindAndParams) {
    return new Ev.Run("signals:\n  - name: s\n    symbols: [\"kraken:*\"]\n" + kindAndParams);
  }

  @Test
  void priceMoveFiresWhenTheRelativeMoveWithinTheWindowReachesTheThresholdAndNotBefore() {
    Ev.Run r = run("    kind: price_move\n    window: 10s\n    threshold: 0.01\n");
    r.feed(trade("BTC/USD", 0, "100"), trade("BTC/USD", 1, "100.5"), trade("BTC/USD", 2, "100.99"));
    assertThat(r.firings).isEmpty();
    r.feed(trade("BTC/USD", 3, "101"));
    assertThat(r.firings).hasSize(1);
    Firing f = r.firings.get(0);
    assertThat(f.ts()).isEqualTo(at(3));
    assertThat(f.value()).isEqualByComparingTo("0.01");
    assertThat(f.threshold()).isEqualByComparingTo("0.01");
    assertThat(f.details()).containsEntry("from", "100").containsEntry("to", "101").containsEntry("direction", "up");
    assertThat(f.ticker()).isEqualTo("BTC/USD");
    assertThat(f.kind()).isEqualTo("price_move");
    // still above: no second firing until the move falls back below the threshold
    r.feed(trade("BTC/USD", 4, "101.5"));
    assertThat(r.firings).hasSize(1);
    r.feed(trade("BTC/USD", 5, "100.2"), trade("BTC/USD", 6, "98.9"));
    assertThat(r.times()).containsExactly(at(3), at(6));
    assertThat(r.firings.get(1).details()).containsEntry("direction", "down");
  }

  @Test
  void priceMoveForgetsPricesOlderThanTheWindow() {
    Ev.Run r = run("    kind: price_move\n    window: 10s\n    threshold: 2\n    mode: abs\n");
    // 100 at t=0 leaves the window before 102 arrives at t=10.5: the move seen is 101 -> 102
    r.feed(trade("ETH/USD", 0, "100"), trade("ETH/USD", 5, "101"), trade("ETH/USD", 10.5, "102"));
    assertThat(r.firings).isEmpty();
    r.feed(trade("ETH/USD", 11, "103"));
    assertThat(r.firings).singleElement().satisfies(f -> assertThat(f.value()).isEqualByComparingTo("2"));
  }

  @Test
  void priceMoveIsBoundedByCountAsWellAsTime() {
    Ev.Run r = run("    kind: price_move\n    window: 1h\n    threshold: 5\n    mode: abs\n    max_points: 3\n");
    // with three points kept, 100 is gone when 105 arrives (window holds 101, 102, 105)
    r.feed(trade("X", 0, "100"), trade("X", 1, "101"), trade("X", 2, "102"), trade("X", 3, "105"));
    assertThat(r.firings).isEmpty();
    r.feed(trade("X", 4, "107"));
    assertThat(r.firings).singleElement().satisfies(f -> assertThat(f.details()).containsEntry("from", "102"));
  }

  @Test
  void priceMoveOnTheQuoteMid() {
    Ev.Run r = run("    kind: price_move\n    window: 10s\n    threshold: 1\n    mode: abs\n    source: mid\n");
    r.feed(trade("X", 0, "100"), trade("X", 1, "150"), quote("X", 2, "99", "101"), quote("X", 3, "99.5", "101.5"));
    assertThat(r.firings).isEmpty();
    r.feed(quote("X", 4, "100", "102"));
    assertThat(r.firings).singleElement().satisfies(f -> assertThat(f.details()).containsEntry("to", "101"));
  }

  @Test
  void cooldownHoldsBackARefiringWithinItsEventTimeAndCountsIt() {
    Ev.Run r = run("    kind: price_move\n    window: 10s\n    threshold: 1\n    mode: abs\n    cooldown: 30s\n");
    r.feed(trade("X", 0, "100"), trade("X", 1, "101")); // fires at 1
    r.feed(trade("X", 2, "100.5"), trade("X", 3, "102")); // re-armed and over again at 3: within 30 s
    r.feed(trade("X", 40, "100"), trade("X", 41, "100.1"), trade("X", 42, "101.5")); // over again at 42: 41 s after 1
    assertThat(r.times()).containsExactly(at(1), at(42));
    assertThat(r.metrics.value(AgentMetrics.SUPPRESSED, "s")).isEqualTo(1);
    assertThat(r.metrics.value(AgentMetrics.FIRINGS, "s")).isEqualTo(2);
    // cooldown is per ticker: another symbol fires at once
    r.feed(trade("Y", 43, "10"), trade("Y", 44, "12"));
    assertThat(r.firings).hasSize(3);
  }

  @Test
  void spreadAboveFiresOnCrossingFromQuotesAndSnapshotsAndRearmsWhenNarrow() {
    Ev.Run r = run("    kind: spread_above\n    threshold: 0.5\n");
    r.feed(quote("X", 0, "100", "100.5"), quote("X", 1, null, "200"));
    assertThat(r.firings).isEmpty(); // exactly the threshold is not above it; a one-sided quote says nothing
    r.feed(quote("X", 2, "100", "100.6"), quote("X", 3, "100", "101"));
    assertThat(r.times()).containsExactly(at(2));
    assertThat(r.firings.get(0).value()).isEqualByComparingTo("0.6");
    assertThat(r.firings.get(0).details()).containsEntry("bid", "100").containsEntry("ask", "100.6");
    r.feed(quote("X", 4, "100.9", "101"), snapshot("X", 5, List.of("99:1"), List.of("101:1")));
    assertThat(r.times()).containsExactly(at(2), at(5));
  }

  @Test
  void volumeSpikeComparesTheCurrentWindowWithTheTrailingAverage() {
    Ev.Run r = run("    kind: volume_spike\n    window: 10s\n    trailing: 3\n    multiple: 2\n");
    // windows [0,10) [10,20) [20,30): 2, 4, 0 (no trades) -> average 2, limit 4
    r.feed(trade("X", 1, "1", "1"), trade("X", 2, "1", "1"), trade("X", 11, "1", "4"));
    r.feed(trade("X", 31, "1", "3"), trade("X", 32, "1", "1"));
    assertThat(r.firings).isEmpty(); // 4 is not more than 4
    r.feed(trade("X", 33, "1", "0.5"));
    assertThat(r.firings).singleElement().satisfies(f -> {
      assertThat(f.ts()).isEqualTo(at(33));
      assertThat(f.value()).isEqualByComparingTo("4.5");
      assertThat(f.threshold()).isEqualByComparingTo("4");
      assertThat(f.details()).containsEntry("average", "2.00000000");
    });
    r.feed(trade("X", 34, "1", "10"));
    assertThat(r.firings).hasSize(1); // once per window
  }

  @Test
  void volumeSpikeNeedsAFullTrailingHistory() {
    Ev.Run r = run("    kind: volume_spike\n    window: 10s\n    trailing: 3\n    multiple: 2\n");
    r.feed(trade("X", 1, "1", "1"), trade("X", 11, "1", "100"), trade("X", 21, "1", "1000"));
    assertThat(r.firings).isEmpty();
    r.feed(trade("X", 31, "1", "10000"));
    assertThat(r.firings).hasSize(1);
  }

  @Test
  void bookImbalanceTracksTheBookFromSnapshotAndDeltasOverTheTopLevels() {
    Ev.Run r = run("    kind: book_imbalance\n    levels: 2\n    threshold: 3\n");
    r.feed(snapshot("X", 0, List.of("100:1", "99:1", "98:50"), List.of("101:1", "102:1")));
    assertThat(r.firings).isEmpty(); // 2 vs 2 over the top two levels; the deep 50 does not count
    r.feed(Ev.delta("X", 1, Side.BID, "99", "4"));
    assertThat(r.firings).isEmpty(); // 5 vs 2
    r.feed(Ev.delta("X", 2, Side.BID, "100", "2"));
    assertThat(r.firings).singleElement().satisfies(f -> {
      assertThat(f.ts()).isEqualTo(at(2));
      assertThat(f.value()).isEqualByComparingTo("3");
      assertThat(f.details()).containsEntry("side", "bid").containsEntry("bid_depth", "6").containsEntry("ask_depth", "2");
    });
    r.feed(Ev.delta("X", 3, Side.BID, "99", "5")); // 7 vs 2: still imbalanced, no refiring
    assertThat(r.firings).hasSize(1);
    // asks 101:1 101.5:20 = 21 vs bids 7: flips to the ask side
    r.feed(Ev.delta("X", 4, Side.ASK, "101.5", "20"));
    assertThat(r.firings).hasSize(2);
    assertThat(r.firings.get(1).details()).containsEntry("side", "ask");
  }

  @Test
  void bookImbalanceKeepsAtMostMaxLevelsPerSideAndCountsTheDropped() {
    Ev.Run r = run("    kind: book_imbalance\n    levels: 1\n    threshold: 3\n    max_levels: 2\n");
    r.feed(snapshot("X", 0, List.of("100:1", "99:1", "98:1", "97:1"), List.of("101:1")));
    assertThat(r.metrics.value(AgentMetrics.EVICTIONS, "s")).isEqualTo(2);
  }

  @Test
  void staleFeedFiresAtTheMomentTheSymbolWentSilentWhenTheFeedsTimeMovesPastIt() {
    Ev.Run r = run("    kind: stale_feed\n    after: 10s\n");
    r.feed(trade("A", 0, "1"), trade("B", 1, "1"), trade("A", 5, "1"), trade("B", 10.9, "1"));
    assertThat(r.firings).isEmpty(); // B kept the feed moving; A's last event at 5 is 5.9 s old
    r.feed(trade("B", 15, "1"));
    assertThat(r.firings).singleElement().satisfies(f -> {
      assertThat(f.ticker()).isEqualTo("A");
      assertThat(f.ts()).isEqualTo(at(15));
      assertThat(f.value()).isEqualByComparingTo("10");
      assertThat(f.details()).containsEntry("last_event_us", Long.toString(at(5)));
    });
    r.feed(trade("B", 16, "1"), trade("B", 24, "1"));
    assertThat(r.firings).hasSize(1); // once per silence
    // A is back at 30; B's last event (24) goes stale before A's (30), so B fires first
    r.feed(trade("A", 30, "1"), trade("C", 40.5, "1"));
    assertThat(r.firings).extracting(Firing::ticker).containsExactly("A", "B", "A");
    assertThat(r.times()).containsExactly(at(15), at(34), at(40));
  }

  @Test
  void staleFeedTimerAndNextEventGiveTheSameFiring() {
    String yaml = "    kind: stale_feed\n    after: 10s\n    scope: feed\n";
    Ev.Run byEvent = run(yaml).feed(trade("A", 0, "1"), trade("A", 25, "1"));
    Ev.Run byTimer = run(yaml).feed(trade("A", 0, "1"));
    byTimer.engine.advance("kraken", at(9));
    assertThat(byTimer.firings).isEmpty();
    byTimer.engine.advance("kraken", at(12));
    byTimer.feed(trade("A", 25, "1"));
    assertThat(byTimer.firings).hasSize(1);
    assertThat(byTimer.firings.get(0).toJson()).isEqualTo(byEvent.firings.get(0).toJson());
    assertThat(byEvent.firings.get(0).ticker()).isEqualTo("kraken");
    assertThat(byEvent.firings.get(0).ts()).isEqualTo(at(10));
  }

  @Test
  void staleFiringsOfSeveralSignalsComeInEventTimeOrderWhetherFoundByTimerOrByTheNextEvent() {
    String yaml = "signals:\n  - {name: slow, kind: stale_feed, symbols: \"*\", after: 10s}\n"
        + "  - {name: fast, kind: stale_feed, symbols: \"*\", after: 2s}\n";
    Ev.Run byEvent = new Ev.Run(yaml).feed(trade("A", 0, "1"), trade("B", 1, "1"), trade("A", 30, "1"));
    Ev.Run byTimer = new Ev.Run(yaml).feed(trade("A", 0, "1"), trade("B", 1, "1"));
    for (int s = 2; s < 30; s++) {
      byTimer.engine.advance("kraken", at(s));
    }
    byTimer.feed(trade("A", 30, "1"));
    assertThat(byEvent.firings).extracting(f -> f.signal() + " " + f.ticker())
        .containsExactly("fast A", "fast B", "slow A", "slow B");
    assertThat(byTimer.firings.stream().map(Firing::toJson).toList())
        .containsExactlyElementsOf(byEvent.firings.stream().map(Firing::toJson).toList());
  }

  @Test
  void aSignalSeesOnlyItsSymbols() {
    Ev.Run r = new Ev.Run("signals:\n  - name: s\n    kind: price_move\n    symbols: [\"kraken:BTC/*\", ETH-USD]\n"
        + "    window: 10s\n    threshold: 1\n    mode: abs\n");
    r.feed(trade("BTC/USD", 0, "1"), trade("BTC/USD", 1, "3"), trade("ETH/USD", 0, "1"), trade("ETH/USD", 1, "3"),
        trade("SOL/USD", 0, "1"), trade("SOL/USD", 1, "3"));
    assertThat(r.firings).extracting(Firing::ticker).containsExactly("BTC/USD", "ETH/USD");
    assertThat(r.metrics.value(AgentMetrics.EVENTS, "kraken")).isEqualTo(6);
  }
}
