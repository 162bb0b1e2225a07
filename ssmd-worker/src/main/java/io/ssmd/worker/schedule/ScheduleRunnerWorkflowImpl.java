package io.ssmd.worker.schedule;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.ChildWorkflowStub;
import io.temporal.workflow.ContinueAsNewOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * {@link ScheduleRunnerWorkflow}: computes each fire time with workflow time ({@link
 * Workflow#currentTimeMillis()}), so time-skipping tests and replays see the same instants as a
 * live run.
 */
public final class ScheduleRunnerWorkflowImpl implements ScheduleRunnerWorkflow {
  private static final Logger LOG = Workflow.getLogger(ScheduleRunnerWorkflowImpl.class);

  private int pendingTriggers;

  @Override
  public void run(Input input) {
    ScheduleSpec spec = ScheduleSpec.decode(input.spec());
    int perRun = input.firesPerRun() > 0 ? input.firesPerRun() : DEFAULT_FIRES_PER_RUN;
    long lastFire = input.lastFireMillis();
    for (int fires = 0; fires < perRun; fires++) {
      Instant now = Instant.ofEpochMilli(Workflow.currentTimeMillis());
      if (input.paused()) {
        Workflow.await(() -> pendingTriggers > 0);
      } else {
        // never before the last fire: a timer woken a millisecond early must not fire its slot twice
        Instant from = now.isBefore(Instant.ofEpochMilli(lastFire)) ? Instant.ofEpochMilli(lastFire) : now;
        Instant next = spec.nextAfter(from);
        Duration wait = Duration.between(now, next);
        boolean triggered = Workflow.await(wait.isNegative() ? Duration.ZERO : wait, () -> pendingTriggers > 0);
        if (!triggered) {
          lastFire = next.toEpochMilli();
          fire(input, next, "schedule");
          continue;
        }
      }
      pendingTriggers--;
      fire(input, Instant.ofEpochMilli(Workflow.currentTimeMillis()), "trigger");
    }
    Input next = new Input(input.id(), input.workflow(), input.spec(), input.inputJson(), input.paused(), input.firesPerRun(), lastFire);
    ScheduleRunnerWorkflow self = Workflow.newContinueAsNewStub(ScheduleRunnerWorkflow.class,
        ContinueAsNewOptions.newBuilder().setMemo(RunnerScheduleStore.memo(next)).build());
    self.run(next);
  }

  @Override
  public void trigger() {
    pendingTriggers++;
  }

  private void fire(Input input, Instant at, String why) {
    String childId = input.id() + "-" + at;
    ChildWorkflowStub child = Workflow.newUntypedChildWorkflowStub(input.workflow(), ChildWorkflowOptions.newBuilder()
        .setWorkflowId(childId)
        // a runner replaced by the seeder must not cancel the run it started
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
        .build());
    LOG.info("schedule {} fires {} ({}) at {}", input.id(), input.workflow(), why, at);
    try {
      child.execute(Object.class, Json.readObject(input.inputJson()));
      LOG.info("schedule {}: {} {} completed", input.id(), input.workflow(), childId);
    } catch (TemporalFailure e) {
      // a failed run is the target's business (its retries, its notification); the schedule goes on
      LOG.warn("schedule {}: {} {} failed: {}", input.id(), input.workflow(), childId, e.getMessage());
    }
  }
}
