package io.ssmd.worker.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Workflow type {@code DataQuality}: Grades each feed's day GREEN/YELLOW/RED (freshness, volume against trailing days, gaps) and stores the report. */
@WorkflowInterface
public interface DataQualityWorkflow {
  /** Workflow type name, as schedules and clients refer to it. */
  String TYPE = "DataQuality";

  @WorkflowMethod(name = TYPE)
  QualityReport run(DayInput input);
}
