package io.ssmd.worker.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Workflow type {@code DayStart}: Prepares an environment for the trading day: streams, schema, security master, components ready, notification. */
@WorkflowInterface
public interface DayStartWorkflow {
  /** Workflow type name, as schedules and clients refer to it. */
  String TYPE = "DayStart";

  @WorkflowMethod(name = TYPE)
  DayResult run(DayInput input);
}
