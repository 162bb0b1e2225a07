package io.ssmd.worker.internal;

import io.ssmd.worker.workflows.NotifyInput;
import io.ssmd.worker.workflows.NotifyResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Notifications: webhook (Slack-compatible JSON) and email. */
@ActivityInterface
public interface NotifyActivities {
  @ActivityMethod(name = "Notify")
  NotifyResult send(NotifyInput input);
}
