package io.ssmd.worker.internal;

import io.ssmd.worker.workflows.DayResult;
import io.ssmd.worker.workflows.DayStep;
import io.ssmd.worker.workflows.FeedQuality;
import io.ssmd.worker.workflows.NotifyInput;
import io.ssmd.worker.workflows.NotifyResult;
import io.ssmd.worker.workflows.Quality;
import io.ssmd.worker.workflows.QualityReport;
import io.ssmd.worker.workflows.StepStatus;
import java.util.stream.Collectors;

/** The messages the day workflows send. Pure functions of the results, so they are safe in workflow code. */
final class Notifications {
  private Notifications() {}

  static NotifyInput dayStart(DayResult r) {
    return new NotifyInput(r.ok() ? "info" : "error", "ssmd day start " + r.env() + " " + r.date() + (r.ok() ? ": ready" : ": FAILED"),
        steps(r));
  }

  static NotifyInput dayEnd(DayResult r) {
    Quality q = r.quality() == null ? null : r.quality().grade();
    String severity = !r.ok() || q == Quality.RED ? "error" : q == Quality.YELLOW ? "warning" : "info";
    return new NotifyInput(severity, "ssmd day end " + r.env() + " " + r.date() + (r.ok() ? ": done" : ": FAILED")
        + (q == null ? "" : ", quality " + q), steps(r));
  }

  static String steps(DayResult r) {
    return r.steps().stream().map(s -> s.name() + ": " + s.status() + " - " + s.detail()).collect(Collectors.joining("\n"));
  }

  static String reasons(QualityReport q) {
    String rs = q.feeds().stream().filter(f -> !f.reasons().isEmpty())
        .map(f -> f.feed() + " " + String.join(", ", f.reasons())).collect(Collectors.joining("; "));
    return rs.isEmpty() ? "" : " (" + rs + ")";
  }

  static DayStep send(NotifyActivities notify, NotifyInput message) {
    NotifyResult r = notify.send(message);
    return new DayStep("notify", StepStatus.OK, r.delivered().isEmpty()
        ? "no channel configured (set NOTIFY_WEBHOOK_URL or SMTP_HOST)"
        : "sent by " + String.join(", ", r.delivered()));
  }

  static String feedLine(FeedQuality f) {
    return f.feed() + " " + f.grade() + (f.reasons().isEmpty() ? "" : ": " + String.join(", ", f.reasons()));
  }
}
