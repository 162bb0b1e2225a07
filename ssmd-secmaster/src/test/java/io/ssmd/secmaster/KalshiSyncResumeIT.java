package io.ssmd.secmaster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Kalshi sync interrupted after some pages and resumed from its last checkpoint (as the worker's
 * retried activity does) ends with the database an uninterrupted sync leaves, with the same change
 * events, and fetches fewer pages than starting over.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KalshiSyncResumeIT {
  private static final KalshiAuth.DevKey KEY = KalshiAuth.generate();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Database db;
  private static ScheduledExecutorService scheduler;
  private static SimServer server;
  private static KalshiSim sim;

  @BeforeAll
  static void start() throws Exception {
    db = Database.embedded(EmbeddedDatabase.start());
    scheduler = Executors.newScheduledThreadPool(2);
    KalshiSimOptions opts = KalshiSimOptions.defaults(Map.of(KEY.keyId(), KEY.publicKey()))
        .withMessagesPerSecond(0)
        .withLifecycleInterval(Duration.ofHours(1))
        .withReferenceMarkets(3_000);
    sim = new KalshiSim(opts, new Journal(10_000), scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 1 << 20).start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    scheduler.shutdownNow();
    db.close();
  }

  /** Empty tables plus one stored market the venue no longer lists, which a complete sync soft-deletes. */
  private static void reset() throws Exception {
    try (Connection c = db.connection(); Statement st = c.createStatement()) {
      st.execute("truncate kalshi_series, kalshi_events, kalshi_markets, kalshi_fee_changes, change_events, sync_state, sync_seen");
      st.execute("insert into kalshi_markets (ticker, event_ticker, state) values ('GONE-1', 'GONE', 'open')");
    }
  }

  private static KalshiRestClient rest() {
    URI base = URI.create(server.httpUri() + "/trade-api/v2");
    return new KalshiRestClient(new KalshiRestOptions(base, 1000, 100, 5, Duration.ofMillis(10), Duration.ofSeconds(2), Duration.ofSeconds(10)));
  }

  /** Every venue table and the outbox, without ids and timestamps that differ between runs by construction. */
  private static List<String> snapshot() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connection(); Statement st = c.createStatement()) {
      for (String[] t : List.of(new String[] {"kalshi_series", "ticker"}, new String[] {"kalshi_events", "event_ticker"},
          new String[] {"kalshi_markets", "ticker"}, new String[] {"kalshi_fee_changes", "id"})) {
        try (ResultSet rs = st.executeQuery("select '" + t[0] + " ' || ((to_jsonb(x) - 'created_at' - 'updated_at' - 'deleted_at')"
            + " || jsonb_build_object('deleted', x.deleted_at is not null))::text from " + t[0] + " x order by " + t[1])) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      }
      try (ResultSet rs = st.executeQuery("select feed, entity, ticker, kind, fields::text, payload::text from change_events order by id")) {
        while (rs.next()) {
          out.add("event " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + " "
              + rs.getString(5) + " " + rs.getString(6));
        }
      }
    }
    return out;
  }

  private static long seenRows() throws Exception {
    try (Connection c = db.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from sync_seen")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Stops a sync after the given number of checkpoints, as a cancelled or crashed activity would. */
  private static final class Interrupted extends RuntimeException {
    Interrupted() {
      super("interrupted by the test", null, false, false);
    }
  }

  @ParameterizedTest(name = "interrupted after {0} pages")
  @ValueSource(ints = {1, 2, 4})
  void aResumedSyncEndsLikeAnUninterruptedOneAndFetchesFewerPages(int interruptAfter) throws Exception {
    reset();
    SyncReport whole;
    long wholeRequests;
    try (KalshiRestClient rest = rest()) {
      whole = new KalshiSync(db, rest, KalshiSyncOptions.full(), "test", Optional.empty(), Clock.systemUTC()).run();
      wholeRequests = rest.requests();
    }
    List<String> expected = snapshot();
    assertThat(whole.table("kalshi_markets").softDeleted()).isEqualTo(1);
    assertThat(whole.pages()).isGreaterThan(interruptAfter + 1);

    reset();
    AtomicReference<SyncCheckpoint> last = new AtomicReference<>();
    List<SyncCheckpoint> seen = new ArrayList<>();
    try (KalshiRestClient rest = rest()) {
      KalshiSync first = new KalshiSync(db, rest, KalshiSyncOptions.full(), "test", Optional.empty(), Clock.systemUTC())
          .onCheckpoint(cp -> {
            seen.add(cp);
            last.set(cp);
            if (seen.size() == interruptAfter) {
              throw new Interrupted();
            }
          });
      assertThatThrownBy(first::run).isInstanceOf(Interrupted.class);
    }
    assertThat(snapshot()).isNotEqualTo(expected);
    assertThat(seenRows()).isPositive();

    // the checkpoint travels as JSON (a heartbeat's details), through a plain ObjectMapper
    SyncCheckpoint restored = JSON.readValue(JSON.writeValueAsString(last.get()), SyncCheckpoint.class);
    assertThat(restored).isEqualTo(last.get());
    SyncReport resumed;
    long resumedRequests;
    try (KalshiRestClient rest = rest()) {
      resumed = new KalshiSync(db, rest, KalshiSyncOptions.full(), "test", Optional.empty(), Clock.systemUTC()).resumeFrom(restored).run();
      resumedRequests = rest.requests();
    }
    assertThat(snapshot()).isEqualTo(expected);
    assertThat(resumedRequests).isLessThan(wholeRequests);
    assertThat(resumed.pages()).isEqualTo(whole.pages());
    assertThat(resumed.tables()).isEqualTo(whole.tables());
    assertThat(resumed.changeEvents()).isEqualTo(whole.changeEvents());
    assertThat(seenRows()).isZero();
    try (Connection c = db.connection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select last_sync_at from sync_state where feed = 'kalshi'")) {
      assertThat(rs.next()).isTrue();
      // PostgreSQL keeps microseconds (rounded); the resumed run kept the first attempt's start
      assertThat(rs.getTimestamp(1).toInstant()).isCloseTo(restored.startedAtInstant(), within(1, ChronoUnit.MICROS));
    }
  }

  @Test
  void checkpointsEveryPageInOrderAndRefusesAResumeWithOtherOptions() throws Exception {
    reset();
    List<SyncCheckpoint> seen = new ArrayList<>();
    SyncReport r;
    try (KalshiRestClient rest = rest()) {
      r = new KalshiSync(db, rest, KalshiSyncOptions.full(), "test", Optional.empty(), Clock.systemUTC()).onCheckpoint(seen::add).run();
    }
    // one per page: the series listing's last page checkpoints the first events listing, the fee request FINISH
    assertThat(seen).hasSize((int) r.pages());
    assertThat(seen.getLast().phase()).isEqualTo(SyncCheckpoint.Phase.FINISH);
    assertThat(seen).extracting(SyncCheckpoint::pages).isSorted();
    assertThat(seen).extracting(SyncCheckpoint::runId).containsOnly(seen.getFirst().runId());
    assertThat(seen).extracting(SyncCheckpoint::phase).contains(SyncCheckpoint.Phase.EVENTS, SyncCheckpoint.Phase.MARKETS);

    try (KalshiRestClient rest = rest()) {
      KalshiSync other = new KalshiSync(db, rest, KalshiSyncOptions.activeOnly(), "test", Optional.empty(), Clock.systemUTC());
      assertThatThrownBy(() -> other.resumeFrom(seen.get(1))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("resume with the same options");
    }
  }

  /**
   * A worker can hang inside its checkpoint listener. Whatever it was doing, the hung session must
   * hold no open transaction then (no locks, no snapshot) that a retried attempt could wait on,
   * and the retry started meanwhile from the hung attempt's checkpoint must finish.
   */
  @Test
  void aListenerThatBlocksHoldsNoTransactionAndARetryFinishesMeanwhile() throws Exception {
    reset();
    // an incremental sync whose watermark is ahead of every record: its listings come back empty,
    // so no page write commits the watermark read that opened the session's transaction
    try (Connection c = db.connection(); Statement st = c.createStatement()) {
      st.execute("insert into sync_state (feed, scope, last_sync_at) values ('kalshi', 'full', now() + interval '1 day')");
    }
    KalshiSyncOptions options = KalshiSyncOptions.full().withIncremental(true);
    List<Long> openTransactions = new ArrayList<>();
    try (KalshiRestClient rest = rest()) {
      new KalshiSync(db, rest, options, "test", Optional.empty(), Clock.systemUTC())
          .onCheckpoint(cp -> openTransactions.add(idleInTransaction())).run();
    }
    assertThat(openTransactions).isNotEmpty().containsOnly(0L);

    reset();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    AtomicReference<SyncCheckpoint> hungAt = new AtomicReference<>();
    java.util.concurrent.CompletableFuture<SyncReport> retry = new java.util.concurrent.CompletableFuture<>();
    Thread hung = Thread.ofPlatform().name("hung-attempt").start(() -> {
      try (KalshiRestClient rest = rest()) {
        new KalshiSync(db, rest, KalshiSyncOptions.full(), "test", Optional.empty(), Clock.systemUTC()).onCheckpoint(cp -> {
          if (cp.phase() == SyncCheckpoint.Phase.MARKETS && hungAt.compareAndSet(null, cp)) {
            // the retry runs while this attempt is stuck here, as a wedged worker's would
            try (KalshiRestClient rest2 = rest()) {
              retry.complete(new KalshiSync(db, rest2, KalshiSyncOptions.full(), "test", Optional.empty(), Clock.systemUTC())
                  .resumeFrom(cp).run());
            } catch (Exception e) {
              retry.completeExceptionally(e);
            }
            try {
              release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            throw new Interrupted();
          }
        }).run();
      } catch (Interrupted expected) {
        // the hung attempt is abandoned once released, as the server's timeout abandons it
      } catch (Exception e) {
        retry.completeExceptionally(e);
      }
    });
    try {
      // a retry waiting on the hung session would hit the sync's lock timeout (30 s) and fail
      SyncReport r = retry.get(90, TimeUnit.SECONDS);
      assertThat(hungAt.get()).isNotNull();
      assertThat(r.table("kalshi_markets").received()).isPositive();
      try (Connection c = db.connection(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select count(*) from kalshi_markets where deleted_at is null")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(sim.referenceMarkets());
      }
    } finally {
      release.countDown();
      hung.join(30_000);
    }
  }

  /** Sessions other than the caller's that are idle inside an open transaction. */
  private static long idleInTransaction() {
    try (Connection c = db.connection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from pg_stat_activity where state like 'idle in transaction%'"
            + " and pid <> pg_backend_pid() and datname = current_database()")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
