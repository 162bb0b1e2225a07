package io.ssmd.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamState;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.connector.Connector;
import io.ssmd.connector.ConnectorMetrics;
import io.ssmd.connector.ConnectorOptions;
import io.ssmd.connector.ConnectorStatus;
import io.ssmd.connector.Venue;
import io.ssmd.sim.Fault;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.SimVenue;
import io.ssmd.sim.kalshi.KalshiAuth;
import io.ssmd.sim.kalshi.KalshiSim;
import io.ssmd.sim.kalshi.KalshiSimOptions;
import io.ssmd.sim.kraken.KrakenSim;
import io.ssmd.sim.kraken.KrakenSimOptions;
import io.ssmd.sim.polymarket.PolymarketSim;
import io.ssmd.sim.polymarket.PolymarketSimOptions;
import io.ssmd.sim.polymarket.PolymarketUniverse;
import io.ssmd.testkit.NatsServerProcess;
import io.ssmd.transport.Headers;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.nats.ApplyResult;
import io.ssmd.transport.nats.NatsTransport;
import io.ssmd.transport.nats.NatsTransportOptions;
import io.ssmd.transport.nats.StreamAdmin;
import io.ssmd.transport.nats.StreamSpec;
import io.ssmd.venue.kalshi.KalshiVenue;
import io.ssmd.venue.kalshi.KalshiVenueOptions;
import io.ssmd.venue.kraken.KrakenVenue;
import io.ssmd.venue.kraken.KrakenVenueOptions;
import io.ssmd.venue.polymarket.PolymarketVenue;
import io.ssmd.venue.polymarket.PolymarketVenueOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Simulator → connector → real nats-server with JetStream, per venue: every data message the
 * simulator wrote to a socket is in the stream exactly once, on its subject, with its exact bytes,
 * through a forced disconnect, a NATS server restart, the venue's integrity fault (Kalshi seq gap,
 * Kraken checksum, Polymarket best-bid/ask) and malformed, unknown and oversize frames, each of
 * which is detected and counted.
 */
@Timeout(180)
class CaptureEndToEndIT {
  private static final String ENV = "e2e";
  private static final int MAX_FRAME = 1 << 20;

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private NatsServerProcess nats;
  private SimServer server;
  private NatsTransport transport;
  private Connector connector;

  /** One venue as the test drives it. */
  private record Case(SimVenue sim, Venue venue, List<String> markets, Fault.Kind integrityFault, int maxMarketsPerConnection) {}

  private Case setUp(String feed) {
    Journal journal = new Journal(2_000_000);
    return switch (feed) {
      case "kalshi" -> {
        KalshiAuth.DevKey key = KalshiAuth.generate();
        KalshiSim sim = new KalshiSim(KalshiSimOptions.defaults(Map.of(key.keyId(), key.publicKey()))
            .withMarkets(10).withMessagesPerSecond(300).withPingInterval(Duration.ofSeconds(1)), journal, scheduler);
        Venue venue = new KalshiVenue(KalshiVenueOptions.defaults(key.keyId(), KalshiAuth.pkcs8Pem(key.privateKey()))
            .withPingInterval(Duration.ofMillis(500)));
        yield new Case(sim, venue, sim.marketTickers(), Fault.Kind.SKIP_SEQ, 4);
      }
      case "kraken" -> {
        KrakenSim sim = new KrakenSim(KrakenSimOptions.defaults().withMarkets(6).withMessagesPerSecond(300), journal, scheduler);
        Venue venue = new KrakenVenue(new KrakenVenueOptions(KrakenVenueOptions.DEFAULT_CHANNELS, 10, 100,
            Duration.ofMillis(500), 50, Duration.ofMillis(200), false));
        yield new Case(sim, venue, sim.symbols(), Fault.Kind.BAD_CHECKSUM, 3);
      }
      case "polymarket" -> {
        PolymarketSim sim = new PolymarketSim(PolymarketSimOptions.defaults().withMarkets(5).withMessagesPerSecond(300)
            .withPingTimeout(Duration.ofSeconds(5)), journal, scheduler);
        Venue venue = new PolymarketVenue(PolymarketVenueOptions.defaults()
            .withPingInterval(Duration.ofMillis(500)).withResyncMinInterval(Duration.ofMillis(200)));
        yield new Case(sim, venue, PolymarketUniverse.assetIds(5), Fault.Kind.BBO_MISMATCH, 4);
      }
      default -> throw new IllegalArgumentException(feed);
    };
  }

  @AfterEach
  void tearDown() throws Exception {
    if (connector != null) {
      connector.close();
    }
    if (transport != null) {
      transport.close();
    }
    if (server != null) {
      server.close();
    }
    if (nats != null) {
      nats.close();
    }
    scheduler.shutdownNow();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"kalshi", "kraken", "polymarket"})
  void everyMessageTheVenueSentIsInTheStreamExactlyOnceThroughFaultsAndANatsRestart(String feed) throws Exception {
    nats = NatsServerProcess.start();
    StreamSpec spec = StreamSpec.forFeed(ENV, feed, Duration.ofHours(1), 1, Duration.ofMinutes(2), -1);
    try (StreamAdmin admin = StreamAdmin.connect(nats.url())) {
      ApplyResult applied = admin.apply(spec, false);
      assertThat(applied.ok()).as(applied.summary()).isTrue();
    }
    Case c = setUp(feed);
    server = new SimServer(c.sim(), "127.0.0.1", 0, 4 << 20).start();
    ConnectorMetrics metrics = ConnectorMetrics.create(registry, feed);
    transport = NatsTransport.connect(
        NatsTransportOptions.defaults(nats.url(), spec.name(), List.of(ENV + "." + feed + ".json.>")), metrics.publishListener());
    ConnectorOptions options = ConnectorOptions.builder(ENV, server.wsUri())
        .maxMarketsPerConnection(c.maxMarketsPerConnection())
        .pongTimeout(Duration.ofSeconds(3))
        .noDataTimeout(Duration.ofSeconds(15))
        .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .subscribe(100, Duration.ofMillis(5))
        .maxFrameBytes(MAX_FRAME)
        .closeTimeout(Duration.ofSeconds(5))
        .build();
    connector = new Connector(options, c.venue(), transport, metrics);
    connector.start(c.markets());
    SimVenue sim = c.sim();

    await("connected and publishing", () -> allConnected() && metrics.publishedCount() > 200);

    sim.inject(Fault.of(Fault.Kind.DROP));
    int shards = connector.status().connections().size();
    await("every shard reconnected", () -> sum(ConnectorStatus.Connection::reconnects) >= shards && allConnected());
    awaitMorePublished(metrics, 200);

    sim.inject(Fault.of(c.integrityFault()));
    await("integrity fault detected and resynced", () -> sum(ConnectorStatus.Connection::resyncs) >= 1);
    if (feed.equals("kalshi")) {
      assertThat(sum(ConnectorStatus.Connection::gaps)).isGreaterThanOrEqualTo(1);
    }
    awaitMorePublished(metrics, 200);

    sim.inject(Fault.of(Fault.Kind.MALFORMED));
    sim.inject(Fault.of(Fault.Kind.UNKNOWN_TYPE));
    sim.inject(Fault.of(Fault.Kind.OVERSIZE, "bytes", String.valueOf(2 * MAX_FRAME)));
    await("malformed, unknown and oversize frames counted", () ->
        Metrics.counter(registry, ConnectorMetrics.ERRORS, "feed", feed, "error_type", "malformed") >= 1
            && Metrics.counter(registry, ConnectorMetrics.ERRORS, "feed", feed, "error_type", "unknown_type") >= 1
            && Metrics.counter(registry, ConnectorMetrics.ERRORS, "feed", feed, "error_type", "oversize") >= 1);

    nats.restart();
    await("transport reconnected", () -> transport.connected());
    awaitMorePublished(metrics, 300);
    assertThat(allConnected()).as("venue connections survive a NATS restart").isTrue();

    sim.pauseData(true);
    Thread.sleep(500);
    long sent = sim.journal().count();
    await("everything sent is acknowledged", () -> transport.pending() == 0 && metrics.publishedCount() >= sent);
    assertThat(sim.journal().overflow()).isZero();

    Map<String, Integer> expected = new HashMap<>();
    for (Journal.Entry e : sim.journal().entries()) {
      expected.merge(Subjects.subject(ENV, feed, e.type(), e.ticker()) + " " + e.text(), 1, Integer::sum);
    }
    Map<String, Integer> actual = new HashMap<>();
    Set<String> ids = new HashSet<>();
    int duplicateIds = 0;
    try (Connection nc = Nats.connect(nats.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      StreamState state = jsm.getStreamInfo(spec.name()).getStreamState();
      for (long seq = state.getFirstSequence(); seq <= state.getLastSequence() && state.getMsgCount() > 0; seq++) {
        MessageInfo m = jsm.getMessage(spec.name(), seq);
        actual.merge(m.getSubject() + " " + new String(m.getData(), StandardCharsets.UTF_8), 1, Integer::sum);
        if (!ids.add(m.getHeaders().getFirst(Headers.MSG_ID))) {
          duplicateIds++;
        }
        assertThat(m.getHeaders().getFirst(Headers.RECEIVED_AT)).isNotBlank();
      }
    }
    assertThat(duplicateIds).as("duplicate Nats-Msg-Id in the stream").isZero();
    Map<String, Integer> missing = diff(expected, actual);
    Map<String, Integer> extra = diff(actual, expected);
    assertThat(missing).as("sent by the venue but not in the stream (of %d sent)", sent).isEmpty();
    assertThat(extra).as("in the stream more often than the venue sent it").isEmpty();
    assertThat(actual.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo((int) sent);
    assertThat(Metrics.counter(registry, ConnectorMetrics.RESYNCS, "feed", feed)).isGreaterThanOrEqualTo(1);
  }

  private static Map<String, Integer> diff(Map<String, Integer> a, Map<String, Integer> b) {
    Map<String, Integer> out = new HashMap<>();
    a.forEach((k, n) -> {
      int m = b.getOrDefault(k, 0);
      if (n > m) {
        out.put(k.length() > 300 ? k.substring(0, 300) + "…" : k, n - m);
      }
    });
    return out;
  }

  private boolean allConnected() {
    ConnectorStatus s = connector.status();
    return !s.connections().isEmpty() && s.connections().stream().allMatch(ConnectorStatus.Connection::connected);
  }

  private long sum(ToLongFunction<ConnectorStatus.Connection> f) {
    return connector.status().connections().stream().mapToLong(f).sum();
  }

  private static void awaitMorePublished(ConnectorMetrics metrics, long more) throws InterruptedException {
    long from = metrics.publishedCount();
    await(more + " more messages published", () -> metrics.publishedCount() >= from + more);
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }
}
