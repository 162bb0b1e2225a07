package io.ssmd.venue.polymarket;

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
import io.ssmd.sim.polymarket.PolymarketSim;
import io.ssmd.sim.polymarket.PolymarketSimOptions;
import io.ssmd.sim.polymarket.PolymarketUniverse;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.Subjects;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real {@link Connector} with {@link PolymarketVenue} against {@link PolymarketSim} over a real WebSocket. */
@Timeout(60)
class PolymarketConnectorIT {
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final ConnectorMetrics metrics = ConnectorMetrics.create(new PrometheusRegistry(), "polymarket");
  private final CollectingTransport transport = new CollectingTransport(metrics.publishListener());
  private SimServer server;
  private Connector connector;

  @AfterEach
  void stop() throws Exception {
    if (connector != null) {
      connector.close();
    }
    if (server != null) {
      server.close();
    }
    scheduler.shutdownNow();
  }

  @Test
  void publishesEveryMessageExactlyOnceOnItsSubjectAcrossADisconnectAndABboResync() throws Exception {
    PolymarketSim sim = new PolymarketSim(
        PolymarketSimOptions.defaults().withMessagesPerSecond(300).withPingTimeout(Duration.ofSeconds(2)), new Journal(1_000_000), scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 4 << 20).start();
    ConnectorOptions options = ConnectorOptions.builder("test", server.wsUri())
        .maxMarketsPerConnection(4) // both tokens of a market stay on one connection
        .pongTimeout(Duration.ofSeconds(1))
        .noDataTimeout(Duration.ofSeconds(5))
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .subscribe(100, Duration.ofMillis(5))
        .connectTimeout(Duration.ofSeconds(2))
        .closeTimeout(Duration.ofSeconds(2))
        .build();
    PolymarketVenue venue = new PolymarketVenue(
        PolymarketVenueOptions.defaults().withPingInterval(Duration.ofMillis(200)).withResyncMinInterval(Duration.ofMillis(200)));
    connector = new Connector(options, venue, transport, metrics);
    connector.start(PolymarketUniverse.assetIds(5));

    await("all connections up and data flowing", () -> allConnected() && sim.journal().count() > 100);
    assertThat(connector.status().connections()).hasSize(3);

    sim.inject(Fault.of(Fault.Kind.DROP));
    await("reconnected", () -> sum(ConnectorStatus.Connection::reconnects) >= 3 && allConnected());
    long afterReconnect = sim.journal().count();
    await("data after reconnect", () -> sim.journal().count() > afterReconnect + 100);

    sim.inject(Fault.of(Fault.Kind.MALFORMED));
    sim.inject(Fault.of(Fault.Kind.UNKNOWN_TYPE));
    sim.inject(new Fault(Fault.Kind.BBO_MISMATCH, Map.of("asset", PolymarketUniverse.market(2).yesToken())));
    await("bbo mismatch resynced", () -> sum(ConnectorStatus.Connection::resyncs) >= 1);
    long afterResync = sim.journal().count();
    await("data after resync", () -> sim.journal().count() > afterResync + 100);

    sim.pauseData(true);
    Thread.sleep(300);
    await("everything sent was published", () -> transport.published.size() >= sim.journal().count());
    Thread.sleep(200);

    Map<String, Integer> expected = new HashMap<>();
    for (Journal.Entry e : sim.journal().entries()) {
      expected.merge(Subjects.subject("test", "polymarket", e.type(), e.ticker()) + " " + e.text(), 1, Integer::sum);
    }
    Map<String, Integer> actual = new HashMap<>();
    for (Envelope env : transport.published) {
      actual.merge(env.subject() + " " + new String(env.payload(), StandardCharsets.UTF_8), 1, Integer::sum);
    }
    assertThat(sim.journal().overflow()).isZero();
    // Only the injected mismatch: the local books never disagree with a correct feed.
    assertThat(sum(ConnectorStatus.Connection::resyncs)).isEqualTo(1);
    assertThat(sum(ConnectorStatus.Connection::gaps)).isZero();
    assertThat(actual).hasSameSizeAs(expected).isEqualTo(expected);
    assertThat(transport.published).extracting(Envelope::msgId).doesNotHaveDuplicates();
    assertThat(transport.published).extracting(Envelope::subject)
        .allMatch(s -> s.matches("test\\.polymarket\\.json\\.(trade|ticker|orderbook|lifecycle)\\.0x[0-9a-f]{64}"));
  }

  private boolean allConnected() {
    ConnectorStatus s = connector.status();
    return !s.connections().isEmpty() && s.connections().stream().allMatch(ConnectorStatus.Connection::connected);
  }

  private long sum(java.util.function.ToLongFunction<ConnectorStatus.Connection> f) {
    return connector.status().connections().stream().mapToLong(f).sum();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }
}
