package io.ssmd.worker.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Workflow type {@code Notify}: Sends one message to the configured webhook (Slack-compatible) and email. */
@WorkflowInterface
public interface NotifyWorkflow {
  /** Workflow type name, as schedules and clients refer to it. */
  String TYPE = "Notify";

  @WorkflowMethod(name = TYPE)
  NotifyResult run(NotifyInput input);
}
