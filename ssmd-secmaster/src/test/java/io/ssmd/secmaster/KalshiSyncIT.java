package io.ssmd.secmaster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ssmd.secmaster.ChangeEvent.Kind;
import io.ssmd.transport.Delivered;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.memory.MemoryTransport;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Kalshi sync against an embedded PostgreSQL and a Kalshi REST venue on a real HTTP server. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KalshiSyncIT {
  static Database db;
  static final Clock NOW = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

  @BeforeAll
  static void startDatabase() {
    db = Database.embedded(EmbeddedDatabase.start());
  }

  @AfterAll
  static void stopDatabase() {
    db.close();
  }

  @BeforeEach
  void emptyTables() throws Exception {
    try (Connection c = db.connection(); Statement st = c.createStatement()) {
      st.execute("truncate kalshi_series, kalshi_events, kalshi_markets, kalshi_fee_changes, change_events, sync_state");
    }
  }

  static KalshiRestClient client(TestKalshiVenue venue) {
    return new KalshiRestClient(new KalshiRestOptions(venue.baseUrl(), 1000, 100, 5, Duration.ofMillis(10), Duration.ofSeconds(2),
        Duration.ofSeconds(10)));
  }

  static SyncReport sync(TestKalshiVenue venue, KalshiSyncOptions options, Clock clock, Optional<io.ssmd.transport.Transport> t)
      throws Exception {
    try (KalshiRestClient rest = client(venue)) {
      return new KalshiSync(db, rest, options, "test", t, clock).run();
    }
  }

  static List<ChangeEvent.Kind> outboxKinds(String ticker) throws Exception {
    List<ChangeEvent.Kind> out = new ArrayList<>();
    try (Connection c = db.connection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select kind from change_events where ticker = '" + ticker + "' order by id")) {
      while (rs.next()) {
        out.add(ChangeEvent.Kind.valueOf(rs.getString(1)));
      }
    }
    return out;
  }

  static long count(String sql) throws Exception {
    try (Connection c = db.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void syncsAFiveThousandMarketUniverseCompletelyAndAResyncWritesNothing() throws Exception {
    try (TestKalshiVenue venue = new TestKalshiVenue(5_000)) {
      SyncReport first = sync(venue, KalshiSyncOptions.full(), NOW, Optional.empty());
      assertThat(first.table("kalshi_markets").inserted()).isEqualTo(5_000);
      assertThat(first.table("kalshi_events").inserted()).isEqualTo(500);
      assertThat(first.table("kalshi_series").inserted()).isEqualTo(TestKalshiVenue.SERIES);
      assertThat(first.table("kalshi_fee_changes").inserted()).isEqualTo(1);
      assertThat(first.rejected()).isZero();
      assertThat(first.changeEvents()).isEqualTo(5_000);
      assertThat(first.pages()).as("series, 3 event pages, 5 market pages, fee changes").isEqualTo(1 + 3 + 5 + 1);
      assertThat(count("select count(*) from kalshi_markets where state = 'open' and deleted_at is null")).isEqualTo(5_000);

      long maxUpdated = count("select (extract(epoch from max(updated_at)) * 1000000)::bigint from kalshi_markets");
      SyncReport second = sync(venue, KalshiSyncOptions.full(), NOW, Optional.empty());
      for (String table : List.of("kalshi_markets", "kalshi_events", "kalshi_series", "kalshi_fee_changes")) {
        assertThat(second.table(table).changed()).as(table).isZero();
        assertThat(second.table(table).statsUpdated()).as(table).isZero();
      }
      assertThat(second.table("kalshi_markets").unchanged()).isEqualTo(5_000);
      assertThat(second.changeEvents()).isZero();
      assertThat(count("select (extract(epoch from max(updated_at)) * 1000000)::bigint from kalshi_markets")).isEqualTo(maxUpdated);
    }
  }

  @Test
  void aVenueChangeUpdatesExactlyThoseRowsAndEmitsExactlyThoseEvents() throws Exception {
    try (TestKalshiVenue venue = new TestKalshiVenue(200);
        MemoryTransport transport = MemoryTransport.start(PublishListener.NONE)) {
      sync(venue, KalshiSyncOptions.full(), NOW, Optional.of(transport));
      List<Delivered> got = new CopyOnWriteArrayList<>();
      try (AutoCloseable sub = transport.subscribe(KalshiSync.changeSubject("test", "kalshi"), MemoryTransport.NEW, got::add)) {
        long mark = count("select coalesce(max(id), 0) from change_events");
        venue.addMarket();
        venue.close(7);
        venue.rename(42, "Renamed market");
        long maxUpdatedBefore = count("select count(*) from kalshi_markets where updated_at > now() - interval '1 hour'");
        SyncReport r = sync(venue, KalshiSyncOptions.full(), NOW, Optional.of(transport));
        SyncReport.TableCounts m = r.table("kalshi_markets");
        assertThat(m.inserted()).isEqualTo(1);
        assertThat(m.updated()).isEqualTo(2);
        assertThat(m.unchanged()).isEqualTo(199 - 1);
        assertThat(m.softDeleted()).isZero();
        assertThat(r.table("kalshi_events").inserted()).isEqualTo(1);
        assertThat(r.changeEvents()).isEqualTo(3);
        assertThat(outboxKinds(TestKalshiVenue.ticker(200))).containsExactly(Kind.ADDED);
        assertThat(outboxKinds(TestKalshiVenue.ticker(7))).containsExactly(Kind.ADDED, Kind.CLOSED);
        assertThat(outboxKinds(TestKalshiVenue.ticker(42))).containsExactly(Kind.ADDED, Kind.CHANGED);
        try (Connection c = db.connection(); Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("select fields from change_events where kind = 'CHANGED'")) {
          assertThat(rs.next()).isTrue();
          assertThat((String[]) rs.getArray(1).getArray()).containsExactly("title");
        }
        assertThat(maxUpdatedBefore).isEqualTo(200);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got.size() < 3 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        List<String> bodies = got.stream().map(d -> new String(d.payload(), java.nio.charset.StandardCharsets.UTF_8)).toList();
        assertThat(bodies).hasSize(3);
        assertThat(bodies).anySatisfy(b -> assertThat(b).contains("\"kind\":\"added\"").contains(TestKalshiVenue.ticker(200)));
        assertThat(bodies).anySatisfy(b -> assertThat(b).contains("\"kind\":\"closed\"").contains(TestKalshiVenue.ticker(7)));
        assertThat(bodies).anySatisfy(b -> assertThat(b).contains("\"kind\":\"changed\"").contains("\"fields\":[\"title\"]"));
        assertThat(count("select count(*) from change_events where published_at is null")).isZero();
        List<ChangeEvent> latest = new ChangeOutbox(db).since("kalshi", mark, 10);
        assertThat(latest).extracting(ChangeEvent::kind).containsExactlyInAnyOrder(Kind.ADDED, Kind.CLOSED, Kind.CHANGED);
        assertThat(latest).filteredOn(e -> e.kind() == Kind.CLOSED).singleElement()
            .satisfies(e -> assertThat(e.state()).isEqualTo("closed"))
            .satisfies(e -> assertThat(e.ticker()).isEqualTo(TestKalshiVenue.ticker(7)));
      }
    }
  }

  @Test
  void reportsProgressAfterEveryMarketPage() throws Exception {
    try (TestKalshiVenue venue = new TestKalshiVenue(2_500); KalshiRestClient rest = client(venue)) {
      List<Long> seen = new CopyOnWriteArrayList<>();
      new KalshiSync(db, rest, KalshiSyncOptions.full(), "test", Optional.empty(), NOW)
          .onProgress(r -> seen.add(r.table("kalshi_markets").received()))
          .run();
      assertThat(seen).containsExactly(1_000L, 2_000L, 2_500L);
    }
  }

  @Test
  void derivesOpeningFromOpenTimeWithoutAVenueEvent() throws Exception {
    try (TestKalshiVenue venue = new TestKalshiVenue(20)) {
      Instant opens = NOW.instant().plus(Duration.ofHours(1));
      venue.openAt(3, opens);
      sync(venue, KalshiSyncOptions.full(), NOW, Optional.empty());
      SecurityMaster sm = new SecurityMaster(db, NOW);
      assertThat(sm.show("kalshi", TestKalshiVenue.ticker(3)).orElseThrow().state()).isEqualTo("unopened");

      Clock later = Clock.offset(NOW, Duration.ofHours(2));
      SyncReport r = sync(venue, KalshiSyncOptions.full(), later, Optional.empty());
      assertThat(r.table("kalshi_markets").updated()).isEqualTo(1);
      assertThat(sm.show("kalshi", TestKalshiVenue.ticker(3)).orElseThrow().state()).isEqualTo("open");
      assertThat(outboxKinds(TestKalshiVenue.ticker(3))).containsExactly(Kind.ADDED, Kind.ACTIVATED);
    }
  }

  @Test
  void aPartialSyncStillOpensAndClosesUnseenMarketsOnSchedule() throws Exception {
    try (TestKalshiVenue venue = new TestKalshiVenue(20)) {
      venue.openAt(0, NOW.instant().plus(Duration.ofHours(1)));
      sync(venue, KalshiSyncOptions.full(), NOW, Optional.empty());
      SecurityMaster sm = new SecurityMaster(db, NOW);
      assertThat(sm.show("kalshi", TestKalshiVenue.ticker(0)).orElseThrow().state()).isEqualTo("unopened");
      // market 0 is in series TST0; a TST1 sync two hours later does not receive it
      SyncReport r = sync(venue, KalshiSyncOptions.bySeries(List.of("TST1")), Clock.offset(NOW, Duration.ofHours(2)), Optional.empty());
      assertThat(r.table("kalshi_markets").updated()).isEqualTo(1);
      assertThat(sm.show("kalshi", TestKalshiVenue.ticker(0)).orElseThrow().state()).isEqualTo("open");
      assertThat(outboxKinds(TestKalshiVenue.ticker(0))).containsExactly(Kind.ADDED, Kind.ACTIVATED);
      // and past the close time every unseen market closes
      SyncReport late = sync(venue, KalshiSyncOptions.bySeries(List.of("TST1")), Clock.fixed(TestKalshiVenue.CLOSE.plusSeconds(1), ZoneOffset.UTC),
          Optional.empty());
      assertThat(late.table("kalshi_markets").updated()).isEqualTo(16 + 4);
      assertThat(outboxKinds(TestKalshiVenue.ticker(0))).containsExactly(Kind.ADDED, Kind.ACTIVATED, Kind.CLOSED);
    }
  }

  @Test
  void retriesTooManyRequestsAndServerErrors() throws Exception {
    try (TestKalshiVenue venue = new TestKalshiVenue(3_000)) {
      venue.failNext(429, 503, 500);
      long t0 = System.nanoTime();
      SyncReport r = sync(venue, KalshiSyncOptions.full(), NOW, Optional.empty());
      assertThat(r.retries()).isEqualTo(3);
      assertThat(r.table("kalshi_markets").inserted()).isEqualTo(3_000);
      // Retry-After: 1 was honoured
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }
  }

  @Test
  void failsFastAfterConsecutiveErrorsWithAClearMessage() throws Exception {
    try (TestKalshiVenue venue = new TestKalshiVenue(10)) {
      venue.failNext(500, 502, 503, 500, 500, 500, 500);
      assertThatThrownBy(() -> sync(venue, KalshiSyncOptions.full(), NOW, Optional.empty()))
          .isInstanceOf(KalshiRestException.class)
          .hasMessageContaining("/series")
          .hasMessageContaining("failed 5 consecutive times")
          .hasMessageContaining("HTTP 500");
    }
  }

  @Test
  void aMalformedRecordIsCountedAndReportedWithoutAbortingTheSync() throws Exception {
    try (TestKalshiVenue venue = new TestKalshiVenue(1_500)) {
      venue.breakField(11, "volume_fp");
      venue.breakField(1_200, "close_time");
      SyncReport r = sync(venue, KalshiSyncOptions.full(), NOW, Optional.empty());
      assertThat(r.rejected()).isEqualTo(2);
      assertThat(r.rejections()).containsExactlyInAnyOrder(
          "markets " + TestKalshiVenue.ticker(11) + ": volume_fp must be a decimal, got OBJECT",
          "markets " + TestKalshiVenue.ticker(1_200) + ": close_time must be an RFC 3339 timestamp string, got OBJECT");
      assertThat(r.table("kalshi_markets").inserted()).isEqualTo(1_498);
    }
  }

  @Test
  void removedMarketsAreSoftDeletedOnlyByACompleteSync() throws Exception {
    try (TestKalshiVenue venue = new TestKalshiVenue(30)) {
      sync(venue, KalshiSyncOptions.full(), NOW, Optional.empty());
      try (TestKalshiVenue smaller = new TestKalshiVenue(25)) {
        SyncReport partial = sync(smaller, KalshiSyncOptions.activeOnly(), NOW, Optional.empty());
        assertThat(partial.table("kalshi_markets").softDeleted()).isZero();
        SyncReport r = sync(smaller, KalshiSyncOptions.full(), NOW, Optional.empty());
        assertThat(r.table("kalshi_markets").softDeleted()).isEqualTo(5);
        assertThat(outboxKinds(TestKalshiVenue.ticker(29))).containsExactly(Kind.ADDED, Kind.REMOVED);
        SecurityMaster sm = new SecurityMaster(db, NOW);
        assertThat(sm.list(MarketQuery.all("kalshi"))).hasSize(25);
        assertThat(sm.show("kalshi", TestKalshiVenue.ticker(29)).orElseThrow().deletedAt()).isNotNull();
      }
      SyncReport back = sync(venue, KalshiSyncOptions.full(), NOW, Optional.empty());
      assertThat(back.table("kalshi_markets").updated()).isEqualTo(5);
      assertThat(outboxKinds(TestKalshiVenue.ticker(29))).containsExactly(Kind.ADDED, Kind.REMOVED, Kind.ADDED);
    }
  }

  @Test
  void activeOnlyAsksForOpenMarketsPlusAFirstUnfilteredPage() throws Exception {
    try (TestKalshiVenue venue = new TestKalshiVenue(2_500)) {
      venue.close(5);
      SyncReport r = sync(venue, KalshiSyncOptions.activeOnly(), NOW, Optional.empty());
      assertThat(venue.requests).contains("/markets {limit=1000, status=open}", "/markets {limit=1000}");
      assertThat(venue.requests.stream().filter(q -> q.startsWith("/markets {cursor=") && q.endsWith("status=open}"))).hasSize(2);
      assertThat(venue.requests.stream().filter(q -> q.startsWith("/markets {cursor=") && !q.contains("status"))).isEmpty();
      // the closed market came with the unfiltered first page
      assertThat(r.table("kalshi_markets").inserted()).isEqualTo(2_500);
    }
  }

  @Test
  void minCloseDaysAgoIsSentOnlyWithClosedAndSettledQueries() throws Exception {
    try (TestKalshiVenue venue = new TestKalshiVenue(50)) {
      KalshiSyncOptions o = KalshiSyncOptions.full().withFilters(null, List.of(), null, 7);
      sync(venue, o, NOW, Optional.empty());
      long minClose = NOW.instant().minus(Duration.ofDays(7)).getEpochSecond();
      assertThat(venue.requests).contains("/markets {limit=1000, status=open}", "/markets {limit=1000, status=unopened}",
          "/markets {limit=1000, min_close_ts=" + minClose + ", status=closed}",
          "/markets {limit=1000, min_settled_ts=" + minClose + ", status=settled}", "/markets {limit=1000}",
          "/events {limit=200, min_close_ts=" + minClose + ", status=settled}");
      assertThat(venue.requests.stream().filter(q -> q.contains("status=open") && q.contains("min_close_ts"))).isEmpty();
    }
  }

  @Test
  void incrementalSyncAsksForRecordsUpdatedSinceTheLastSync() throws Exception {
    try (TestKalshiVenue venue = new TestKalshiVenue(20)) {
      KalshiSyncOptions o = KalshiSyncOptions.full().withIncremental(true);
      sync(venue, o, NOW, Optional.empty());
      assertThat(venue.requests.stream().filter(q -> q.contains("min_updated_ts"))).isEmpty();
      venue.requests.clear();
      sync(venue, o, Clock.offset(NOW, Duration.ofHours(1)), Optional.empty());
      long since = NOW.instant().minus(KalshiSync.INCREMENTAL_OVERLAP).getEpochSecond();
      assertThat(venue.requests).contains("/markets {limit=1000, min_updated_ts=" + since + "}");
    }
  }

  @Test
  void bySeriesCategoryAndMinVolumeNarrowTheSync() throws Exception {
    try (TestKalshiVenue venue = new TestKalshiVenue(100)) {
      SyncReport r = sync(venue, KalshiSyncOptions.bySeries(List.of("TST1")), NOW, Optional.empty());
      assertThat(r.table("kalshi_markets").inserted()).isEqualTo(20);
      assertThat(r.table("kalshi_series").inserted()).isEqualTo(1);
      KalshiSyncOptions econ = KalshiSyncOptions.full().withFilters("Economics", List.of(), new BigDecimal("50"), null);
      SyncReport e = sync(venue, econ, NOW, Optional.empty());
      // Economics = TST0, TST2, TST4: 60 markets, volume_fp = i % 100 >= 50 keeps 30
      assertThat(e.table("kalshi_markets").inserted()).isEqualTo(30);
      assertThat(e.filtered()).isEqualTo(30);
      SecurityMaster sm = new SecurityMaster(db, NOW);
      assertThat(sm.list(new MarketQuery("kalshi", null, "economics", null, null, null, 1000))).hasSize(30);
      assertThat(sm.list(new MarketQuery("kalshi", "open", null, "TST1", null, null, 1000))).hasSize(20);
    }
  }

  @Test
  void listAndShowAnswerForTheCli() throws Exception {
    try (TestKalshiVenue venue = new TestKalshiVenue(40)) {
      venue.rename(12, "Will CPI exceed 3%?");
      venue.close(13);
      sync(venue, KalshiSyncOptions.full(), NOW, Optional.empty());
      SecurityMaster sm = new SecurityMaster(db, NOW);
      assertThat(sm.list(new MarketQuery("kalshi", null, null, null, "cpi", null, 10)))
          .extracting(MarketRecord::ticker).containsExactly(TestKalshiVenue.ticker(12));
      assertThat(sm.list(new MarketQuery("kalshi", "closed", null, null, null, null, 10)))
          .extracting(MarketRecord::ticker).containsExactly(TestKalshiVenue.ticker(13));
      assertThat(sm.list(new MarketQuery("kalshi", null, null, null, null, Duration.ofDays(30), 10))).isEmpty();
      assertThat(sm.list(new MarketQuery("kalshi", null, null, null, null, Duration.ofDays(4000), 100))).hasSize(39);
      MarketRecord m = sm.show("kalshi", TestKalshiVenue.ticker(0)).orElseThrow();
      assertThat(m.eventTitle()).isEqualTo("Event 0");
      assertThat(m.category()).isEqualTo("Economics");
      assertThat(m.feeType()).isEqualTo("quadratic");
      assertThat(m.volume()).isEqualByComparingTo("0");
      assertThat(m.closeTime()).isEqualTo(TestKalshiVenue.CLOSE);
      assertThat(sm.show("kalshi", "NOPE")).isEmpty();
      assertThatThrownBy(() -> sm.list(MarketQuery.all("binance"))).hasMessageContaining("feed binance");
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "ssmd.secmaster.big", matches = "true")
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void syncsAFiftyThousandMarketUniverseCompletely() throws Exception {
    try (TestKalshiVenue venue = new TestKalshiVenue(50_000)) {
      SyncReport r = sync(venue, KalshiSyncOptions.full(), NOW, Optional.empty());
      assertThat(r.table("kalshi_markets").inserted()).isEqualTo(50_000);
      SyncReport again = sync(venue, KalshiSyncOptions.full(), NOW, Optional.empty());
      assertThat(again.table("kalshi_markets").changed()).isZero();
      System.out.printf("50k: first %d rows/s in %s, re-sync %s%n", Math.round(r.rowsPerSecond()), r.duration(), again.duration());
    }
  }
}
