package io.ssmd.secmaster.polymarket;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.secmaster.Database;
import io.ssmd.secmaster.EmbeddedDatabase;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.polymarket.PolymarketSim;
import io.ssmd.sim.polymarket.PolymarketSimOptions;
import io.ssmd.sim.polymarket.PolymarketUniverse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PolymarketSync} against the Polymarket simulator's Gamma REST API and a real PostgreSQL.
 * 3,000 markets in the normal suite; {@code -Dssmd.bigUniverse=true} syncs 50,000.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PolymarketSimSyncIT {

  private static final int UNIVERSE = Boolean.getBoolean("ssmd.bigUniverse") ? 50_000 : 3_000;

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private Database database;
  private SimServer server;
  private PolymarketSim sim;

  @BeforeEach
  void start() throws Exception {
    database = Database.embedded(EmbeddedDatabase.start());
    sim = new PolymarketSim(PolymarketSimOptions.defaults().withMessagesPerSecond(0).withReferenceMarkets(UNIVERSE),
        new Journal(10_000), scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 4 << 20).start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    scheduler.shutdownNow();
    database.close();
  }

  private PolymarketSync sync() {
    return new PolymarketSync(database.dataSource(), server.httpUri(),
        new PolymarketSync.Options(100, Duration.ZERO, 4, Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofSeconds(10)));
  }

  /** Market-level change events (the tokens' are in {@link #tokenEvents}). */
  private List<String> changeEvents() throws Exception {
    return query("SELECT kind || ' ' || ticker FROM change_events WHERE feed = 'polymarket' AND entity <> 'token' ORDER BY id");
  }

  private List<String> tokenEvents() throws Exception {
    return query("SELECT kind || ' ' || ticker FROM change_events WHERE feed = 'polymarket' AND entity = 'token' ORDER BY id");
  }

  private List<String> query(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = database.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** Open markets of the simulated universe, in order: some start closed, as on the venue. */
  private List<Integer> openMarkets() {
    List<Integer> out = new ArrayList<>();
    for (int i = 1; i <= sim.referenceMarkets(); i++) {
      if (!sim.marketClosed(i)) {
        out.add(i);
      }
    }
    return out;
  }

  private void clearChangeEvents() throws Exception {
    try (Connection c = database.connection(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM change_events");
    }
  }

  @Test
  void syncsTheUniverseAndAResyncWritesNothingThenExactlyTheVenueChanges() throws Exception {
    PolymarketSyncReport first = sync().sync(PolymarketSync.Mode.ALL_MARKETS);

    assertThat(first.rejectedCount()).isZero();
    assertThat(first.markets().inserted()).isEqualTo(UNIVERSE);
    assertThat(first.tokens().inserted()).isEqualTo(2 * UNIVERSE);
    assertThat(first.pages()).isEqualTo(UNIVERSE / 100 + 1);
    try (Connection c = database.connection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT outcome FROM polymarket_tokens WHERE token_id = '"
            + PolymarketUniverse.market(17).yesToken() + "' AND condition_id = '" + PolymarketUniverse.conditionId(17) + "'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("Yes");
    }

    PolymarketSyncReport again = sync().sync(PolymarketSync.Mode.ALL_MARKETS);
    assertThat(again.markets()).isEqualTo(new PolymarketSyncReport.Counts(0, 0, UNIVERSE, 0));
    assertThat(again.tokens()).isEqualTo(new PolymarketSyncReport.Counts(0, 0, 2 * UNIVERSE, 0));

    clearChangeEvents();
    int renamed = openMarkets().get(2);
    int closed = openMarkets().get(5);
    sim.renameMarket(renamed, "Renamed question?");
    sim.closeMarket(closed);
    int added = sim.addMarket();

    PolymarketSyncReport changed = sync().sync(PolymarketSync.Mode.ALL_MARKETS);

    assertThat(changed.markets()).isEqualTo(new PolymarketSyncReport.Counts(1, 2, UNIVERSE - 2, 0));
    assertThat(changed.tokens().inserted()).isEqualTo(2);
    assertThat(changeEvents()).containsExactlyInAnyOrder(
        "CHANGED " + PolymarketUniverse.conditionId(renamed),
        "CLOSED " + PolymarketUniverse.conditionId(closed),
        "ADDED " + PolymarketUniverse.conditionId(added));
    // what the connector subscribes: the outcome tokens of the closed market close, the added market's appear
    assertThat(tokenEvents()).containsExactlyInAnyOrder(
        "CLOSED " + PolymarketUniverse.market(closed).yesToken(), "CLOSED " + PolymarketUniverse.market(closed).noToken(),
        "ADDED " + PolymarketUniverse.market(added).yesToken(), "ADDED " + PolymarketUniverse.market(added).noToken());
  }

  @Test
  void activeEventsSyncDropsAMarketThatClosed() throws Exception {
    PolymarketSyncReport first = sync().sync(PolymarketSync.Mode.ACTIVE_EVENTS);
    assertThat(first.rejectedCount()).isZero();
    assertThat(first.markets().inserted()).isGreaterThanOrEqualTo(openMarkets().size());
    assertThat(first.events().inserted()).isPositive();
    clearChangeEvents();

    int closed = openMarkets().get(0);
    sim.closeMarket(closed);
    PolymarketSyncReport second = sync().sync(PolymarketSync.Mode.ACTIVE_EVENTS);

    // an event still open lists its closed market (an update); a closed event is no longer listed (a soft delete)
    assertThat(second.markets().updated() + second.markets().softDeleted()).isEqualTo(1);
    String cond = PolymarketUniverse.conditionId(closed);
    assertThat(changeEvents().stream().filter(e -> e.endsWith(cond)).toList()).containsAnyOf("CLOSED " + cond, "REMOVED " + cond).hasSize(1);
  }

  @Test
  void retriesTheSimulatorsRateLimitAndServerErrors() throws Exception {
    sim.failNextRequests(1, 429);
    sim.failNextRequests(2, 503);

    PolymarketSyncReport report = sync().sync(PolymarketSync.Mode.ACTIVE_MARKETS);

    assertThat(report.retries()).isEqualTo(3);
    assertThat(report.markets().inserted()).isEqualTo(openMarkets().size());
  }
}
