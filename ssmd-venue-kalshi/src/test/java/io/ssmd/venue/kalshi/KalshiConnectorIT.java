package io.ssmd.venue.kalshi;

import io.ssmd.connector.CollectingTransport;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.connector.Connector;
import io.ssmd.connector.ConnectorMetrics;
import io.ssmd.connector.ConnectorOptions;
import io.ssmd.connector.ConnectorStatus;
import io.ssmd.sim.Fault;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.kalshi.KalshiAuth;
import io.ssmd.sim.kalshi.KalshiSim;
import io.ssmd.sim.kalshi.KalshiSimOptions;
import io.ssmd.transport.Delivered;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real connector base with {@link KalshiVenue} against {@link KalshiSim} over WebSockets. */
@Timeout(60)
class KalshiConnectorIT {
  private static final KalshiAuth.DevKey KEY = KalshiAuth.generate();

  private ScheduledExecutorService scheduler;
  private KalshiSim sim;
  private SimServer server;
  private Connector connector;
  private CollectingTransport transport;

  @BeforeEach
  void start() throws Exception {
    scheduler = Executors.newScheduledThreadPool(2);
    KalshiSimOptions simOptions =
        KalshiSimOptions.defaults(Map.of(KEY.keyId(), KEY.publicKey()))
            .withMessagesPerSecond(300)
            .withPingInterval(Duration.ofMillis(300))
            .withLifecycleInterval(Duration.ofMillis(100));
    sim = new KalshiSim(simOptions, new Journal(1_000_000), scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 1 << 20).start();

    ConnectorMetrics metrics = ConnectorMetrics.create(new PrometheusRegistry(), "kalshi");
    transport = new CollectingTransport(metrics.publishListener());
    // PKCS#1, the form Kalshi hands out; 4 markets per connection gives three shards for ten markets
    KalshiVenue venue =
        new KalshiVenue(KalshiVenueOptions.defaults(KEY.keyId(), KalshiAuth.pkcs1Pem(KEY.privateKey())).withLimits(4, 3).withPingInterval(Duration.ofMillis(500)));
    ConnectorOptions options =
        ConnectorOptions.builder("test", server.wsUri())
            .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
            .pongTimeout(Duration.ofSeconds(3))
            .noDataTimeout(Duration.ofSeconds(10))
            .subscribe(2, Duration.ZERO)
            .build();
    connector = new Connector(options, venue, transport, metrics);
  }

  @AfterEach
  void stop() throws Exception {
    if (connector != null) {
      connector.close();
    }
    server.close();
    scheduler.shutdownNow();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private long journaled(String type, String ticker, String textPart, long afterId) {
    return sim.journal().entries().stream()
        .filter(e -> e.id() > afterId && e.type().equals(type) && e.ticker().equals(ticker) && e.text().contains(textPart))
        .count();
  }

  @Test
  void everyMessageArrivesExactlyOnceOnItsSubjectAcrossADisconnectAndASeqGap() throws Exception {
    List<String> markets = sim.marketTickers();
    connector.start(markets);
    await("all three shards connected", () -> connector.status().connectedCount() == 3);
    await("a snapshot for every market", () -> markets.stream().allMatch(m -> journaled("orderbook", m, "orderbook_snapshot", 0) > 0));
    await("lifecycle data on the primary", () -> sim.journal().entries().stream().anyMatch(e -> e.type().equals("lifecycle")));

    Thread.sleep(500);
    // forced disconnect: the connector reconnects every shard and resubscribes, with fresh snapshots
    long beforeDrop = sim.journal().count();
    sim.inject(Fault.of(Fault.Kind.DROP));
    await("fresh snapshots after the reconnect",
        () -> markets.stream().allMatch(m -> journaled("orderbook", m, "orderbook_snapshot", beforeDrop) > 0));

    // integrity fault: a skipped seq on the sid of SIM-MKT-002 makes the connector resync that sid
    long beforeSkip = sim.journal().count();
    sim.inject(Fault.of(Fault.Kind.SKIP_SEQ, "market", "SIM-MKT-002"));
    await("a gap and a resync reported",
        () -> connector.status().connections().stream().anyMatch(c -> c.gaps() > 0 && c.resyncs() > 0));
    await("a fresh snapshot of SIM-MKT-002 after the gap", () -> journaled("orderbook", "SIM-MKT-002", "orderbook_snapshot", beforeSkip) > 0);
    Thread.sleep(500); // data keeps flowing on the resynchronised sid
    ConnectorStatus status = connector.status();
    assertThat(status.connections().stream().mapToLong(ConnectorStatus.Connection::gaps).sum()).isEqualTo(1);
    assertThat(status.connections().stream().mapToLong(ConnectorStatus.Connection::reconnects).sum()).isGreaterThanOrEqualTo(3);

    // the simulator closes gracefully after everything it wrote: then nothing is in flight
    server.close();
    await("every journaled message published", () -> transport.published.size() >= sim.journal().count());
    Thread.sleep(200);

    Map<String, Integer> expected = new HashMap<>();
    for (Journal.Entry e : sim.journal().entries()) {
      expected.merge(Subjects.subject("test", "kalshi", e.type(), e.ticker()) + " " + e.text(), 1, Integer::sum);
    }
    Map<String, Integer> actual = new HashMap<>();
    for (Envelope env : transport.published) {
      actual.merge(env.subject() + " " + new String(env.payload(), StandardCharsets.UTF_8), 1, Integer::sum);
    }
    assertThat(sim.journal().overflow()).isZero();
    assertThat(expected).isNotEmpty();
    assertThat(actual).isEqualTo(expected);
    assertThat(transport.published).extracting(Envelope::msgId).doesNotHaveDuplicates();
    assertThat(transport.published).extracting(Envelope::subject)
        .anyMatch(s -> s.startsWith("test.kalshi.json.trade.SIM-MKT-"))
        .anyMatch(s -> s.startsWith("test.kalshi.json.ticker.SIM-MKT-"))
        .anyMatch(s -> s.startsWith("test.kalshi.json.orderbook.SIM-MKT-"))
        .anyMatch(s -> s.startsWith("test.kalshi.json.lifecycle.SIM-MKT-"))
        .anyMatch(s -> s.startsWith("test.kalshi.json.event_lifecycle.SIM-EVT-"));
    // lifecycle channels ride on the primary shard only
    assertThat(transport.published).filteredOn(e -> e.subject().contains(".lifecycle.") || e.subject().contains(".event_lifecycle."))
        .extracting(Envelope::shard).containsOnly(0);
  }

  @Test
  void removingAMarketStopsItsDataWithoutDisturbingTheOthersOnTheSameSid() throws Exception {
    List<String> markets = sim.marketTickers().subList(0, 4);
    connector.start(markets);
    await("snapshots", () -> markets.stream().allMatch(m -> journaled("orderbook", m, "orderbook_snapshot", 0) > 0));
    connector.removeMarkets(List.of("SIM-MKT-001"));
    Thread.sleep(300);
    long after = sim.journal().count();
    Thread.sleep(700);
    // market_lifecycle_v2 covers every market whatever the subscriptions: only per-market channels count here
    assertThat(sim.journal().entries().stream().filter(e -> e.id() > after && !e.type().contains("lifecycle")).map(Journal.Entry::ticker))
        .doesNotContain("SIM-MKT-001")
        .contains("SIM-MKT-000", "SIM-MKT-002", "SIM-MKT-003");
    assertThat(connector.status().connections().stream().mapToLong(ConnectorStatus.Connection::reconnects).sum()).isZero();
  }
}
