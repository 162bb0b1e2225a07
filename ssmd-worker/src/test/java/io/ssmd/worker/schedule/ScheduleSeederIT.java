package io.ssmd.worker.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The seeder against the Java test server, which has no Schedules API: it reconciles runner workflows. */
@Timeout(60)
class ScheduleSeederIT {
  private static final String QUEUE = "seeder-it";

  private TestWorkflowEnvironment env;
  private ScheduleStore store;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(ScheduleRunnerWorkflowImpl.class, ScheduleRunnerIT.Recording.class);
    env.start();
    store = ScheduleStores.connect(env.getWorkflowClient(), QUEUE);
  }

  @AfterEach
  void close() {
    env.close();
  }

  private static ScheduleDefinition def(String id, String spec, String envName, boolean paused) {
    ObjectNode input = Json.MAPPER.createObjectNode();
    input.put("env", envName);
    return new ScheduleDefinition(id, "SecmasterSync", ScheduleSpec.parseEvery(spec), input, paused);
  }

  private static List<String> kinds(SchedulePlan plan) {
    return plan.actions().stream().map(a -> a.getClass().getSimpleName() + " " + a.id()).toList();
  }

  @Test
  void theTestServerHasNoSchedulesApiSoRunnerWorkflowsAreUsed() {
    assertThat(store).isInstanceOf(RunnerScheduleStore.class);
    assertThat(store.kind()).isEqualTo("runner workflows");
  }

  @Test
  void seedingCreatesThenChangesNothingThenUpdatesAndPrunes() {
    ScheduleSeeder seeder = new ScheduleSeeder(store);
    List<ScheduleDefinition> v1 = List.of(def("a", "6h/15m", "kalshi-prod", false), def("b", "1h", "kraken-prod", false));
    assertThat(kinds(seeder.seed(v1, false))).containsExactly("Create a", "Create b");
    assertThat(store.list()).extracting(ExistingSchedule::id).containsExactly("a", "b");

    SchedulePlan again = seeder.seed(v1, false);
    assertThat(again.isNoop()).isTrue();
    assertThat(kinds(again)).containsExactly("Unchanged a", "Unchanged b");

    List<ScheduleDefinition> v2 = List.of(def("a", "6h/30m", "kalshi-prod", true));
    SchedulePlan changed = seeder.seed(v2, false);
    assertThat(changed.render()).isEqualTo("""
        UPDATE    a  spec: every 6h/15m -> every 6h/30m; paused: false -> true
        KEPT      b  (not in the file, kept; --prune deletes it)""");
    assertThat(store.describe("a")).get().satisfies(s -> {
      assertThat(s.schedule()).isEqualTo(new ExistingSchedule("a", "SecmasterSync", "every 6h/30m", "{\"env\":\"kalshi-prod\"}", true, true));
      assertThat(s.nextFires()).isEmpty();
    });
    assertThat(store.describe("b").orElseThrow().nextFires()).hasSize(5).allMatch(t -> t.isAfter(Instant.now().minusSeconds(1)));

    assertThat(kinds(seeder.seed(v2, true))).containsExactly("Unchanged a", "Delete b");
    assertThat(store.list()).extracting(ExistingSchedule::id).containsExactly("a");
    assertThat(store.describe("b")).isEmpty();
    assertThat(seeder.seed(v2, true).isNoop()).isTrue();
  }

  @Test
  void seedFileSeedsTheShippedDefaultsOnceAndCountsWhatItDid() {
    PrometheusRegistry registry = new PrometheusRegistry();
    ScheduleMetrics metrics = new ScheduleMetrics(registry);
    assertThat(value(registry, ScheduleMetrics.SEED_ACTIONS, "create")).isZero();
    Path file = Path.of("..", "exchanges", "schedules", "default.yaml");
    SchedulePlan first = ScheduleSeeder.seedFile(env.getWorkflowClient(), QUEUE, file, true, metrics);
    assertThat(first.actions()).hasSize(9).allMatch(a -> a instanceof SchedulePlan.Create);
    assertThat(ScheduleSeeder.seedFile(env.getWorkflowClient(), QUEUE, file, true, metrics).isNoop()).isTrue();
    assertThat(value(registry, ScheduleMetrics.SEED_ACTIONS, "create")).isEqualTo(9);
    assertThat(value(registry, ScheduleMetrics.SEED_ACTIONS, "unchanged")).isEqualTo(9);
    assertThat(value(registry, ScheduleMetrics.SEED_ACTIONS, "delete")).isZero();
    assertThat(value(registry, ScheduleMetrics.MANAGED, null)).isEqualTo(9);
    assertThat(store.list()).extracting(ExistingSchedule::id).contains("secmaster-kalshi-sim", "day-end-polymarket-sim");
  }

  /** The value of a series; counters are named without their _total suffix in snapshots. */
  private static double value(PrometheusRegistry registry, String name, String action) {
    for (MetricSnapshot s : registry.scrape()) {
      String n = s.getMetadata().getPrometheusName();
      if (!name.equals(n) && !name.equals(n + "_total")) {
        continue;
      }
      for (DataPointSnapshot p : s.getDataPoints()) {
        if (action == null || action.equals(p.getLabels().get(ScheduleMetrics.LABEL_ACTION))) {
          return p instanceof CounterSnapshot.CounterDataPointSnapshot c ? c.getValue()
              : ((GaugeSnapshot.GaugeDataPointSnapshot) p).getValue();
        }
      }
    }
    throw new AssertionError("no series " + name + " " + action);
  }

  @Test
  void triggeringAnUnknownScheduleSaysSeedFirst() {
    assertThatThrownBy(() -> store.trigger("nope")).hasMessage("no schedule \"nope\" on the server: run ssmd schedule seed first");
  }
}
