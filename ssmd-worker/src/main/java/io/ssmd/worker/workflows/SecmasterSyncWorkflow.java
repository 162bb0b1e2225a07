package io.ssmd.worker.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Workflow type {@code SecmasterSync}: Loads Kalshi reference data into the security master (long profile, resumes from the last heartbeat). */
@WorkflowInterface
public interface SecmasterSyncWorkflow {
  /** Workflow type name, as schedules and clients refer to it. */
  String TYPE = "SecmasterSync";

  @WorkflowMethod(name = TYPE)
  SyncResult run(SecmasterSyncInput input);
}
