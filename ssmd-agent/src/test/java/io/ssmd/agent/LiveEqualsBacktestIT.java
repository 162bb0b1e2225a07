package io.ssmd.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.archiver.TransportArchiver;
import io.ssmd.connector.Connector;
import io.ssmd.connector.ConnectorMetrics;
import io.ssmd.connector.ConnectorOptions;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.kraken.KrakenSim;
import io.ssmd.sim.kraken.KrakenSimOptions;
import io.ssmd.transport.Delivered;
import io.ssmd.transport.memory.MemoryTransport;
import io.ssmd.venue.kraken.KrakenVenue;
import io.ssmd.venue.kraken.KrakenVenueOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kraken simulator → connector → memory transport, read at the same time by the live agent and
 * by the archiver; then a backtest over the archived day. Both must give the same firings: same
 * list, same order, same JSON (values, event times, details).
 */
@Timeout(120)
class LiveEqualsBacktestIT {
  private static final String ENV = "live";
  private static final String SIGNALS = """
      signals:
        - {name: move, kind: price_move, symbols: "*", window: 2s, threshold: 0.0003, cooldown: 1s}
        - {name: move_mid, kind: price_move, symbols: "kraken:*", window: 1s, threshold: 0.0002, source: mid}
        - {name: spread, kind: spread_above, symbols: "*", threshold: 0}
        - {name: volume, kind: volume_spike, symbols: "*", window: 500ms, trailing: 4, multiple: 1.5}
        - {name: imbalance, kind: book_imbalance, symbols: "*", levels: 3, threshold: 1.5}
        - {name: stale, kind: stale_feed, symbols: "*", after: 40ms}
        - {name: silence, kind: stale_feed, symbols: "*", after: 1s, scope: feed}
      """;

  @TempDir Path dir;

  @Test
  void aBacktestOfTheArchivedDayFiresExactlyAsTheLiveAgentDid() throws Exception {
    List<SignalDefinition> defs = SignalsFile.parse("it.yaml", SIGNALS);
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    PrometheusRegistry registry = new PrometheusRegistry();
    ConnectorMetrics cm = ConnectorMetrics.create(registry, "kraken");
    List<String> live = new CopyOnWriteArrayList<>();
    List<String> subjects = new CopyOnWriteArrayList<>();
    LocalDate firstDay = LocalDate.now(ZoneOffset.UTC);
    Agent agent;
    long[] lastWatermark = new long[1];
    try (MemoryTransport transport = MemoryTransport.start(cm.publishListener())) {
      TransportArchiver archiver = new TransportArchiver(transport, ENV, "kraken", dir, Duration.ofHours(1), registry);
      archiver.start();
      // the watermark timer decides the stale firings of the pause below (2 s grace: far more than the
      // memory transport's delay); the backtest finds the same firings at the first event after it
      agent = Agent.start(AgentOptions.defaults(defs).withFromFirst(true).withTick(Duration.ofMillis(100))
          .withWatermarkGrace(Duration.ofSeconds(2)), ENV, Map.of("kraken", transport), transport, registry);
      AutoCloseable firings = transport.subscribe(Firing.wildcard(ENV), (Delivered d) -> {
        live.add(new String(d.payload(), StandardCharsets.UTF_8));
        subjects.add(d.subject());
      });
      KrakenSim sim = new KrakenSim(KrakenSimOptions.defaults().withMarkets(4).withMessagesPerSecond(400), new Journal(1_000_000),
          scheduler);
      try (SimServer server = new SimServer(sim, "127.0.0.1", 0, 1 << 20).start();
          Connector connector = new Connector(ConnectorOptions.builder(ENV, server.wsUri()).build(),
              new KrakenVenue(KrakenVenueOptions.defaults()), transport, cm)) {
        connector.start(sim.symbols());
        await("1500 frames captured", () -> cm.publishedCount() > 1500);
        // a silence on the whole feed: live, the timer fires the stale signals while it lasts
        sim.pauseData(true);
        Thread.sleep(4500);
        long timerDecided = live.stream().filter(j -> j.contains("\"signal\":\"silence\"")).count();
        assertThat(timerDecided).as("feed silence fired by the live timer during the pause").isEqualTo(1);
        sim.pauseData(false);
        long resumed = cm.publishedCount();
        await("1500 more frames captured", () -> cm.publishedCount() > resumed + 1500);
        sim.pauseData(true);
        Thread.sleep(300);
        long total = sim.journal().count();
        await("every frame published", () -> cm.publishedCount() >= total);
      }
      long frames = cm.publishedCount();
      await("every frame archived", () -> archiver.written() >= frames);
      await("the agent evaluated everything", () -> agent.engine().events() > 0 && transport.pending() == 0
          && live.size() == agent.engine().firings());
      lastWatermark[0] = agent.engine().watermark("kraken");
      archiver.close();
      agent.close();
      firings.close();
    } finally {
      scheduler.shutdownNow();
    }
    LocalDate lastDay = LocalDate.now(ZoneOffset.UTC);

    List<String> backtest = new ArrayList<>();
    Map<String, Long> bySignal = new TreeMap<>();
    for (LocalDate d = firstDay; !d.isAfter(lastDay); d = d.plusDays(1)) {
      Backtest.Summary s = Backtest.run(new Backtest.Options(dir, d, List.of("kraken"), defs), f -> backtest.add(f.toJson()),
          new PrometheusRegistry());
      assertThat(s.problems()).isEmpty();
      s.firingsBySignal().forEach((k, v) -> bySignal.merge(k, v, Long::sum));
    }

    // after the last event the feed stays silent: the live timer fires stale signals that no later
    // event of the day can show a backtest (documented); they are exactly the firings past the last event time
    long lastEvent = lastWatermark[0];
    List<String> beyond = live.stream().filter(j -> ts(j) > lastEvent).toList();
    assertThat(beyond).allMatch(j -> j.contains("\"kind\":\"stale_feed\""));
    List<String> comparable = live.stream().filter(j -> ts(j) <= lastEvent).toList();
    assertThat(comparable).isNotEmpty();
    assertThat(backtest).containsExactlyElementsOf(comparable);
    assertThat(backtest.stream().filter(j -> j.contains("\"signal\":\"silence\"")).count()).isEqualTo(1);
    // the run exercised the signals, not just one of them
    assertThat(bySignal.entrySet().stream().filter(e -> e.getValue() > 0).count()).as("signals that fired: " + bySignal)
        .isGreaterThanOrEqualTo(4);
    assertThat(subjects).allMatch(s -> s.startsWith(ENV + ".signals."));
    org.slf4j.LoggerFactory.getLogger(LiveEqualsBacktestIT.class).info("live == backtest: {} firings {} over {} events", live.size(), bySignal,
        agent.engine().events());
  }

  private static long ts(String json) {
    int i = json.indexOf("\"ts\":") + 5;
    return Long.parseLong(json.substring(i, json.indexOf(',', i)));
  }

  static void await(String what, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
