package io.ssmd.agent;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.market.MarketEvent;
import io.ssmd.market.MarketEvent.Header;
import io.ssmd.market.MarketEvent.Level;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Crafted events and a recording engine for signal tests. Times are seconds (converted to µs). */
final class Ev {
  static final long T0 = 1_763_856_000_000_000L; // 2025-11-23T00:00:00Z in µs

  private Ev() {}

  static long at(double seconds) {
    return T0 + Math.round(seconds * 1_000_000);
  }

  static Header h(String feed, String symbol, double seconds) {
    return new Header(feed, symbol, 0, at(seconds), 0);
  }

  static MarketEvent trade(String symbol, double seconds, String price, String size) {
    return new MarketEvent.Trade(h("kraken", symbol, seconds), "t" + seconds, new BigDecimal(price), new BigDecimal(size),
        MarketEvent.Side.BID);
  }

  static MarketEvent trade(String symbol, double seconds, String price) {
    return trade(symbol, seconds, price, "1");
  }

  static MarketEvent quote(String symbol, double seconds, String bid, String ask) {
    return new MarketEvent.Quote(h("kraken", symbol, seconds), bid == null ? null : new BigDecimal(bid), BigDecimal.ONE,
        ask == null ? null : new BigDecimal(ask), BigDecimal.ONE, null);
  }

  /** Levels as "price:size" strings. */
  static MarketEvent snapshot(String symbol, double seconds, List<String> bids, List<String> asks) {
    return new MarketEvent.BookSnapshot(h("kraken", symbol, seconds), levels(bids), levels(asks), null);
  }

  static MarketEvent delta(String symbol, double seconds, MarketEvent.Side side, String price, String size) {
    return new MarketEvent.BookDelta(h("kraken", symbol, seconds), side, new BigDecimal(price), new BigDecimal(size), false, null, null);
  }

  private static List<Level> levels(List<String> specs) {
    List<Level> out = new ArrayList<>();
    for (String s : specs) {
      String[] p = s.split(":");
      out.add(new Level(new BigDecimal(p[0]), new BigDecimal(p[1])));
    }
    return out;
  }

  /** An engine over the signals of {@code yaml}, recording firings. */
  static final class Run {
    final List<Firing> firings = new ArrayList<>();
    final PrometheusRegistry registry = new PrometheusRegistry();
    final SignalEngine engine;
    final AgentMetrics metrics;

    Run(String yaml) {
      List<SignalDefinition> defs = SignalsFile.parse("test.yaml", yaml);
      metrics = AgentMetrics.create(registry, List.of("kraken"), defs.stream().map(SignalDefinition::name).toList());
      engine = new SignalEngine(defs, metrics, firings::add);
    }

    Run feed(MarketEvent... events) {
      for (MarketEvent e : events) {
        engine.onEvent(e);
      }
      return this;
    }

    List<Long> times() {
      return firings.stream().map(Firing::ts).toList();
    }
  }
}
