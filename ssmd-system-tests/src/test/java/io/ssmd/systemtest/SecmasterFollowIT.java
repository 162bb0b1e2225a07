package io.ssmd.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.connector.ChangeFollower;
import io.ssmd.connector.Connector;
import io.ssmd.connector.ConnectorMetrics;
import io.ssmd.connector.ConnectorOptions;
import io.ssmd.secmaster.ChangeOutbox;
import io.ssmd.secmaster.Database;
import io.ssmd.secmaster.EmbeddedDatabase;
import io.ssmd.secmaster.KalshiRestClient;
import io.ssmd.secmaster.KalshiRestOptions;
import io.ssmd.secmaster.KalshiSync;
import io.ssmd.secmaster.KalshiSyncOptions;
import io.ssmd.secmaster.SyncReport;
import io.ssmd.secmaster.kraken.KrakenSync;
import io.ssmd.secmaster.polymarket.PolymarketSync;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.kalshi.KalshiAuth;
import io.ssmd.sim.kalshi.KalshiSim;
import io.ssmd.sim.kalshi.KalshiSimOptions;
import io.ssmd.sim.kraken.KrakenSim;
import io.ssmd.sim.kraken.KrakenSimOptions;
import io.ssmd.sim.polymarket.PolymarketSim;
import io.ssmd.sim.polymarket.PolymarketSimOptions;
import io.ssmd.sim.polymarket.PolymarketUniverse;
import io.ssmd.testkit.NatsServerProcess;
import io.ssmd.transport.Delivered;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Transport;
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
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 4's "a running connector picks up a market that the sim opens and drops one it closes,
 * within seconds, without touching its other subscriptions": Kalshi simulator, embedded PostgreSQL,
 * a real nats-server with the feed stream and {@code {PREFIX}_SECMASTER}; a connector follows the
 * change events that a {@code KalshiSync} publishes after the simulator added one market and closed
 * a subscribed one.
 *
 * <p>"Untouched" is read from the frames in the feed stream: every Kalshi data frame carries the
 * {@code sid} of its subscription, and a resubscribe gives a market a new sid (subscribe) or a fresh
 * {@code orderbook_snapshot} (delete then add on a sid). So the other markets keep exactly the sids
 * they had and get no new snapshot, and the new market joins the existing sids ({@code
 * update_subscription add_markets}) instead of a new subscription.
 */
@Timeout(150)
class SecmasterFollowIT {
  private static final Logger LOG = LoggerFactory.getLogger(SecmasterFollowIT.class);
  private static final String ENV = "follow";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> DATA_TYPES = Set.of("trade", "ticker", "orderbook");

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final List<Frame> frames = new CopyOnWriteArrayList<>();
  private NatsServerProcess nats;
  private SimServer server;
  private EmbeddedDatabase postgres;
  private Database db;
  private NatsTransport feedTransport;
  private NatsTransport changes;
  private NatsTransport reader;
  private Connector connector;
  private ChangeFollower follower;
  private AutoCloseable feedSubscription;

  /** One data frame of the feed stream: stream seq, subject type and ticker, Kalshi type and sid. */
  private record Frame(long seq, String subjectType, String ticker, String type, long sid) {}

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {follower, feedSubscription, connector, feedTransport, changes, reader, server, db,
        postgres, nats}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.warn("closing {}: {}", c, e.toString());
        }
      }
    }
    scheduler.shutdownNow();
  }

  @Test
  void runningConnectorSubscribesTheOpenedMarketAndDropsTheClosedOneWithoutTouchingTheOthers() throws Exception {
    nats = NatsServerProcess.start();
    StreamSpec feedStream = StreamSpec.forFeed(ENV, "kalshi", Duration.ofHours(1), 1, Duration.ofMinutes(2), -1);
    try (StreamAdmin admin = StreamAdmin.connect(nats.url())) {
      for (StreamSpec spec : List.of(feedStream, StreamSpec.forSecmaster(ENV, Duration.ofHours(1), 1, Duration.ofMinutes(2), -1))) {
        ApplyResult applied = admin.apply(spec, false);
        assertThat(applied.ok()).as(applied.summary()).isTrue();
      }
    }
    KalshiAuth.DevKey key = KalshiAuth.generate();
    KalshiSim sim = new KalshiSim(KalshiSimOptions.defaults(Map.of(key.keyId(), key.publicKey()))
        .withMarkets(6).withMessagesPerSecond(120).withLifecycleInterval(Duration.ofHours(1)), new Journal(200_000), scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 4 << 20).start();
    postgres = EmbeddedDatabase.start();
    db = Database.embedded(postgres);

    // the security master knows the universe before the connector starts: those ADDED events are history
    changes = NatsTransport.connect(NatsTransportOptions.secmaster(nats.url(), ENV), PublishListener.NONE);
    SyncReport first = sync();
    assertThat(first.changeEvents()).isPositive();
    assertThat(changes.flush(Duration.ofSeconds(10))).isTrue();

    List<String> subscribed = sim.marketTickers().subList(0, 4);
    String closed = subscribed.get(0);
    List<String> untouched = subscribed.subList(1, 4);
    ConnectorMetrics metrics = ConnectorMetrics.create(registry, "kalshi");
    feedTransport = NatsTransport.connect(
        NatsTransportOptions.defaults(nats.url(), feedStream.name(), List.of(ENV + ".kalshi.json.>")), metrics.publishListener());
    feedSubscription = feedTransport.subscribe(ENV + ".kalshi.json.>", Transport.FIRST, this::record);
    connector = new Connector(
        ConnectorOptions.builder(ENV, server.wsUri()).maxMarketsPerConnection(10).build(),
        new KalshiVenue(KalshiVenueOptions.defaults(key.keyId(), KalshiAuth.pkcs8Pem(key.privateKey()))),
        feedTransport, metrics);
    connector.start(subscribed);
    reader = NatsTransport.connect(NatsTransportOptions.secmaster(nats.url(), ENV).withConnectionName("follow-reader"),
        PublishListener.NONE);
    follower = ChangeFollower.start(connector, reader, ENV, List.of());
    await("data of every subscribed market", Duration.ofSeconds(30),
        () -> subscribed.stream().allMatch(m -> frames.stream().anyMatch(f -> f.ticker().equals(m) && f.type().equals("ticker"))
            && frames.stream().anyMatch(f -> f.ticker().equals(m) && f.type().equals("orderbook_delta"))));
    Map<String, Set<Long>> sidsBefore = sidsByMarket(0);
    Set<Long> allSidsBefore = new HashSet<>();
    sidsBefore.values().forEach(allSidsBefore::addAll);
    long beforeChange = lastSeq();

    String opened = sim.addMarket("A market the venue opens while the connector runs");
    sim.closeMarket(closed);
    long t0 = System.nanoTime();
    SyncReport second = sync();
    assertThat(changes.flush(Duration.ofSeconds(10))).isTrue();
    LOG.info("second sync: {} change events", second.changeEvents());

    await("the opened market's data in the feed stream", Duration.ofSeconds(20),
        () -> frames.stream().anyMatch(f -> f.ticker().equals(opened) && f.seq() > beforeChange));
    long pickedUpMs = (System.nanoTime() - t0) / 1_000_000;
    await("the closed market dropped", Duration.ofSeconds(20), () -> !connector.markets().contains(closed));
    long droppedMs = (System.nanoTime() - t0) / 1_000_000;
    LOG.info("after the sync started: opened market's first frame in {} ms, closed market dropped in {} ms", pickedUpMs, droppedMs);
    assertThat(connector.markets()).containsExactlyInAnyOrderElementsOf(List.of(untouched.get(0), untouched.get(1), untouched.get(2), opened));

    // let the delete_markets reach the venue and what was already on the wire drain, then watch
    Thread.sleep(1_500);
    long afterDelete = lastSeq();
    await("more data of the other markets and the opened one", Duration.ofSeconds(20),
        () -> frames.stream().filter(f -> f.seq() > afterDelete).map(Frame::ticker).collect(java.util.stream.Collectors.toSet())
            .containsAll(List.of(untouched.get(0), untouched.get(1), untouched.get(2), opened)));
    Thread.sleep(1_000);
    assertThat(frames).filteredOn(f -> f.seq() > afterDelete && f.ticker().equals(closed)).isEmpty();
    assertThat(frames).filteredOn(f -> f.seq() <= beforeChange && f.ticker().equals(closed)).isNotEmpty();

    // the other markets: same sids, no fresh snapshot (no unsubscribe/resubscribe), no reconnect
    Map<String, Set<Long>> sidsAfter = sidsByMarket(beforeChange);
    for (String m : untouched) {
      assertThat(sidsAfter.get(m)).as("sids of %s after the change", m).isSubsetOf(sidsBefore.get(m));
      assertThat(frames).as("snapshots of %s after the change", m)
          .filteredOn(f -> f.seq() > beforeChange && f.ticker().equals(m) && f.type().equals("orderbook_snapshot")).isEmpty();
    }
    // the opened market joined the existing subscriptions (add_markets) with its own first snapshot
    assertThat(sidsAfter.get(opened)).isSubsetOf(allSidsBefore);
    assertThat(frames).filteredOn(f -> f.ticker().equals(opened) && f.type().equals("orderbook_snapshot")).hasSize(1);
    assertThat(connector.status().reconnects()).isZero();
    assertThat(connector.status().connections()).hasSize(1);
    assertThat(Metrics.counter(registry, ConnectorMetrics.SUBSCRIPTION_CHANGES, "feed", "kalshi", "action", "add")).isEqualTo(1.0);
    assertThat(Metrics.counter(registry, ConnectorMetrics.SUBSCRIPTION_CHANGES, "feed", "kalshi", "action", "remove")).isEqualTo(1.0);
    assertThat(Metrics.counter(registry, ConnectorMetrics.CHANGE_EVENTS, "feed", "kalshi", "outcome", "malformed")).isZero();
    assertThat(Metrics.counter(registry, ConnectorMetrics.CHANGE_EVENTS, "feed", "kalshi", "outcome", "add")).isPositive();
  }

  @Test
  void runningKrakenConnectorDropsThePairTheVenueDelistsWithoutTouchingTheOthers() throws Exception {
    nats = NatsServerProcess.start();
    StreamSpec feedStream = StreamSpec.forFeed(ENV, "kraken", Duration.ofHours(1), 1, Duration.ofMinutes(2), -1);
    try (StreamAdmin admin = StreamAdmin.connect(nats.url())) {
      for (StreamSpec spec : List.of(feedStream, StreamSpec.forSecmaster(ENV, Duration.ofHours(1), 1, Duration.ofMinutes(2), -1))) {
        ApplyResult applied = admin.apply(spec, false);
        assertThat(applied.ok()).as(applied.summary()).isTrue();
      }
    }
    KrakenSim sim = new KrakenSim(KrakenSimOptions.defaults().withMarkets(4).withMessagesPerSecond(120), new Journal(200_000), scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 4 << 20).start();
    postgres = EmbeddedDatabase.start();
    db = Database.embedded(postgres);
    changes = NatsTransport.connect(NatsTransportOptions.secmaster(nats.url(), ENV), PublishListener.NONE);
    krakenSync();
    assertThat(changes.flush(Duration.ofSeconds(10))).isTrue();

    List<String> symbols = sim.symbols();
    String delisted = symbols.get(0);
    List<String> others = symbols.subList(1, symbols.size());
    ConnectorMetrics metrics = ConnectorMetrics.create(registry, "kraken");
    feedTransport = NatsTransport.connect(
        NatsTransportOptions.defaults(nats.url(), feedStream.name(), List.of(ENV + ".kraken.json.>")), metrics.publishListener());
    feedSubscription = feedTransport.subscribe(ENV + ".kraken.json.>", Transport.FIRST, this::recordKraken);
    connector = new Connector(ConnectorOptions.builder(ENV, server.wsUri()).maxMarketsPerConnection(10).build(),
        new KrakenVenue(new KrakenVenueOptions(KrakenVenueOptions.DEFAULT_CHANNELS, 10, 100, Duration.ofSeconds(5), 50,
            Duration.ofMillis(200), false)),
        feedTransport, metrics);
    connector.start(symbols);
    reader = NatsTransport.connect(NatsTransportOptions.secmaster(nats.url(), ENV).withConnectionName("follow-reader"),
        PublishListener.NONE);
    follower = ChangeFollower.start(connector, reader, ENV, List.of());
    await("book data of every pair", Duration.ofSeconds(30),
        () -> symbols.stream().allMatch(s -> frames.stream().anyMatch(f -> f.ticker().equals(s) && f.type().equals("update"))));
    long beforeChange = lastSeq();

    sim.setPairStatus(delisted, "delisted");
    long t0 = System.nanoTime();
    krakenSync();
    assertThat(changes.flush(Duration.ofSeconds(10))).isTrue();
    await("the delisted pair dropped", Duration.ofSeconds(20), () -> !connector.markets().contains(delisted));
    LOG.info("kraken: delisted pair dropped {} ms after the sync started", (System.nanoTime() - t0) / 1_000_000);
    Thread.sleep(1_500);
    long afterDelete = lastSeq();
    await("more data of the other pairs", Duration.ofSeconds(20),
        () -> frames.stream().filter(f -> f.seq() > afterDelete).map(Frame::ticker).collect(java.util.stream.Collectors.toSet())
            .containsAll(others));
    Thread.sleep(1_000);
    assertThat(frames).filteredOn(f -> f.seq() > afterDelete && f.ticker().equals(delisted)).isEmpty();
    // a resubscribe would have sent the others a fresh book snapshot
    assertThat(frames).filteredOn(f -> f.seq() > beforeChange && others.contains(f.ticker()) && f.type().equals("snapshot")).isEmpty();
    assertThat(connector.markets()).containsExactlyInAnyOrderElementsOf(others);
    assertThat(connector.status().reconnects()).isZero();
    assertThat(Metrics.counter(registry, ConnectorMetrics.SUBSCRIPTION_CHANGES, "feed", "kraken", "action", "remove")).isEqualTo(1.0);
  }

  @Test
  void runningKrakenConnectorSubscribesThePairTheVenueAddsAndItsDataArrive() throws Exception {
    startNatsAndDatabase("kraken");
    KrakenSim sim = new KrakenSim(KrakenSimOptions.defaults().withMarkets(4).withMessagesPerSecond(120), new Journal(200_000), scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 4 << 20).start();
    krakenSync();

    List<String> symbols = sim.symbols();
    ConnectorMetrics metrics = ConnectorMetrics.create(registry, "kraken");
    connector = new Connector(ConnectorOptions.builder(ENV, server.wsUri()).maxMarketsPerConnection(10).build(),
        new KrakenVenue(new KrakenVenueOptions(KrakenVenueOptions.DEFAULT_CHANNELS, 10, 100, Duration.ofSeconds(5), 50,
            Duration.ofMillis(200), false)),
        feedTransport(metrics, "kraken", this::recordKraken), metrics);
    connector.start(symbols);
    follow();
    await("book data of every pair", Duration.ofSeconds(30),
        () -> symbols.stream().allMatch(s -> frames.stream().anyMatch(f -> f.ticker().equals(s) && f.type().equals("update"))));
    long beforeChange = lastSeq();

    String added = sim.addPair();
    long t0 = System.nanoTime();
    krakenSync();
    await("the added pair's book data in the feed stream", Duration.ofSeconds(20),
        () -> frames.stream().anyMatch(f -> f.ticker().equals(added) && f.seq() > beforeChange && f.type().equals("update")));
    LOG.info("kraken: added pair's first book update {} ms after the sync started", (System.nanoTime() - t0) / 1_000_000);
    List<String> all = new java.util.ArrayList<>(symbols);
    all.add(added);
    assertThat(connector.markets()).containsExactlyInAnyOrderElementsOf(all);
    // the others were not resubscribed (that would have sent them a fresh book snapshot) and keep flowing
    long afterAdd = lastSeq();
    await("more data of the other pairs", Duration.ofSeconds(20),
        () -> frames.stream().filter(f -> f.seq() > afterAdd).map(Frame::ticker).collect(java.util.stream.Collectors.toSet())
            .containsAll(symbols));
    assertThat(frames).filteredOn(f -> f.seq() > beforeChange && symbols.contains(f.ticker()) && f.type().equals("snapshot")).isEmpty();
    assertThat(frames).filteredOn(f -> f.ticker().equals(added) && f.type().equals("snapshot")).isNotEmpty();
    assertThat(connector.status().reconnects()).isZero();
    assertThat(Metrics.counter(registry, ConnectorMetrics.SUBSCRIPTION_CHANGES, "feed", "kraken", "action", "add")).isEqualTo(1.0);
    assertThat(Metrics.counter(registry, ConnectorMetrics.SUBSCRIPTION_CHANGES, "feed", "kraken", "action", "remove")).isZero();
  }

  @Test
  void runningPolymarketConnectorSubscribesTheTokensOfAnOpenedMarketAndDropsThoseOfAClosedOne() throws Exception {
    startNatsAndDatabase("polymarket");
    PolymarketSim sim = new PolymarketSim(PolymarketSimOptions.defaults().withMarkets(6).withMessagesPerSecond(150),
        new Journal(200_000), scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 4 << 20).start();
    polymarketSync();

    List<PolymarketUniverse.Market> subscribed = PolymarketUniverse.markets(4);
    PolymarketUniverse.Market closed = subscribed.get(0);
    List<PolymarketUniverse.Market> untouched = subscribed.subList(1, 4);
    List<String> assets = subscribed.stream().flatMap(m -> m.tokens().stream()).toList();
    ConnectorMetrics metrics = ConnectorMetrics.create(registry, "polymarket");
    connector = new Connector(ConnectorOptions.builder(ENV, server.wsUri()).maxMarketsPerConnection(20).build(),
        new PolymarketVenue(PolymarketVenueOptions.defaults().withPingInterval(Duration.ofSeconds(1))),
        feedTransport(metrics, "polymarket", this::recordPolymarket), metrics);
    connector.start(assets);
    follow();
    await("data of every subscribed market", Duration.ofSeconds(30),
        () -> subscribed.stream().allMatch(m -> frames.stream().anyMatch(f -> f.ticker().equals(m.conditionId()))));
    long beforeChange = lastSeq();

    int openedIndex = sim.addMarket();
    PolymarketUniverse.Market opened = PolymarketUniverse.market(openedIndex);
    sim.closeMarket(closed.index());
    long t0 = System.nanoTime();
    polymarketSync();
    await("the opened market's data in the feed stream", Duration.ofSeconds(20),
        () -> frames.stream().anyMatch(f -> f.ticker().equals(opened.conditionId()) && f.seq() > beforeChange));
    long pickedUpMs = (System.nanoTime() - t0) / 1_000_000;
    await("the closed market's tokens dropped", Duration.ofSeconds(20),
        () -> closed.tokens().stream().noneMatch(connector.markets()::contains));
    LOG.info("polymarket: opened market's first frame {} ms, closed market's tokens dropped {} ms after the sync started",
        pickedUpMs, (System.nanoTime() - t0) / 1_000_000);

    List<String> expected = new java.util.ArrayList<>();
    untouched.forEach(m -> expected.addAll(m.tokens()));
    expected.addAll(opened.tokens());
    assertThat(connector.markets()).containsExactlyInAnyOrderElementsOf(expected);
    Thread.sleep(1_000);
    long afterChange = lastSeq();
    await("more data of the other markets and the opened one", Duration.ofSeconds(20),
        () -> frames.stream().filter(f -> f.seq() > afterChange).map(Frame::ticker).collect(java.util.stream.Collectors.toSet())
            .containsAll(expected.stream().map(a -> conditionOf(a, subscribed, opened)).toList()));
    assertThat(frames).filteredOn(f -> f.seq() > afterChange && f.ticker().equals(closed.conditionId())).isEmpty();
    // at the venue: the other tokens were subscribed once and never unsubscribed (no resubscribe),
    // the closed market's tokens unsubscribed once, the opened market's subscribed once
    for (PolymarketUniverse.Market m : untouched) {
      for (String asset : m.tokens()) {
        assertThat(sim.subscriptionOps(asset)).as("venue subscriptions of %s", asset).isEqualTo(new PolymarketSim.SubscriptionOps(1, 0));
      }
    }
    for (String asset : closed.tokens()) {
      assertThat(sim.subscriptionOps(asset)).as("venue subscriptions of %s", asset).isEqualTo(new PolymarketSim.SubscriptionOps(1, 1));
    }
    for (String asset : opened.tokens()) {
      assertThat(sim.subscriptionOps(asset)).as("venue subscriptions of %s", asset).isEqualTo(new PolymarketSim.SubscriptionOps(1, 0));
    }
    assertThat(connector.status().reconnects()).isZero();
    assertThat(connector.status().connections()).hasSize(1);
    // one change per token: the two of the opened market added, the two of the closed one removed, nothing else
    assertThat(Metrics.counter(registry, ConnectorMetrics.SUBSCRIPTION_CHANGES, "feed", "polymarket", "action", "add")).isEqualTo(2.0);
    assertThat(Metrics.counter(registry, ConnectorMetrics.SUBSCRIPTION_CHANGES, "feed", "polymarket", "action", "remove")).isEqualTo(2.0);
    assertThat(Metrics.counter(registry, ConnectorMetrics.CHANGE_EVENTS, "feed", "polymarket", "outcome", "out_of_scope")).isPositive();
    assertThat(Metrics.counter(registry, ConnectorMetrics.CHANGE_EVENTS, "feed", "polymarket", "outcome", "malformed")).isZero();
  }

  private static String conditionOf(String asset, List<PolymarketUniverse.Market> markets, PolymarketUniverse.Market opened) {
    return java.util.stream.Stream.concat(markets.stream(), java.util.stream.Stream.of(opened))
        .filter(m -> m.tokens().contains(asset)).findFirst().orElseThrow().conditionId();
  }

  /** nats-server with the feed's stream and {@code {PREFIX}_SECMASTER}, embedded PostgreSQL, the sync's transport. */
  private void startNatsAndDatabase(String feed) {
    nats = NatsServerProcess.start();
    try (StreamAdmin admin = StreamAdmin.connect(nats.url())) {
      for (StreamSpec spec : List.of(StreamSpec.forFeed(ENV, feed, Duration.ofHours(1), 1, Duration.ofMinutes(2), -1),
          StreamSpec.forSecmaster(ENV, Duration.ofHours(1), 1, Duration.ofMinutes(2), -1))) {
        ApplyResult applied = admin.apply(spec, false);
        assertThat(applied.ok()).as(applied.summary()).isTrue();
      }
    }
    postgres = EmbeddedDatabase.start();
    db = Database.embedded(postgres);
    changes = NatsTransport.connect(NatsTransportOptions.secmaster(nats.url(), ENV), PublishListener.NONE);
  }

  private Transport feedTransport(ConnectorMetrics metrics, String feed, java.util.function.Consumer<Delivered> recorder) {
    feedTransport = NatsTransport.connect(NatsTransportOptions.defaults(nats.url(), StreamSpec.forFeed(ENV, feed, Duration.ofHours(1), 1,
        Duration.ofMinutes(2), -1).name(), List.of(ENV + "." + feed + ".json.>")), metrics.publishListener());
    feedSubscription = feedTransport.subscribe(ENV + "." + feed + ".json.>", Transport.FIRST, recorder);
    return feedTransport;
  }

  private void follow() {
    reader = NatsTransport.connect(NatsTransportOptions.secmaster(nats.url(), ENV).withConnectionName("follow-reader"),
        PublishListener.NONE);
    follower = ChangeFollower.start(connector, reader, ENV, List.of());
  }

  /** A full Gamma sync (closed markets included), then the outbox published and acknowledged. */
  private void polymarketSync() throws Exception {
    new PolymarketSync(db.dataSource(), server.httpUri(),
        new PolymarketSync.Options(100, Duration.ZERO, 4, Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofSeconds(10)))
        .sync(PolymarketSync.Mode.ALL_MARKETS);
    new ChangeOutbox(db).publish(changes, ENV, "polymarket");
    assertThat(new ChangeOutbox(db).unpublished("polymarket")).isZero();
  }

  /** Polymarket subjects name the market (condition id); the ticker kept is that. */
  private void recordPolymarket(Delivered d) {
    String[] tokens = d.subject().split("\\.");
    if (tokens.length < 5 || !DATA_TYPES.contains(tokens[3])) {
      return;
    }
    frames.add(new Frame(d.seq(), tokens[3], tokens[4], tokens[3], -1));
  }

  private void krakenSync() throws Exception {
    new KrakenSync(db.dataSource(), server.httpUri(),
        new KrakenSync.Options(Duration.ZERO, 4, Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofSeconds(10))).sync();
    new ChangeOutbox(db).publish(changes, ENV, "kraken");
  }

  /** Kraken frames name their pair in {@code data[0].symbol}; the ticker kept is that symbol. */
  private void recordKraken(Delivered d) {
    String[] tokens = d.subject().split("\\.");
    if (tokens.length < 5 || !DATA_TYPES.contains(tokens[3])) {
      return;
    }
    try {
      JsonNode frame = JSON.readTree(d.payload());
      frames.add(new Frame(d.seq(), tokens[3], frame.path("data").path(0).path("symbol").asText(), frame.path("type").asText(), -1));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a frame in the feed stream is not JSON: " + d.subject(), e);
    }
  }

  private SyncReport sync() throws Exception {
    URI base = URI.create(server.httpUri() + "/trade-api/v2");
    try (KalshiRestClient rest = new KalshiRestClient(
        new KalshiRestOptions(base, 1000, 100, 5, Duration.ofMillis(10), Duration.ofSeconds(2), Duration.ofSeconds(10)))) {
      return new KalshiSync(db, rest, KalshiSyncOptions.full(), ENV, Optional.of(changes), Clock.systemUTC()).run();
    }
  }

  private void record(Delivered d) {
    String[] tokens = d.subject().split("\\.");
    if (tokens.length < 5 || !DATA_TYPES.contains(tokens[3])) {
      return; // lifecycle frames name every market, subscribed or not
    }
    try {
      JsonNode frame = JSON.readTree(d.payload());
      frames.add(new Frame(d.seq(), tokens[3], tokens[4], frame.path("type").asText(), frame.path("sid").asLong(-1)));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a frame in the feed stream is not JSON: " + d.subject(), e);
    }
  }

  private Map<String, Set<Long>> sidsByMarket(long afterSeq) {
    Map<String, Set<Long>> out = new HashMap<>();
    for (Frame f : frames) {
      if (f.seq() > afterSeq) {
        out.computeIfAbsent(f.ticker(), k -> new HashSet<>()).add(f.sid());
      }
    }
    return out;
  }

  private long lastSeq() {
    return frames.stream().mapToLong(Frame::seq).max().orElse(0);
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
