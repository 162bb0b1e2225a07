package io.ssmd.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.memory.MemoryTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Markets added and removed while the connector runs (by hand and from security-master change
 * events): idempotent, counted, within the per-connection limit, and part of what a connection
 * resubscribes after a reconnect.
 */
@Timeout(30)
class DynamicSubscriptionsIT {
  private static final String FEED = TestVenue.FEED;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ConnectorMetrics metrics = ConnectorMetrics.create(registry, FEED);
  private final CollectingTransport transport = new CollectingTransport(metrics.publishListener());
  private TestWsServer server;
  private Connector connector;

  @BeforeEach
  void startServer() throws Exception {
    server = new TestWsServer();
  }

  @AfterEach
  void stop() throws Exception {
    if (connector != null) {
      connector.close();
    }
    server.close();
  }

  private ConnectorOptions.Builder options() {
    return ConnectorOptions.builder("test", server.uri())
        .pongTimeout(Duration.ofSeconds(5))
        .noDataTimeout(Duration.ofSeconds(30))
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .subscribe(100, Duration.ofMillis(5))
        .connectTimeout(Duration.ofSeconds(2))
        .closeTimeout(Duration.ofSeconds(2));
  }

  private Connector start(ConnectorOptions options, int maxMarkets, List<String> markets) {
    connector = new Connector(options, new TestVenue(KeepAlive.text(Duration.ofMillis(200), "PING"), maxMarkets), transport, metrics);
    connector.start(markets);
    return connector;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  private double metric(String name, String... labels) {
    Double value = Metrics.value(registry, name, labels);
    return value == null ? Double.NaN : value;
  }

  private int commands(String op) {
    return server.peers.stream().mapToInt(p -> p.batchSizes(op).size()).sum();
  }

  @Test
  void seriesExistAtZeroBeforeAnyChange() {
    start(options().build(), 10, List.of("M1"));
    assertThat(metric(ConnectorMetrics.SUBSCRIPTION_CHANGES, "feed", FEED, "action", "add")).isZero();
    assertThat(metric(ConnectorMetrics.SUBSCRIPTION_CHANGES, "feed", FEED, "action", "remove")).isZero();
    for (String outcome : ConnectorMetrics.CHANGE_OUTCOMES) {
      assertThat(metric(ConnectorMetrics.CHANGE_EVENTS, "feed", FEED, "outcome", outcome)).isZero();
    }
  }

  @Test
  void addingAndRemovingTwiceChangesOnceAndIsCounted() throws Exception {
    start(options().build(), 10, List.of("M1", "M2"));
    await("initial subscribe", () -> server.peers.size() == 1 && server.peers.get(0).markets("subscribe").size() == 2);
    TestWsServer.Peer peer = server.peers.get(0);

    assertThat(connector.addMarkets(List.of("M3", "M1"))).isEqualTo(1);
    assertThat(connector.addMarkets(List.of("M3"))).isZero();
    await("M3 subscribed", () -> peer.markets("subscribe").contains("M3"));
    assertThat(connector.removeMarkets(List.of("M2"))).isEqualTo(1);
    assertThat(connector.removeMarkets(List.of("M2", "NEVER-HELD"))).isZero();
    await("M2 unsubscribed", () -> peer.markets("unsubscribe").contains("M2"));
    Thread.sleep(200); // a second command would have been sent by now

    assertThat(peer.markets("subscribe")).containsExactly("M1", "M2", "M3");
    assertThat(peer.markets("unsubscribe")).containsExactly("M2");
    assertThat(connector.markets()).containsExactlyInAnyOrder("M1", "M3");
    assertThat(metric(ConnectorMetrics.SUBSCRIPTION_CHANGES, "feed", FEED, "action", "add")).isEqualTo(1.0);
    assertThat(metric(ConnectorMetrics.SUBSCRIPTION_CHANGES, "feed", FEED, "action", "remove")).isEqualTo(1.0);
    assertThat(metric(ConnectorMetrics.SUBSCRIBED_MARKETS, "feed", FEED)).isEqualTo(2.0);
  }

  @Test
  void addsFillTheShardWithRoomBeforeOpeningANewConnection() throws Exception {
    start(options().build(), 3, List.of("M1", "M2", "M3", "M4"));
    await("2 connections", () -> server.peers.size() == 2
        && server.peers.stream().mapToInt(p -> p.markets("subscribe").size()).sum() == 4);
    connector.removeMarkets(List.of("M2"));
    connector.addMarkets(List.of("N1", "N2", "N3", "N4"));
    await("3 connections", () -> server.peers.size() == 3);
    await("all subscribed", () -> server.peers.stream().mapToInt(p -> p.markets("subscribe").size()).sum() == 8);
    // shard 0 had one free slot (M2 gone), shard 1 two, the last one opens a third connection
    assertThat(connector.status().connections()).extracting(ConnectorStatus.Connection::markets).containsExactly(3, 3, 1);
    assertThat(connector.status().connections()).allSatisfy(c -> assertThat(c.markets()).isLessThanOrEqualTo(3));
    assertThat(connector.status().reconnects()).isZero();
  }

  @Test
  void reconnectResubscribesTheDesiredSetNotTheStartingOne() throws Exception {
    start(options().build(), 10, List.of("M1", "M2"));
    await("subscribed", () -> server.peers.size() == 1 && server.peers.get(0).markets("subscribe").size() == 2);
    connector.removeMarkets(List.of("M1"));
    connector.addMarkets(List.of("M3"));
    await("M3 subscribed", () -> server.peers.get(0).markets("subscribe").contains("M3"));

    server.peers.get(0).drop();
    await("reconnected", () -> server.peers.size() == 2 && server.peers.get(1).markets("subscribe").size() == 2);
    Thread.sleep(200);
    assertThat(server.peers.get(1).markets("subscribe")).containsExactlyInAnyOrder("M2", "M3");
    assertThat(server.peers.get(1).markets("unsubscribe")).isEmpty();
  }

  @Test
  void podTakesOnlyTheAddedMarketsThatHashToIt() throws Exception {
    ConnectorOptions options = options().podShard(0, 2).build();
    start(options, 100, List.of());
    List<String> candidates = IntStream.range(0, 40).mapToObj(i -> "NEW-" + i).toList();
    List<String> mine = candidates.stream().filter(options::ownsMarket).toList();
    assertThat(mine.size()).isBetween(5, 35);
    assertThat(connector.addMarkets(candidates)).isEqualTo(mine.size());
    await("subscribed", () -> !server.peers.isEmpty() && server.peers.get(0).markets("subscribe").size() == mine.size());
    assertThat(server.peers.get(0).markets("subscribe")).containsExactlyElementsOf(mine);
    // removing a market another pod holds is a no-op here
    String theirs = candidates.stream().filter(m -> !options.ownsMarket(m)).findFirst().orElseThrow();
    assertThat(connector.removeMarkets(List.of(theirs))).isZero();
  }

  @Test
  void followerAppliesChangeEventsFromTheTransport() throws Exception {
    start(options().build(), 10, List.of("OLD-1", "OLD-2"));
    await("subscribed", () -> server.peers.size() == 1 && server.peers.get(0).markets("subscribe").size() == 2);
    TestWsServer.Peer peer = server.peers.get(0);
    try (MemoryTransport changes = MemoryTransport.start(PublishListener.NONE);
        ChangeFollower follower = ChangeFollower.start(connector, changes, "test", List.of())) {
      assertThat(follower.subject()).isEqualTo("test.secmaster.changes." + FEED);
      publish(changes, 1, "{\"feed\":\"" + FEED + "\",\"entity\":\"market\",\"ticker\":\"NEW-1\",\"kind\":\"added\",\"state\":\"open\"}");
      publish(changes, 2, "{\"feed\":\"" + FEED + "\",\"entity\":\"market\",\"ticker\":\"OLD-1\",\"kind\":\"closed\",\"state\":\"closed\"}");
      publish(changes, 3, "{\"feed\":\"" + FEED + "\",\"entity\":\"market\",\"ticker\":\"OLD-2\",\"kind\":\"changed\",\"state\":\"open\"}");
      publish(changes, 4, "{\"feed\":\"" + FEED + "\",\"entity\":\"market\",\"ticker\":\"NEW-1\",\"kind\":\"activated\",\"state\":\"open\"}");
      publish(changes, 5, "not json");
      await("NEW-1 subscribed", () -> peer.markets("subscribe").contains("NEW-1"));
      await("OLD-1 unsubscribed", () -> peer.markets("unsubscribe").contains("OLD-1"));
      await("5 events counted", () -> metric(ConnectorMetrics.CHANGE_EVENTS, "feed", FEED, "outcome", "malformed") == 1.0);
      Thread.sleep(200);
      assertThat(peer.markets("subscribe")).containsExactly("OLD-1", "OLD-2", "NEW-1");
      assertThat(peer.markets("unsubscribe")).containsExactly("OLD-1");
      assertThat(commands("subscribe")).isEqualTo(2);
      assertThat(metric(ConnectorMetrics.CHANGE_EVENTS, "feed", FEED, "outcome", "add")).isEqualTo(2.0);
      assertThat(metric(ConnectorMetrics.CHANGE_EVENTS, "feed", FEED, "outcome", "remove")).isEqualTo(1.0);
      assertThat(metric(ConnectorMetrics.CHANGE_EVENTS, "feed", FEED, "outcome", "ignored")).isEqualTo(1.0);
      // the second "add" of NEW-1 changed nothing
      assertThat(metric(ConnectorMetrics.SUBSCRIPTION_CHANGES, "feed", FEED, "action", "add")).isEqualTo(1.0);
      assertThat(connector.markets()).isEqualTo(Set.of("OLD-2", "NEW-1"));
    }
  }

  private static void publish(MemoryTransport changes, long id, String json) {
    changes.publish(new Envelope(Subjects.secmasterChanges("test", FEED), json.getBytes(StandardCharsets.UTF_8),
        "secmaster-" + FEED + "-" + id, System.currentTimeMillis() * 1_000_000L, "secmaster", 0));
  }
}
