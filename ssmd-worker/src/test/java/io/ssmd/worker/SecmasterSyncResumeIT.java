package io.ssmd.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.secmaster.EmbeddedDatabase;
import io.ssmd.sim.Journal;
import io.ssmd.testkit.NatsServerProcess;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.kalshi.KalshiAuth;
import io.ssmd.sim.kalshi.KalshiSim;
import io.ssmd.sim.kalshi.KalshiSimOptions;
import io.ssmd.sim.kraken.KrakenSim;
import io.ssmd.sim.kraken.KrakenSimOptions;
import io.ssmd.worker.internal.Profiles;
import io.ssmd.worker.workflows.DayInput;
import io.ssmd.worker.workflows.DayResult;
import io.ssmd.worker.workflows.DayStartWorkflow;
import io.ssmd.worker.workflows.DayStep;
import io.ssmd.worker.workflows.ExchangeSyncInput;
import io.ssmd.worker.workflows.ExchangeSyncWorkflow;
import io.ssmd.worker.workflows.FeesSyncInput;
import io.ssmd.worker.workflows.FeesSyncWorkflow;
import io.ssmd.worker.workflows.SecmasterSyncInput;
import io.ssmd.worker.workflows.StepStatus;
import io.ssmd.worker.workflows.SecmasterSyncWorkflow;
import io.ssmd.worker.workflows.SyncResult;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SecmasterSync activity against the Kalshi simulator on the embedded server: the first
 * attempt stops heartbeating mid-sync (it hangs, as on a wedged worker), the server times it out,
 * and the retry continues from the last heartbeated checkpoint instead of fetching from page one;
 * and DayStart against the same simulator and database.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecmasterSyncResumeIT {
  private static final KalshiAuth.DevKey KEY = KalshiAuth.generate();
  private static final int MARKETS = 3_000;
  private static final long STALL_AFTER_PAGES = 3;

  @TempDir static Path tmp;
  static ScheduledExecutorService scheduler;
  static KalshiSim sim;
  static SimServer server;
  static EmbeddedDatabase pg;
  static Path config;
  static String dbUrl;

  @BeforeAll
  static void start() throws Exception {
    scheduler = Executors.newScheduledThreadPool(2);
    KalshiSimOptions opts = KalshiSimOptions.defaults(Map.of(KEY.keyId(), KEY.publicKey()))
        .withMessagesPerSecond(0).withLifecycleInterval(Duration.ofHours(1)).withReferenceMarkets(MARKETS);
    sim = new KalshiSim(opts, new Journal(1_000), scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 1 << 20).start();
    pg = EmbeddedDatabase.start();
    config = WorkerTests.configDir(tmp);
    WorkerTests.writeEnv(config, "kalshi-test", """
        name: kalshi-test
        feed: kalshi
        schema: v2
        rest_endpoint: %s/trade-api/v2
        transport: {type: memory}
        """.formatted(server.httpUri()));
    dbUrl = pg.jdbcUrl() + "?user=postgres";
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    pg.close();
    scheduler.shutdownNow();
  }

  @Test
  void dayStartAppliesTheSchemaSyncsTheOpenMarketsAndWaitsForComponents() throws Exception {
    int health = freePort();
    WorkerSettings settings = WorkerSettings.embedded(config, tmp.resolve("data-start"), health).withDatabaseUrl(dbUrl)
        .withReadyUrls(List.of(new WorkerSettings.ReadyUrl("kalshi-test", "worker", URI.create("http://127.0.0.1:" + health + "/ready")),
            new WorkerSettings.ReadyUrl("other-env", "elsewhere", URI.create("http://127.0.0.1:9/ready"))), Duration.ofSeconds(30));
    try (WorkerRuntime worker = WorkerRuntime.start(settings, new PrometheusRegistry());
        DayClient days = new DayClient(worker.client(), worker.taskQueue())) {
      DayResult r = days.await(days.start(DayStartWorkflow.TYPE, new DayInput("kalshi-test", "2026-11-20")).workflowId(),
          Duration.ofSeconds(90));
      assertThat(r.steps()).extracting(DayStep::name, DayStep::status).containsExactly(
          tuple("streams", StepStatus.SKIPPED), tuple("schema", StepStatus.OK), tuple("secmaster", StepStatus.OK),
          tuple("ready", StepStatus.OK), tuple("notify", StepStatus.OK));
      assertThat(r.ok()).isTrue();
      assertThat(r.steps().get(3).detail()).isEqualTo("1 component(s) ready: worker http://127.0.0.1:" + health + "/ready");
      DayClient.DayStatus st = days.status("kalshi-test", "2026-11-20", settings.readyUrls());
      assertThat(st.runs()).extracting(DayClient.Run::type, DayClient.Run::status).containsExactly(
          tuple("DayStart", "COMPLETED"), tuple("SecmasterSync", "COMPLETED"), tuple("DayEnd", "NOT_STARTED"),
          tuple("DataQuality", "NOT_STARTED"));
      assertThat(st.components()).singleElement().satisfies(c -> assertThat(c.ready()).isTrue());
      assertThat(st.failed()).isFalse();

      // on the nats transport DayStart creates the feed's stream (and finds it unchanged the next day)
      try (NatsServerProcess nats = NatsServerProcess.start()) {
        WorkerTests.writeEnv(config, "kalshi-nats", """
            name: kalshi-nats
            feed: kalshi
            schema: v2
            rest_endpoint: %s/trade-api/v2
            transport: {type: nats, url: "%s", subject_prefix: kn, jetstream: {enabled: true, max_age: 1h}}
            """.formatted(server.httpUri(), nats.url()));
        DayResult first = days.await(days.start(DayStartWorkflow.TYPE, new DayInput("kalshi-nats", "2026-11-20")).workflowId(),
            Duration.ofSeconds(90));
        assertThat(first.steps().getFirst()).satisfies(s -> {
          assertThat(s.status()).isEqualTo(StepStatus.OK);
          assertThat(s.detail()).contains("KN_KALSHI").containsIgnoringCase("created");
        });
        assertThat(first.steps().getFirst().detail()).contains("KN_SECMASTER").contains("KN_SIGNALS");
        assertThat(first.steps().get(3).status()).isEqualTo(StepStatus.SKIPPED);
        // the sync's change events went to the secmaster stream, where following connectors pick them up
        try (io.nats.client.Connection nc = io.nats.client.Nats.connect(nats.url())) {
          assertThat(nc.jetStreamManagement().getStreamInfo("KN_SECMASTER").getStreamState().getMsgCount()).isPositive();
        }
        DayResult next = days.await(days.start(DayStartWorkflow.TYPE, new DayInput("kalshi-nats", "2026-11-21")).workflowId(),
            Duration.ofSeconds(90));
        assertThat(next.steps().getFirst().detail()).containsIgnoringCase("unchanged");
      }
    }
  }

  @Test
  void feesAndKrakenSyncsLoadTheirTablesAndAWrongFeedIsANonRetryableFailureNamingTheFix() throws Exception {
    WorkerSettings settings = WorkerSettings.embedded(config, tmp.resolve("data-fees"), 0).withDatabaseUrl(dbUrl);
    try (WorkerRuntime worker = WorkerRuntime.start(settings, new PrometheusRegistry())) {
      // the schema as the worker applies it (this test may run before any other has synced)
      io.ssmd.secmaster.Database.fromUrl(dbUrl).close();
      // a stored open market past its close time: a markets sync would close it and write a change event
      try (Connection c = DriverManager.getConnection(dbUrl); Statement st = c.createStatement()) {
        st.execute("insert into kalshi_markets (ticker, event_ticker, state, close_time) values ('FEES-STALE-1', 'FEES-STALE', 'open',"
            + " now() - interval '1 hour') on conflict (ticker) do update set state = 'open', close_time = excluded.close_time");
      }
      String marketsBefore = marketsFingerprint();
      SyncResult fees = worker.client().newWorkflowStub(FeesSyncWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue(worker.taskQueue()).setWorkflowId("fees-test").build())
          .run(new FeesSyncInput("kalshi-test"));
      assertThat(fees.feed()).isEqualTo("kalshi");
      try (Connection c = DriverManager.getConnection(dbUrl); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select count(*) from kalshi_fee_changes")) {
        rs.next();
        assertThat(rs.getLong(1)).isPositive();
      }
      // fees only: the markets table and the markets' change events are as they were
      assertThat(marketsFingerprint()).isEqualTo(marketsBefore);
      assertThat(fees.changeEvents()).isZero();
      try (Connection c = DriverManager.getConnection(dbUrl); Statement st = c.createStatement()) {
        // the other tests count the markets the simulator lists
        st.execute("delete from kalshi_markets where ticker = 'FEES-STALE-1'");
      }
      KrakenSim kraken = new KrakenSim(KrakenSimOptions.defaults().withMessagesPerSecond(0).withReferencePairs(40), new Journal(1_000),
          scheduler);
      try (SimServer krakenServer = new SimServer(kraken, "127.0.0.1", 0, 16 << 20).start()) {
        WorkerTests.writeEnv(config, "kraken-test", """
            name: kraken-test
            feed: kraken
            schema: v2
            rest_endpoint: %s/0/public
            transport: {type: memory}
            """.formatted(krakenServer.httpUri()));
        SyncResult pairs = worker.client().newWorkflowStub(ExchangeSyncWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(worker.taskQueue()).setWorkflowId("kraken-test").build())
            .run(new ExchangeSyncInput("kraken-test"));
        assertThat(pairs.feed()).isEqualTo("kraken");
        assertThat(pairs.received()).isEqualTo(40);
        assertThat(pairs.changed()).isEqualTo(40);
      }
      ExchangeSyncWorkflow wrong = worker.client().newWorkflowStub(ExchangeSyncWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue(worker.taskQueue()).setWorkflowId("wrong-feed").build());
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> wrong.run(new ExchangeSyncInput("kalshi-test")))
          .isInstanceOf(WorkflowFailedException.class)
          .rootCause().hasMessageContaining("ExchangeSync needs a Kraken or Polymarket environment; kalshi-test is kalshi: use SecmasterSync");
      // not retried: well under the first retry interval times the attempts
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
      assertThatThrownBy(() -> worker.client().newWorkflowStub(ExchangeSyncWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue(worker.taskQueue()).setWorkflowId("no-env").build())
          .run(new ExchangeSyncInput("kraken-nowhere")))
          .rootCause().hasMessageContaining("no environment kraken-nowhere");
    }
  }

  /** Every market row with its state and update time, and the number of Kalshi change events. */
  private static String marketsFingerprint() throws Exception {
    try (Connection c = DriverManager.getConnection(dbUrl); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select (select count(*) || ' ' || coalesce(md5(string_agg(ticker || state || updated_at::text, ','"
            + " order by ticker)), '') from kalshi_markets) || ' events ' || (select count(*) from change_events where feed = 'kalshi')")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Sessions idle inside an open transaction (other than the caller's). */
  private static long idleInTransaction() {
    try (Connection c = DriverManager.getConnection(dbUrl); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from pg_stat_activity where state like 'idle in transaction%'"
            + " and pid <> pg_backend_pid() and datname = current_database()")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void attemptThatStopsHeartbeatingIsRetriedAndResumesFromItsLastHeartbeat() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Map<Integer, AtomicLong> pagesByAttempt = new ConcurrentHashMap<>();
    AtomicLong hungOpenTransactions = new AtomicLong(-1);
    try {
      WorkerSettings settings = WorkerSettings.embedded(config, tmp.resolve("data-resume"), 0).withDatabaseUrl(dbUrl);
      // a 5 s heartbeat timeout instead of 2 min, so the hung attempt is noticed quickly
      Profiles profiles = new Profiles(Duration.ofMinutes(2), Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofSeconds(30),
          Duration.ofMinutes(1), Duration.ofMillis(500));
      try (WorkerRuntime worker = WorkerRuntime.start(settings, new PrometheusRegistry(), profiles, (attempt, pages) -> {
        pagesByAttempt.computeIfAbsent(attempt, a -> new AtomicLong()).set(pages);
        if (attempt == 1 && pages == STALL_AFTER_PAGES) {
          // the hung attempt holds no transaction a retry could wait on
          hungOpenTransactions.set(idleInTransaction());
          try {
            // hung: no more heartbeats until the test is over
            release.await(90, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      })) {
        SecmasterSyncWorkflow wf = worker.client().newWorkflowStub(SecmasterSyncWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(worker.taskQueue()).setWorkflowId("resume-test").build());
        SyncResult r = wf.run(new SecmasterSyncInput("kalshi-test", "full", List.of(), null, List.of(), null, null, false));
        release.countDown();

        assertThat(pagesByAttempt).containsKey(1).hasSizeGreaterThanOrEqualTo(2);
        assertThat(pagesByAttempt.get(1).get()).isEqualTo(STALL_AFTER_PAGES);
        assertThat(hungOpenTransactions.get()).isZero();
        // on a loaded machine a retry may itself miss a heartbeat; the attempt that finished is the last one
        int last = pagesByAttempt.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
        long second = pagesByAttempt.get(last).get();
        assertThat(r.resumedFromPage()).as("pages the retry skipped").isBetween(1L, STALL_AFTER_PAGES);
        // the retry fetched only what came after the checkpoint: the whole run's pages minus the skipped ones
        assertThat(second).isEqualTo(r.pages() - r.resumedFromPage());
        assertThat(second).isLessThan(r.pages());
        assertThat(r.received()).isGreaterThanOrEqualTo(MARKETS);
        try (Connection c = DriverManager.getConnection(dbUrl); Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("select count(*), count(distinct ticker) from kalshi_markets")) {
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(sim.referenceMarkets());
          assertThat(rs.getLong(2)).isEqualTo(sim.referenceMarkets());
        }
      }
    } finally {
      release.countDown();
    }
  }
}
