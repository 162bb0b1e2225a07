package io.ssmd.secmaster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.secmaster.ChangeEvent.Kind;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.kalshi.KalshiAuth;
import io.ssmd.sim.kalshi.KalshiSim;
import io.ssmd.sim.kalshi.KalshiSimOptions;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Kalshi sync against the simulator's Trade API v2 REST ({@code ssmd sim}) and an embedded PostgreSQL. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KalshiSimSyncIT {
  private static final KalshiAuth.DevKey KEY = KalshiAuth.generate();
  static Database db;
  private ScheduledExecutorService scheduler;
  private SimServer server;
  private KalshiSim sim;

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

  private void startSim(int referenceMarkets) throws Exception {
    scheduler = Executors.newScheduledThreadPool(2);
    KalshiSimOptions opts = KalshiSimOptions.defaults(Map.of(KEY.keyId(), KEY.publicKey()))
        .withMessagesPerSecond(0)
        .withLifecycleInterval(Duration.ofHours(1))
        .withReferenceMarkets(referenceMarkets);
    sim = new KalshiSim(opts, new Journal(10_000), scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 1 << 20).start();
  }

  @AfterEach
  void stopSim() throws Exception {
    if (server != null) {
      server.close();
      scheduler.shutdownNow();
    }
  }

  private SyncReport sync(KalshiSyncOptions options) throws Exception {
    URI base = URI.create(server.httpUri() + "/trade-api/v2");
    try (KalshiRestClient rest = new KalshiRestClient(
        new KalshiRestOptions(base, 1000, 100, 5, Duration.ofMillis(10), Duration.ofSeconds(2), Duration.ofSeconds(10)))) {
      return new KalshiSync(db, rest, options, "test", Optional.empty(), Clock.systemUTC()).run();
    }
  }

  private static List<String> outbox() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select kind, ticker, array_to_string(fields, ',') from change_events order by id")) {
      while (rs.next()) {
        out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
      }
    }
    return out;
  }

  private static void clearOutbox() throws Exception {
    try (Connection c = db.connection(); Statement st = c.createStatement()) {
      st.execute("truncate change_events");
    }
  }

  @Test
  void aFeesOnlySyncLoadsFeeChangesAndSeriesAndLeavesMarketsAndTheirEventsAlone() throws Exception {
    startSim(500);
    // one stored market whose close time has passed: a markets sync would close it (and say so)
    try (Connection c = db.connection(); Statement st = c.createStatement()) {
      st.execute("insert into kalshi_markets (ticker, event_ticker, state, close_time) values ('KXOLD-1', 'KXOLD', 'open', now() - interval '1 hour')");
    }
    SyncReport fees = sync(KalshiSyncOptions.feesOnly());
    assertThat(fees.table("kalshi_fee_changes").inserted()).isPositive();
    assertThat(fees.table("kalshi_series").inserted()).isPositive();
    assertThat(fees.table("kalshi_markets").received()).isZero();
    assertThat(fees.table("kalshi_events").received()).isZero();
    assertThat(fees.changeEvents()).isZero();
    assertThat(outbox()).isEmpty();
    try (Connection c = db.connection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select (select count(*) from kalshi_markets), (select state from kalshi_markets where ticker = 'KXOLD-1'),"
            + " (select count(*) from kalshi_events), (select count(*) from kalshi_fee_changes where series_ticker is not null),"
            + " (select scope from sync_state where feed = 'kalshi')")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(1);
      assertThat(rs.getString(2)).isEqualTo("open");
      assertThat(rs.getLong(3)).isZero();
      assertThat(rs.getLong(4)).isEqualTo(fees.table("kalshi_fee_changes").inserted());
      assertThat(rs.getString(5)).isEqualTo("fees");
    }
    assertThat(sync(KalshiSyncOptions.feesOnly()).table("kalshi_fee_changes").changed()).isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new KalshiSyncOptions(KalshiSyncOptions.Mode.FEES, List.of(), null, List.of(),
        null, null, false, 1000, false)).hasMessageContaining("mode FEES syncs fee changes: fees must be true");
  }

  @Test
  void syncsTheSimulatorsFiveThousandMarketsAndAVenueChangeTouchesExactlyThoseRows() throws Exception {
    startSim(5_000);
    SyncReport first = sync(KalshiSyncOptions.full());
    assertThat(first.rejected()).as(String.valueOf(first.rejections())).isZero();
    assertThat(first.table("kalshi_markets").inserted()).isEqualTo(sim.referenceMarkets());
    assertThat(first.table("kalshi_events").inserted()).isPositive();
    assertThat(first.table("kalshi_series").inserted()).isPositive();
    assertThat(first.table("kalshi_fee_changes").inserted()).isPositive();

    SyncReport second = sync(KalshiSyncOptions.full());
    for (String table : List.of("kalshi_markets", "kalshi_events", "kalshi_series", "kalshi_fee_changes")) {
      assertThat(second.table(table).changed()).as(table).isZero();
    }
    assertThat(second.changeEvents()).isZero();

    clearOutbox();
    List<String> tickers = sim.marketTickers();
    String closing = tickers.get(1);
    String renamed = tickers.get(2);
    String added = sim.addMarket("A brand new market");
    sim.closeMarket(closing);
    sim.renameMarket(renamed, "Renamed by the venue");
    SyncReport third = sync(KalshiSyncOptions.full());
    SyncReport.TableCounts m = third.table("kalshi_markets");
    assertThat(m.inserted()).isEqualTo(1);
    assertThat(m.updated()).isEqualTo(2);
    assertThat(m.softDeleted()).isZero();
    assertThat(outbox()).containsExactlyInAnyOrder("ADDED " + added + " ", "CLOSED " + closing + " " + closeFields(), "CHANGED " + renamed + " title");
  }

  /** Fields the CLOSED event lists: whatever of the transition fields the venue changed. */
  private static String closeFields() throws Exception {
    try (Connection c = db.connection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select array_to_string(fields, ',') from change_events where kind = 'CLOSED'")) {
      return rs.next() ? rs.getString(1) : "";
    }
  }

  @Test
  void retriesTheSimulatorsTooManyRequestsAndServerErrors() throws Exception {
    startSim(1_500);
    sim.failNextRequests(1, 429);
    SyncReport a = sync(KalshiSyncOptions.full());
    sim.failNextRequests(2, 503);
    SyncReport b = sync(KalshiSyncOptions.full());
    assertThat(a.retries()).isEqualTo(1);
    assertThat(b.retries()).isEqualTo(2);
    assertThat(a.table("kalshi_markets").inserted()).isEqualTo(sim.referenceMarkets());
  }

  @Test
  void countsTheSimulatorsMalformedMarketWithoutAborting() throws Exception {
    startSim(2_000);
    sim.malformNextMarket();
    SyncReport r = sync(KalshiSyncOptions.full());
    assertThat(r.rejected()).isEqualTo(1);
    assertThat(r.rejections()).singleElement().asString().startsWith("markets ").contains("missing status");
    assertThat(r.table("kalshi_markets").inserted()).isEqualTo(sim.referenceMarkets() - 1);
  }

  @Test
  void activatesAMarketTheSimulatorOpens() throws Exception {
    startSim(50);
    java.time.Instant now = java.time.Instant.now();
    String later = sim.addMarket("Opens in an hour", now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)));
    sync(KalshiSyncOptions.full());
    SecurityMaster sm = new SecurityMaster(db, Clock.systemUTC());
    assertThat(sm.show("kalshi", later).orElseThrow().state()).isEqualTo("unopened");
    clearOutbox();
    sim.openMarket(later);
    SyncReport r = sync(KalshiSyncOptions.full());
    assertThat(r.table("kalshi_markets").updated()).isEqualTo(1);
    assertThat(outbox()).singleElement().asString().startsWith(Kind.ACTIVATED + " " + later);
    assertThat(sm.show("kalshi", later).orElseThrow().state()).isEqualTo("open");
  }

  /** In the normal suite (the "a sim universe of 50k markets syncs completely"): ~10-20 s on 2 cores. */
  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void syncsTheSimulatorsFiftyThousandMarkets() throws Exception {
    startSim(50_000);
    SyncReport r = sync(KalshiSyncOptions.full());
    assertThat(r.table("kalshi_markets").inserted()).isEqualTo(50_000);
    SyncReport again = sync(KalshiSyncOptions.full());
    assertThat(again.table("kalshi_markets").changed()).isZero();
    System.out.printf("sim 50k: first %d rows/s in %s, re-sync %s%n", Math.round(r.rowsPerSecond()), r.duration(), again.duration());
  }
}
