package io.ssmd.worker.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Workflow type {@code ExchangeSync}: Loads Kraken or Polymarket reference data into the security master (medium profile). */
@WorkflowInterface
public interface ExchangeSyncWorkflow {
  /** Workflow type name, as schedules and clients refer to it. */
  String TYPE = "ExchangeSync";

  @WorkflowMethod(name = TYPE)
  SyncResult run(ExchangeSyncInput input);
}
