package io.ssmd.secmaster.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.secmaster.Database;
import io.ssmd.secmaster.EmbeddedDatabase;
import io.ssmd.secmaster.MarketQuery;
import io.ssmd.secmaster.MarketRecord;
import io.ssmd.secmaster.SecurityMaster;
import io.ssmd.testkit.RedisServerProcess;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.memory.MemoryTransport;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.JedisPooled;

/** The market cache against a real redis-server and the security master in an embedded PostgreSQL. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MarketCacheIT {
  private static final String FEED = "kalshi";
  private static final int MARKETS = 2_500;
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  private static RedisServerProcess redis;
  private static Database db;
  private static JedisPooled raw;
  private static MarketCache cache;

  @BeforeAll
  static void start() {
    redis = RedisServerProcess.start();
    db = Database.embedded(EmbeddedDatabase.start(Optional.empty()));
    raw = new JedisPooled(java.net.URI.create(redis.url()));
    cache = new MarketCache(redis.url());
  }

  @AfterAll
  static void stop() {
    if (cache != null) {
      cache.close();
      raw.close();
    }
    if (db != null) {
      db.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @BeforeEach
  void emptyStores() throws Exception {
    raw.flushAll();
    try (Connection c = db.connection(); Statement st = c.createStatement()) {
      st.execute("truncate kalshi_series, kalshi_events, kalshi_markets");
    }
  }

  /**
   * {@value #MARKETS} markets in 5 series of 10 events each; every 10th is unopened, every 10th
   * (offset 5) closed, the rest open.
   */
  private static List<String> seedMarkets() throws Exception {
    List<String> open = new ArrayList<>();
    try (Connection c = db.connection()) {
      try (Statement st = c.createStatement()) {
        for (int s = 0; s < 5; s++) {
          st.execute("insert into kalshi_series (ticker, title, category, fee_type, fee_multiplier) values"
              + " ('S" + s + "', 'Series " + s + "', 'Economics', 'quadratic', 0.0700)");
          for (int e = 0; e < 10; e++) {
            st.execute("insert into kalshi_events (event_ticker, series_ticker, title) values"
                + " ('S" + s + "-E" + e + "', 'S" + s + "', 'Event " + s + "/" + e + "')");
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("insert into kalshi_markets"
          + " (ticker, event_ticker, series_ticker, title, venue_status, state, open_time, close_time, volume)"
          + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (int i = 0; i < MARKETS; i++) {
          int s = i % 5;
          int e = (i / 5) % 10;
          String ticker = "S" + s + "-E" + e + "-M" + i;
          String state = i % 10 == 0 ? "unopened" : i % 10 == 5 ? "closed" : "open";
          if (state.equals("open")) {
            open.add(ticker);
          }
          ps.setString(1, ticker);
          ps.setString(2, "S" + s + "-E" + e);
          ps.setString(3, "S" + s);
          ps.setString(4, "Market " + i);
          ps.setString(5, state.equals("open") ? "active" : state.equals("closed") ? "closed" : "initialized");
          ps.setString(6, state);
          ps.setTimestamp(7, Timestamp.from(NOW.minus(Duration.ofHours(1))));
          ps.setTimestamp(8, Timestamp.from(NOW.plus(Duration.ofMinutes(i))));
          ps.setBigDecimal(9, new BigDecimal("1234.5000").add(BigDecimal.valueOf(i)));
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    open.sort(null);
    return open;
  }

  private static void execute(String sql) throws Exception {
    try (Connection c = db.connection(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  @Test
  void refreshLoadsEveryOpenMarketAndTheHierarchy() throws Exception {
    List<String> open = seedMarkets();

    RefreshReport report = cache.refreshFrom(db, FEED);

    assertThat(report).isEqualTo(new RefreshReport(MARKETS, open.size(), 0));
    assertThat(cache.openMarkets(FEED)).isEqualTo(open);
    MarketRecord fromDb = new SecurityMaster(db, Clock.systemUTC()).show(FEED, "S1-E0-M1").orElseThrow();
    assertThat(cache.market(FEED, "S1-E0-M1")).contains(fromDb);
    assertThat(fromDb.volume()).isEqualByComparingTo("1235.5");
    assertThat(raw.hget(MarketCache.marketKey(FEED, "S1-E0-M1"), "volume")).isEqualTo("1235.5000");
    assertThat(raw.hget(MarketCache.marketKey(FEED, "S1-E0-M1"), "fee_multiplier")).isEqualTo("0.0700");
    // 2500 markets / 50 events.
    assertThat(cache.marketsOfEvent(FEED, "S1-E0")).hasSize(50).allMatch(t -> t.startsWith("S1-E0-M"));
    assertThat(cache.marketsOfSeries(FEED, "S1")).hasSize(500);
    assertThat(cache.market(FEED, "NO-SUCH")).isEmpty();
    // Hierarchy keys are rewritten by refresh and carry the safety TTL as well.
    assertThat(raw.ttl(MarketCache.marketKey(FEED, "S1-E0-M1"))).isPositive();
    assertThat(raw.ttl(MarketCache.eventKey(FEED, "S1-E0"))).isPositive();
    assertThat(raw.ttl(MarketCache.openKey(FEED))).isPositive();
  }

  @Test
  void closedMarketLeavesTheOpenSetAfterTheNextRefreshAndDelistedOneLeavesTheCache() throws Exception {
    seedMarkets();
    cache.refreshFrom(db, FEED);
    assertThat(cache.openMarkets(FEED)).contains("S1-E0-M1", "S2-E0-M2");

    execute("update kalshi_markets set state = 'closed', venue_status = 'closed' where ticker = 'S1-E0-M1'");
    execute("update kalshi_markets set deleted_at = now() where ticker = 'S2-E0-M2'");
    RefreshReport report = cache.refreshFrom(db, FEED);

    assertThat(report.removed()).isEqualTo(1);
    assertThat(report.listed()).isEqualTo(MARKETS - 1);
    assertThat(cache.openMarkets(FEED)).doesNotContain("S1-E0-M1", "S2-E0-M2").hasSize(report.open());
    assertThat(cache.market(FEED, "S1-E0-M1")).hasValueSatisfying(m -> assertThat(m.state()).isEqualTo("closed"));
    assertThat(cache.market(FEED, "S2-E0-M2")).isEmpty();
    assertThat(cache.marketsOfEvent(FEED, "S2-E0")).doesNotContain("S2-E0-M2").hasSize(49);
  }

  @Test
  void marketMovedToAnotherEventLeavesTheOldEventSet() {
    MarketRecord m = new MarketRecord(FEED, "T1", "E1", "S1", null, "t", null, "open", "active",
        null, null, new BigDecimal("10.00"), null, null, NOW, null);
    cache.putMarkets(FEED, List.of(m));
    cache.putMarkets(FEED, List.of(new MarketRecord(FEED, "T1", "E2", "S1", null, "t", null, "closed", "closed",
        null, null, null, null, null, NOW, null)));

    assertThat(cache.marketsOfEvent(FEED, "E1")).isEmpty();
    assertThat(cache.marketsOfEvent(FEED, "E2")).containsExactly("T1");
    assertThat(cache.openMarkets(FEED)).isEmpty();
    // Replaced, not merged: the volume the new record lacks is gone.
    assertThat(cache.market(FEED, "T1")).hasValueSatisfying(r -> assertThat(r.volume()).isNull());
  }

  @Test
  void keepsAttributesAndOutcomesOfOtherVenues() {
    MarketRecord pm = new MarketRecord("polymarket", "0xabc", "42", null, null, "Will it?", "Event 42", "open", "active",
        NOW, NOW.plus(Duration.ofDays(3)), null, null, null, NOW, null, java.util.Map.of("slug", "will-it", "tick_size", "0.01"),
        List.of(new MarketRecord.Outcome("1001", "Yes", 0), new MarketRecord.Outcome("1002", "No", 1)));
    cache.putMarkets("polymarket", List.of(pm));

    assertThat(cache.market("polymarket", "0xabc")).contains(pm);
    assertThat(raw.hget(MarketCache.marketKey("polymarket", "0xabc"), "attr:slug")).isEqualTo("will-it");
    assertThat(cache.list(new MarketQuery("polymarket", "open", null, null, "WILL-IT", null, 10), NOW)).containsExactly(pm);
  }

  @Test
  void refreshesInKeysetPagesAndAnswersQueriesLikePostgres() throws Exception {
    List<String> open = seedMarkets();
    execute("update kalshi_markets set deleted_at = now() where ticker = 'S3-E0-M3'");
    open.remove("S3-E0-M3");
    assertThat(cache.refreshedAt(FEED)).isEmpty();

    // 2499 listed markets in pages of 100: 25 pages, the last one partial
    RefreshReport report = cache.refreshFrom(db, FEED, 100);

    assertThat(report).isEqualTo(new RefreshReport(MARKETS - 1, open.size(), 0));
    assertThat(cache.openMarkets(FEED)).isEqualTo(open);
    assertThat(cache.refreshedAt(FEED)).isPresent();
    SecurityMaster sm = new SecurityMaster(db, Clock.systemUTC());
    Instant now = Instant.now();
    for (MarketQuery q : List.of(
        new MarketQuery(FEED, "open", null, null, null, null, 50),
        new MarketQuery(FEED, null, "economics", "S2", null, null, 1000),
        new MarketQuery(FEED, "closed", null, null, "market 1", null, 1000),
        new MarketQuery(FEED, null, null, null, "s4-e9", Duration.ofHours(10), 1000),
        new MarketQuery(FEED, null, null, null, null, null, 70).after("S1-E3"))) {
      assertThat(cache.list(q, now)).as(q.toString()).isEqualTo(sm.list(q)).isNotEmpty();
    }
    assertThat(cache.list(new MarketQuery(FEED, null, null, null, "S3-E0-M3", null, 10), now)).extracting(MarketRecord::ticker)
        .containsExactly("S3-E0-M303", "S3-E0-M353");
  }

  @Test
  void latestTickerExpiresAfterItsTtl() throws Exception {
    byte[] frame = "{\"type\":\"ticker\",\"msg\":{\"market_ticker\":\"T1\",\"yes_bid\":42}}".getBytes(StandardCharsets.UTF_8);
    cache.putLatest(FEED, "T1", frame, Duration.ofMillis(300));

    assertThat(cache.latest(FEED, "T1")).hasValue(frame);
    assertThat(raw.pttl(MarketCache.tickerKey(FEED, "T1"))).isBetween(1L, 300L);
    assertThat(waitFor(() -> cache.latest(FEED, "T1").isEmpty(), Duration.ofSeconds(3))).isTrue();
    assertThat(cache.latest(FEED, "T2")).isEmpty();
  }

  @Test
  void tickerCacheUpdaterStoresTheLastFramePerInstrumentFromATransportSubscription() throws Exception {
    TickerCacheUpdater updater = new TickerCacheUpdater(cache, Duration.ofMinutes(1));
    try (MemoryTransport transport = MemoryTransport.start(PublishListener.NONE);
        AutoCloseable sub = transport.subscribe(Subjects.feedWildcard("test", "kraken"), updater)) {
      for (int i = 1; i <= 20; i++) {
        String instrument = i % 2 == 0 ? "BTC/USD" : "ETH/USD";
        publish(transport, Subjects.subject("test", "kraken", "ticker", instrument), "{\"seq\":" + i + "}");
      }
      publish(transport, Subjects.subject("test", "kraken", "trade", "BTC/USD"), "{\"trade\":1}");

      assertThat(waitFor(() -> updater.stored() == 20 && updater.skipped() == 1, Duration.ofSeconds(10))).isTrue();
    }
    assertThat(cache.latest("kraken", "BTC-USD")).hasValueSatisfying(b -> assertThat(utf8(b)).isEqualTo("{\"seq\":20}"));
    assertThat(cache.latest("kraken", "ETH-USD")).hasValueSatisfying(b -> assertThat(utf8(b)).isEqualTo("{\"seq\":19}"));
    assertThat(updater.failed()).isZero();
    assertThat(raw.ttl(MarketCache.tickerKey("kraken", "BTC-USD"))).isBetween(1L, 60L);
  }

  private static void publish(MemoryTransport transport, String subject, String payload) {
    assertThat(transport.publish(new Envelope(subject, payload.getBytes(StandardCharsets.UTF_8),
        subject + "#" + payload, System.nanoTime(), "c1", 0))).isTrue();
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static boolean waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }
}
