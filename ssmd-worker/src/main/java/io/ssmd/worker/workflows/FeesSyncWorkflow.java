package io.ssmd.worker.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Workflow type {@code FeesSync}: Loads Kalshi series fee changes into the security master. */
@WorkflowInterface
public interface FeesSyncWorkflow {
  /** Workflow type name, as schedules and clients refer to it. */
  String TYPE = "FeesSync";

  @WorkflowMethod(name = TYPE)
  SyncResult run(FeesSyncInput input);
}
