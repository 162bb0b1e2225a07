package io.ssmd.connector;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.transport.Envelope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

@Timeout(30)
class ConnectorIT {
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

  /** Short timings so every watchdog fires within a second or two. */
  private ConnectorOptions.Builder options() {
    return ConnectorOptions.builder("test", server.uri())
        .pongTimeout(Duration.ofMillis(600))
        .noDataTimeout(Duration.ofSeconds(5))
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .backoffResetAfter(Duration.ofSeconds(5))
        .authBackoff(Duration.ofMillis(1500))
        .subscribe(100, Duration.ofMillis(5))
        .connectTimeout(Duration.ofSeconds(2))
        .closeTimeout(Duration.ofSeconds(2));
  }

  private Connector start(ConnectorOptions options, TestVenue venue, List<String> markets) {
    connector = new Connector(options, venue, transport, metrics);
    connector.start(markets);
    return connector;
  }

  private static TestVenue textPingVenue(int maxMarkets) {
    return new TestVenue(KeepAlive.text(Duration.ofMillis(100), "PING"), maxMarkets);
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

  private TestWsServer.Peer awaitPeer(int index) throws InterruptedException {
    await("connection " + index, () -> server.peers.size() > index);
    return server.peers.get(index);
  }

  private double metric(String name, String... labels) {
    Double value = Metrics.value(registry, name, labels);
    return value == null ? Double.NaN : value;
  }

  @Test
  void publishesFramesOnVenueSubjectsWithHeadersAndUniqueIds() throws Exception {
    start(options().build(), textPingVenue(200), List.of("M1", "BTC/USD"));
    TestWsServer.Peer peer = awaitPeer(0);
    await("subscribe", () -> peer.markets("subscribe").size() == 2);
    assertThat(server.upgradeHeaders.get(0)).containsEntry("X-Api-Key", TestVenue.SECRET);
    await("ready", connector::ready);

    long before = epochNanos();
    peer.send("{\"type\":\"trade\",\"market\":\"M1\",\"price\":\"0.55\"}");
    peer.send("{\"type\":\"ticker\",\"market\":\"BTC/USD\"}");
    peer.send("[{\"type\":\"orderbook\",\"market\":\"M1\"},{\"type\":\"trade\",\"market\":\"M1\"}]");
    peer.send("{\"type\":\"ack\"}");
    await("4 publishes", () -> transport.published.size() == 4);

    List<Envelope> out = transport.published;
    assertThat(out).extracting(Envelope::subject).containsExactly(
        "test.testvenue.json.trade.M1", "test.testvenue.json.ticker.BTC-USD",
        "test.testvenue.json.orderbook.M1", "test.testvenue.json.trade.M1");
    assertThat(new String(out.get(0).payload())).isEqualTo("{\"type\":\"trade\",\"market\":\"M1\",\"price\":\"0.55\"}");
    assertThat(new String(out.get(3).payload())).isEqualTo("{\"type\":\"trade\",\"market\":\"M1\"}");
    String connId = out.get(0).connId();
    assertThat(connId).matches("testvenue-0-0-\\d{13}");
    assertThat(out).allSatisfy(e -> {
      assertThat(e.connId()).isEqualTo(connId);
      assertThat(e.shard()).isZero();
      assertThat(e.receivedAtNanos()).isBetween(before, epochNanos());
    });
    assertThat(out).extracting(Envelope::msgId).doesNotHaveDuplicates()
        .containsExactly(connId + "-1", connId + "-2", connId + "-3-0", connId + "-3-1");

    assertThat(metric(ConnectorMetrics.MESSAGES_RECEIVED, "feed", FEED, "type", "trade")).isEqualTo(2.0);
    // the ack follows the last publish on the wire, so it may still be on its way through the loop
    await("the ack counted", () -> metric(ConnectorMetrics.MESSAGES_RECEIVED, "feed", FEED, "type", "control") >= 1.0);
    assertThat(metric(ConnectorMetrics.MESSAGES_PUBLISHED, "feed", FEED)).isEqualTo(4.0);
    assertThat(metric(ConnectorMetrics.CONNECTIONS, "feed", FEED, "state", "connected")).isEqualTo(1.0);
    assertThat(metric(ConnectorMetrics.SUBSCRIBED_MARKETS, "feed", FEED)).isEqualTo(2.0);
    ConnectorStatus status = connector.status();
    assertThat(status.messagesPublished()).isEqualTo(4);
    assertThat(status.connections().get(0).connId()).isEqualTo(connId);
    assertThat(status.line()).startsWith("testvenue 1/1 connected, 2 markets");

    connector.close();
    assertThat(transport.flushed).isTrue();
    assertThat(connector.ready()).isFalse();
  }

  @Test
  void resubscribesAfterServerDropsConnection() throws Exception {
    start(options().build(), textPingVenue(200), List.of("A", "B", "C"));
    TestWsServer.Peer first = awaitPeer(0);
    await("subscribe", () -> first.markets("subscribe").size() == 3);
    first.send("{\"type\":\"trade\",\"market\":\"A\"}");
    await("first publish", () -> transport.published.size() == 1);

    first.drop();
    TestWsServer.Peer second = awaitPeer(1);
    await("resubscribe", () -> second.markets("subscribe").size() == 3);
    assertThat(second.markets("subscribe")).containsExactlyInAnyOrder("A", "B", "C");
    second.send("{\"type\":\"trade\",\"market\":\"A\"}");
    await("second publish", () -> transport.published.size() == 2);

    Envelope before = transport.published.get(0);
    Envelope after = transport.published.get(1);
    assertThat(after.connId()).isNotEqualTo(before.connId());
    assertThat(after.msgId()).isNotEqualTo(before.msgId());
    assertThat(connector.status().reconnects()).isEqualTo(1);
    assertThat(metric(ConnectorMetrics.RECONNECTS, "feed", FEED, "reason", "closed")
        + metric(ConnectorMetrics.RECONNECTS, "feed", FEED, "reason", "error")).isEqualTo(1.0);
    assertThat(server.upgradeHeaders).hasSize(2).allSatisfy(h -> assertThat(h).containsKey("X-Api-Key"));
  }

  @Test
  void detectsHalfOpenSocketWhenPongsStop() throws Exception {
    start(options().build(), textPingVenue(200), List.of("A"));
    TestWsServer.Peer first = awaitPeer(0);
    // Data keeps flowing the whole time: only the missing pongs may trigger the reconnect.
    Thread feeder = Thread.ofVirtual().start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        server.peers.forEach(p -> p.send("{\"type\":\"trade\",\"market\":\"A\"}"));
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    try {
      Thread.sleep(1500); // 2.5 pong timeouts with pongs answered
      assertThat(first.received.stream().filter("PING"::equals).count()).isGreaterThanOrEqualTo(5);
      assertThat(connector.status().reconnects()).as("answered pings keep the connection").isZero();
      assertThat(connector.status().connections().get(0).lastPongAge()).isLessThan(Duration.ofMillis(600));

      server.answerPings = false;
      await("pong timeout", () -> metric(ConnectorMetrics.RECONNECTS, "feed", FEED, "reason", "pong_timeout") >= 1.0);
      assertThat(metric(ConnectorMetrics.RECONNECTS, "feed", FEED, "reason", "no_data")).isZero();
      assertThat(connector.status().connections().get(0).lastError()).startsWith("pong_timeout");
      server.answerPings = true;
      awaitPeer(1);
      await("ready again", connector::ready);
    } finally {
      feeder.interrupt();
    }
  }

  @Test
  void webSocketPongFramesKeepAFramePingConnectionAlive() throws Exception {
    TestVenue venue = new TestVenue(KeepAlive.frames(Duration.ofMillis(100)), 200);
    start(options().build(), venue, List.of());
    awaitPeer(0);
    Thread.sleep(1500);
    assertThat(connector.status().reconnects()).isZero();
    assertThat(connector.status().connections().get(0).lastPongAge()).isNotNull().isLessThan(Duration.ofMillis(600));
  }

  @Test
  void noDataWatchdogReconnectsOnlyConnectionsWithMarkets() throws Exception {
    start(options().noDataTimeout(Duration.ofMillis(400)).build(), textPingVenue(2), List.of("A", "B"));
    awaitPeer(0);
    await("no_data reconnect", () -> metric(ConnectorMetrics.RECONNECTS, "feed", FEED, "reason", "no_data") >= 1.0);
    awaitPeer(1);
    assertThat(connector.status().connections().get(0).lastError()).startsWith("no_data");
  }

  @Test
  void connectionWithoutMarketsDoesNotTripTheNoDataWatchdog() throws Exception {
    start(options().noDataTimeout(Duration.ofMillis(300)).build(), textPingVenue(200), List.of());
    TestWsServer.Peer peer = awaitPeer(0);
    Thread.sleep(1200);
    assertThat(connector.status().reconnects()).isZero();
    assertThat(server.peers).hasSize(1);
    assertThat(peer.markets("subscribe")).isEmpty();
    assertThat(connector.ready()).isTrue();
    assertThat(connector.status().connections()).hasSize(1);
  }

  @Test
  void rejectedCredentialsAreReportedAndRetriedSlowly() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(Connection.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      server.rejectStatus = 401;
      start(options().build(), textPingVenue(200), List.of("A"));
      await("first attempt", () -> server.upgradeAttemptNanos.size() == 1);
      await("auth error", () -> metric(ConnectorMetrics.ERRORS, "feed", FEED, "error_type", "auth") == 1.0);
      Thread.sleep(900);
      assertThat(server.upgradeAttemptNanos).as("no fast retry after an auth failure").hasSize(1);
      await("second attempt", () -> server.upgradeAttemptNanos.size() == 2);
      long gap = server.upgradeAttemptNanos.get(1) - server.upgradeAttemptNanos.get(0);
      assertThat(Duration.ofNanos(gap)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));

      ConnectorStatus.Connection status = connector.status().connections().get(0);
      assertThat(status.connected()).isFalse();
      assertThat(status.lastError()).contains("HTTP 401");
      assertThat(connector.notReadyReasons()).anySatisfy(r -> assertThat(r).contains("HTTP 401"));
      assertThat(metric(ConnectorMetrics.RECONNECTS, "feed", FEED, "reason", "auth")).isGreaterThanOrEqualTo(1.0);
      assertThat(metric(ConnectorMetrics.ERRORS, "feed", FEED, "error_type", "connect")).isZero();
      List<String> errors = logs.list.stream().filter(e -> e.getLevel().toString().equals("ERROR"))
          .map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(errors).anySatisfy(m -> assertThat(m)
          .startsWith("authentication rejected by testvenue (HTTP 401): check the API key and private key"));
      assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(TestVenue.SECRET));

      server.rejectStatus = 0;
      await("connected after the credentials were fixed", connector::ready);
    } finally {
      logger.detachAppender(logs);
    }
  }

  @Test
  void unusableCredentialsNeverReachTheVenue() throws Exception {
    TestVenue venue = textPingVenue(200);
    venue.credentialsBroken = true;
    start(options().build(), venue, List.of("A"));
    await("auth error", () -> metric(ConnectorMetrics.ERRORS, "feed", FEED, "error_type", "auth") == 1.0);
    Thread.sleep(300);
    assertThat(server.upgradeAttemptNanos).isEmpty();
    assertThat(connector.status().connections().get(0).lastError()).contains("private key file unreadable");
  }

  @Test
  void oversizeMessageIsDiscardedAndCountedWithoutDroppingTheConnection() throws Exception {
    start(options().maxFrameBytes(1024).build(), textPingVenue(200), List.of("M1"));
    TestWsServer.Peer peer = awaitPeer(0);
    await("subscribe", () -> !peer.markets("subscribe").isEmpty());
    peer.send("{\"type\":\"trade\",\"market\":\"M1\",\"pad\":\"" + "x".repeat(20_000) + "\"}");
    peer.send("{\"type\":\"trade\",\"market\":\"M1\"}");
    await("publish after oversize", () -> transport.published.size() == 1);

    assertThat(new String(transport.published.get(0).payload())).isEqualTo("{\"type\":\"trade\",\"market\":\"M1\"}");
    assertThat(metric(ConnectorMetrics.ERRORS, "feed", FEED, "error_type", "oversize")).isEqualTo(1.0);
    assertThat(metric(ConnectorMetrics.DROPPED, "feed", FEED, "reason", "oversize")).isEqualTo(1.0);
    assertThat(connector.status().reconnects()).isZero();
  }

  @Test
  void malformedFramesAndSessionFailuresAreCountedAndCaptureGoesOn() throws Exception {
    start(options().build(), textPingVenue(200), List.of("M1"));
    TestWsServer.Peer peer = awaitPeer(0);
    await("subscribe", () -> !peer.markets("subscribe").isEmpty());
    peer.send("this is not json");
    peer.send("{\"type\":\"boom\"}");
    peer.send("{\"type\":\"mystery\"}");
    peer.send("{\"type\":\"weird\",\"market\":\"M1\"}");
    peer.send("{\"type\":\"trade\",\"market\":\"M1\"}");
    await("publish after bad frames", () -> transport.published.size() == 1);

    assertThat(metric(ConnectorMetrics.ERRORS, "feed", FEED, "error_type", "malformed")).isEqualTo(1.0);
    assertThat(metric(ConnectorMetrics.ERRORS, "feed", FEED, "error_type", "handler")).isEqualTo(1.0);
    assertThat(metric(ConnectorMetrics.ERRORS, "feed", FEED, "error_type", "unknown_type")).isEqualTo(2.0);
    assertThat(transport.published.get(0).subject()).isEqualTo("test.testvenue.json.trade.M1");
    assertThat(connector.status().reconnects()).isZero();
  }

  @Test
  void shardsMarketsAcrossConnectionsInPacedBatches() throws Exception {
    List<String> markets = IntStream.range(0, 450).mapToObj(i -> "MKT-" + i).toList();
    TestVenue venue = textPingVenue(200);
    start(options().build(), venue, markets);
    await("3 connections subscribed", () -> server.peers.size() == 3
        && server.peers.stream().mapToInt(p -> p.markets("subscribe").size()).sum() == 450);
    await("ready", connector::ready);

    ConnectorStatus status = connector.status();
    assertThat(status.connections()).extracting(ConnectorStatus.Connection::shard).containsExactly(0, 1, 2);
    assertThat(status.connections()).extracting(ConnectorStatus.Connection::markets).containsExactly(200, 200, 50);
    Set<String> all = new HashSet<>();
    List<Integer> sizes = new ArrayList<>();
    for (TestWsServer.Peer peer : server.peers) {
      all.addAll(peer.markets("subscribe"));
      peer.batchSizes("subscribe").forEach(sizes::add);
    }
    assertThat(all).hasSize(450);
    assertThat(sizes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(100));
    assertThat(venue.contexts).filteredOn(SessionContext::primary).extracting(SessionContext::shard).containsExactly(0);

    for (TestWsServer.Peer peer : server.peers) {
      peer.send("{\"type\":\"trade\",\"market\":\"" + peer.markets("subscribe").get(0) + "\"}");
    }
    await("3 publishes", () -> transport.published.size() == 3);
    assertThat(transport.published).extracting(Envelope::shard).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(transport.published).extracting(Envelope::connId).doesNotHaveDuplicates();
  }

  @Test
  void removeAndAddTouchOnlyTheOwningConnections() throws Exception {
    List<String> markets = IntStream.range(0, 450).mapToObj(i -> "MKT-" + i).toList();
    start(options().build(), textPingVenue(200), markets);
    await("subscribed", () -> server.peers.size() == 3
        && server.peers.stream().mapToInt(p -> p.markets("subscribe").size()).sum() == 450);
    TestWsServer.Peer owner = server.peers.stream().filter(p -> p.markets("subscribe").contains("MKT-250")).findFirst().orElseThrow();

    connector.removeMarkets(List.of("MKT-250", "NOT-OWNED"));
    await("unsubscribe", () -> !owner.markets("unsubscribe").isEmpty());
    assertThat(owner.markets("unsubscribe")).containsExactly("MKT-250");
    assertThat(server.peers).filteredOn(p -> p != owner).allSatisfy(p -> assertThat(p.markets("unsubscribe")).isEmpty());
    assertThat(server.peers).hasSize(3);

    List<String> added = IntStream.range(450, 700).mapToObj(i -> "MKT-" + i).toList();
    connector.addMarkets(added);
    await("4th connection", () -> server.peers.size() == 4);
    await("added subscribed", () -> server.peers.stream().mapToInt(p -> p.markets("subscribe").size()).sum() == 700);
    // Fills shard 1 (one free slot), then shard 2 (150), then opens shard 3 for the rest.
    assertThat(connector.status().connections()).extracting(ConnectorStatus.Connection::markets)
        .containsExactly(200, 200, 200, 99);
    // shard 0 (the peer holding MKT-0; peers are in accept order, which is racy) was full and untouched
    assertThat(server.peers.stream().filter(p -> p.markets("subscribe").contains("MKT-0")).findFirst().orElseThrow()
        .markets("subscribe")).hasSize(200);
    assertThat(connector.status().reconnects()).isZero();
    assertThat(metric(ConnectorMetrics.SUBSCRIBED_MARKETS, "feed", FEED)).isEqualTo(699.0);
  }

  @Test
  void podTakesOnlyItsShareOfMarkets() throws Exception {
    List<String> markets = IntStream.range(0, 100).mapToObj(i -> "MKT-" + i).toList();
    ConnectorOptions options = options().podShard(1, 2).build();
    start(options, textPingVenue(200), markets);
    TestWsServer.Peer peer = awaitPeer(0);
    List<String> mine = markets.stream().filter(options::ownsMarket).toList();
    await("subscribe", () -> peer.markets("subscribe").size() == mine.size());
    assertThat(peer.markets("subscribe")).containsExactlyElementsOf(mine);
    assertThat(mine.size()).isBetween(30, 70);
    peer.send("{\"type\":\"trade\",\"market\":\"" + mine.get(0) + "\"}");
    await("publish", () -> transport.published.size() == 1);
    assertThat(transport.published.get(0).connId()).startsWith("testvenue-1-0-");
  }

  private static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
