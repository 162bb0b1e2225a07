package io.ssmd.worker.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.EncodedValues;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.DynamicWorkflow;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runner workflows on the Java test server with time skipping: days of schedule pass in
 * seconds, and each fire is recorded by a workflow registered under the target's type name.
 */
@Timeout(60)
class ScheduleRunnerIT {
  private static final String QUEUE = "schedules-it";
  private static final ZoneId NY = ZoneId.of("America/New_York");

  /** One run of a target workflow. */
  record Fire(String type, String workflowId, Instant at, JsonNode input) {}

  static final Queue<Fire> FIRES = new ConcurrentLinkedQueue<>();

  /** Stands in for every target workflow type: records when it ran and with what. */
  public static final class Recording implements DynamicWorkflow {
    @Override
    public Object execute(EncodedValues args) {
      if (!io.temporal.workflow.unsafe.WorkflowUnsafe.isReplaying()) {
        FIRES.add(new Fire(Workflow.getInfo().getWorkflowType(), Workflow.getInfo().getWorkflowId(),
            Instant.ofEpochMilli(Workflow.currentTimeMillis()), args.get(0, JsonNode.class)));
      }
      return null;
    }
  }

  private TestWorkflowEnvironment env;

  @BeforeEach
  void clear() {
    FIRES.clear();
  }

  @AfterEach
  void close() {
    if (env != null) {
      env.close();
    }
  }

  private WorkflowClient start(String at) {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setInitialTime(Instant.parse(at)).build());
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(ScheduleRunnerWorkflowImpl.class, Recording.class);
    env.start();
    return env.getWorkflowClient();
  }

  private static ObjectNode input(String envName) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("env", envName);
    return n;
  }

  private static ScheduleDefinition def(String id, String workflow, ScheduleSpec spec, boolean paused) {
    return new ScheduleDefinition(id, workflow, spec, input("kalshi-prod"), paused);
  }

  private List<Instant> firesOf(String type) {
    return FIRES.stream().filter(f -> f.type().equals(type)).map(Fire::at).toList();
  }

  private static void assertFiredAt(List<Instant> actual, String... expected) {
    assertThat(actual).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      Instant want = Instant.parse(expected[i]);
      // the target starts a moment after its timer fires; a fire is never early and never a slot late
      assertThat(actual.get(i)).isBetween(want, want.plusSeconds(60));
    }
  }

  @Test
  void sixHoursOffsetFifteenMinutesFiresAtQuarterPastTheSixHourMarksUtc() {
    WorkflowClient client = start("2026-03-08T00:00:00Z");
    new RunnerScheduleStore(client, QUEUE).create(def("secmaster", "SecmasterSync", ScheduleSpec.parseEvery("6h/15m"), false));
    env.sleep(Duration.ofHours(24).minusMinutes(1));
    assertFiredAt(firesOf("SecmasterSync"),
        "2026-03-08T00:15:00Z", "2026-03-08T06:15:00Z", "2026-03-08T12:15:00Z", "2026-03-08T18:15:00Z");
    assertThat(FIRES).extracting(Fire::workflowId).containsExactly("secmaster-2026-03-08T00:15:00Z",
        "secmaster-2026-03-08T06:15:00Z", "secmaster-2026-03-08T12:15:00Z", "secmaster-2026-03-08T18:15:00Z");
    assertThat(FIRES).extracting(f -> f.input().toString()).containsOnly("{\"env\":\"kalshi-prod\"}");
  }

  @Test
  void dayStartAndEndFireAtTheLocalTimesAcrossSpringForward() {
    WorkflowClient client = start("2026-03-06T12:00:00Z");
    RunnerScheduleStore store = new RunnerScheduleStore(client, QUEUE);
    store.create(def("day-start", "DayStart", new ScheduleSpec.Daily(LocalTime.of(0, 10), NY, "day_start"), false));
    store.create(def("day-end", "DayEnd", new ScheduleSpec.Daily(LocalTime.of(23, 55), NY, "day_end"), false));
    env.sleep(Duration.ofDays(4));
    // 00:10 and 23:55 New York: EST (UTC-5) until 2026-03-08 02:00, EDT (UTC-4) after
    assertFiredAt(firesOf("DayStart"),
        "2026-03-07T05:10:00Z", "2026-03-08T05:10:00Z", "2026-03-09T04:10:00Z", "2026-03-10T04:10:00Z");
    assertFiredAt(firesOf("DayEnd"),
        "2026-03-07T04:55:00Z", "2026-03-08T04:55:00Z", "2026-03-09T03:55:00Z", "2026-03-10T03:55:00Z");
  }

  @Test
  void dayStartAndEndFireAtTheLocalTimesAcrossFallBack() {
    WorkflowClient client = start("2026-10-30T12:00:00Z");
    RunnerScheduleStore store = new RunnerScheduleStore(client, QUEUE);
    store.create(def("day-start", "DayStart", new ScheduleSpec.Daily(LocalTime.of(0, 10), NY, "day_start"), false));
    store.create(def("day-end", "DayEnd", new ScheduleSpec.Daily(LocalTime.of(23, 55), NY, "day_end"), false));
    env.sleep(Duration.ofDays(3));
    // EDT (UTC-4) until 2026-11-01 02:00, EST (UTC-5) after; one fire per local day, none doubled by the repeated hour
    assertFiredAt(firesOf("DayStart"), "2026-10-31T04:10:00Z", "2026-11-01T04:10:00Z", "2026-11-02T05:10:00Z");
    assertFiredAt(firesOf("DayEnd"), "2026-10-31T03:55:00Z", "2026-11-01T03:55:00Z", "2026-11-02T04:55:00Z");
  }

  @Test
  void aRunnerContinuesAsNewWithoutLosingOrRepeatingASlotAndKeepsItsSchedule() {
    WorkflowClient client = start("2026-11-22T00:00:00Z");
    ScheduleDefinition d = def("hourly", "FeesSync", ScheduleSpec.parseEvery("1h"), false);
    ScheduleRunnerWorkflow.Input in = new ScheduleRunnerWorkflow.Input(d.id(), d.workflow(), d.spec().encode(), d.inputJson(), false, 2, 0);
    ScheduleRunnerWorkflow runner = client.newWorkflowStub(ScheduleRunnerWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(ScheduleRunnerWorkflow.workflowId(d.id())).setTaskQueue(QUEUE).setMemo(RunnerScheduleStore.memo(in)).build());
    WorkflowClient.start(runner::run, in);
    env.sleep(Duration.ofHours(5).plusMinutes(30));
    assertFiredAt(firesOf("FeesSync"), "2026-11-22T01:00:00Z", "2026-11-22T02:00:00Z", "2026-11-22T03:00:00Z",
        "2026-11-22T04:00:00Z", "2026-11-22T05:00:00Z");
    // two continue-as-new later the memo still says what the schedule is
    assertThat(new RunnerScheduleStore(client, QUEUE).list())
        .containsExactly(new ExistingSchedule("hourly", "FeesSync", "every 1h", "{\"env\":\"kalshi-prod\"}", false, true));
  }

  @Test
  void theSeededDefaultScheduleRunsADayOfOperationsOnTheEmbeddedServer() {
    WorkflowClient client = start("2026-11-22T00:00:00Z");
    SchedulePlan plan = ScheduleSeeder.seedFile(client, QUEUE, java.nio.file.Path.of("..", "exchanges", "schedules", "default.yaml"),
        true, ScheduleMetrics.detached());
    assertThat(plan.actions()).hasSize(9).allMatch(a -> a instanceof SchedulePlan.Create);
    env.sleep(Duration.ofHours(24));
    assertFiredAt(firesOf("SecmasterSync"),
        "2026-11-22T00:15:00Z", "2026-11-22T06:15:00Z", "2026-11-22T12:15:00Z", "2026-11-22T18:15:00Z");
    assertThat(firesOf("ExchangeSync")).hasSize(8);
    // the sim environments: day_start 00:10, day_end 23:55 UTC, one per environment
    assertThat(FIRES).filteredOn(f -> f.type().equals("DayStart")).hasSize(3)
        .allSatisfy(f -> assertThat(f.at()).isBetween(Instant.parse("2026-11-22T00:10:00Z"), Instant.parse("2026-11-22T00:11:00Z")))
        .extracting(f -> f.input().get("env").asText()).containsExactlyInAnyOrder("kalshi-sim", "kraken-sim", "polymarket-sim");
    assertThat(FIRES).filteredOn(f -> f.type().equals("DayEnd")).hasSize(3)
        .allSatisfy(f -> assertThat(f.at()).isBetween(Instant.parse("2026-11-22T23:55:00Z"), Instant.parse("2026-11-22T23:56:00Z")));
    assertThat(FIRES).filteredOn(f -> f.type().equals("SecmasterSync"))
        .extracting(f -> f.input().toString()).containsOnly("{\"env\":\"kalshi-sim\",\"mode\":\"full\"}");
  }

  @Test
  void aPausedScheduleDoesNotFireButATriggerRunsItNow() {
    WorkflowClient client = start("2026-11-22T00:00:00Z");
    RunnerScheduleStore store = new RunnerScheduleStore(client, QUEUE);
    store.create(def("paused", "Notify", ScheduleSpec.parseEvery("1h"), true));
    env.sleep(Duration.ofHours(3));
    assertThat(FIRES).isEmpty();
    store.trigger("paused");
    env.sleep(Duration.ofMinutes(1));
    assertThat(FIRES).extracting(Fire::type).containsExactly("Notify");
    assertThat(firesOf("Notify").get(0)).isBetween(Instant.parse("2026-11-22T03:00:00Z"), Instant.parse("2026-11-22T03:01:00Z"));
  }
}
