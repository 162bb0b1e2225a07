package io.ssmd.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.secmaster.EmbeddedDatabase;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.kalshi.KalshiAuth;
import io.ssmd.sim.kalshi.KalshiSim;
import io.ssmd.sim.kalshi.KalshiSimOptions;
import io.ssmd.worker.internal.Profiles;
import io.ssmd.worker.workflows.SecmasterSyncInput;
import io.ssmd.worker.workflows.SecmasterSyncWorkflow;
import io.ssmd.worker.workflows.SyncResult;
import io.temporal.client.WorkflowOptions;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SecmasterSync activity against the Kalshi simulator on the embedded server: the first
 * attempt stops heartbeating mid-sync (it hangs, as on a wedged worker), the server times it out,
 * and the retry continues from the last heartbeated checkpoint instead of fetching from page one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecmasterSyncResumeIT {
  private static final KalshiAuth.DevKey KEY = KalshiAuth.generate();
  private static final int MARKETS = 3_000;
  private static final long STALL_AFTER_PAGES = 3;

  @TempDir Path tmp;

  @Test
  void attemptThatStopsHeartbeatingIsRetriedAndResumesFromItsLastHeartbeat() throws Exception {
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    KalshiSimOptions opts = KalshiSimOptions.defaults(Map.of(KEY.keyId(), KEY.publicKey()))
        .withMessagesPerSecond(0).withLifecycleInterval(Duration.ofHours(1)).withReferenceMarkets(MARKETS);
    KalshiSim sim = new KalshiSim(opts, new Journal(1_000), scheduler);
    CountDownLatch release = new CountDownLatch(1);
    Map<Integer, AtomicLong> pagesByAttempt = new ConcurrentHashMap<>();
    try (SimServer server = new SimServer(sim, "127.0.0.1", 0, 1 << 20).start();
        EmbeddedDatabase pg = EmbeddedDatabase.start()) {
      Path config = WorkerTests.configDir(tmp);
      WorkerTests.writeEnv(config, "kalshi-test", """
          name: kalshi-test
          feed: kalshi
          schema: v2
          rest_endpoint: %s/trade-api/v2
          transport: {type: memory}
          """.formatted(server.httpUri()));
      String dbUrl = pg.jdbcUrl() + "?user=postgres";
      WorkerSettings settings = WorkerSettings.embedded(config, tmp.resolve("data"), 0).withDatabaseUrl(dbUrl);
      // a 3 s heartbeat timeout instead of 2 min, so the hung attempt is noticed quickly
      Profiles profiles = new Profiles(Duration.ofMinutes(2), Duration.ofSeconds(3), Duration.ofMinutes(1), Duration.ofSeconds(30),
          Duration.ofMinutes(1), Duration.ofMillis(500));
      try (WorkerRuntime worker = WorkerRuntime.start(settings, new PrometheusRegistry(), profiles, (attempt, pages) -> {
        pagesByAttempt.computeIfAbsent(attempt, a -> new AtomicLong()).set(pages);
        if (attempt == 1 && pages == STALL_AFTER_PAGES) {
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

        assertThat(pagesByAttempt).containsKeys(1, 2);
        assertThat(pagesByAttempt.get(1).get()).isEqualTo(STALL_AFTER_PAGES);
        long second = pagesByAttempt.get(2).get();
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
      scheduler.shutdownNow();
    }
  }
}
