package io.ssmd.worker.schedule;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One schedule run as a workflow, for servers without a Schedules API (the embedded Java test
 * server): it sleeps on a durable timer to the next fire time, runs the target workflow as a child,
 * and repeats; after {@link Input#firesPerRun()} fires it continues as new so its history stays
 * small. Its workflow id is {@link #workflowId(String)}; the child of each fire is {@code
 * <schedule-id>-<fire instant>}, so a fire is started at most once.
 *
 * <p>Fires that fall while the previous child is still running are skipped, as with the Schedules
 * API's default overlap policy. Register {@link ScheduleRunnerWorkflowImpl} on the worker that runs
 * the target workflows; children start on the runner's own task queue.
 */
@WorkflowInterface
public interface ScheduleRunnerWorkflow {
  /** Workflow type name. */
  String TYPE = "ScheduleRunner";

  /** Workflow id prefix of runners. */
  String ID_PREFIX = "ssmd-schedule-";

  /** Fires per run before continue-as-new when {@link Input#firesPerRun()} is 0. */
  int DEFAULT_FIRES_PER_RUN = 100;

  /** The runner's workflow id for schedule {@code scheduleId}. */
  static String workflowId(String scheduleId) {
    return ID_PREFIX + scheduleId;
  }

  /**
   * What a runner runs.
   *
   * @param id schedule id
   * @param workflow target workflow type
   * @param spec {@link ScheduleSpec#encode()} text
   * @param inputJson target input as JSON
   * @param paused do not fire on the spec (triggers still run)
   * @param firesPerRun fires before continue-as-new (0: {@link #DEFAULT_FIRES_PER_RUN})
   * @param lastFireMillis the last fire's scheduled instant, carried across continue-as-new so a slot
   *     is never fired twice (0: none)
   */
  record Input(String id, String workflow, String spec, String inputJson, boolean paused, int firesPerRun, long lastFireMillis) {
    /** The runner input of a schedule. */
    public static Input of(ScheduleDefinition d) {
      return new Input(d.id(), d.workflow(), d.spec().encode(), d.inputJson(), d.paused(), 0, 0);
    }
  }

  /** Runs the schedule until terminated. */
  @WorkflowMethod(name = TYPE)
  void run(Input input);

  /** Runs the target now, paused or not. */
  @SignalMethod(name = "trigger")
  void trigger();
}
