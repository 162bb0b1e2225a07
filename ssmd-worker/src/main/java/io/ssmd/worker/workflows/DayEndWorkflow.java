package io.ssmd.worker.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Workflow type {@code DayEnd}: Closes a trading day: verify the archive manifest, upload, export Parquet, data quality, notification. */
@WorkflowInterface
public interface DayEndWorkflow {
  /** Workflow type name, as schedules and clients refer to it. */
  String TYPE = "DayEnd";

  @WorkflowMethod(name = TYPE)
  DayResult run(DayInput input);
}
