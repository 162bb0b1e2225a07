package io.ssmd.worker.internal;

import io.ssmd.worker.workflows.DataQualityWorkflow;
import io.ssmd.worker.workflows.DayEndWorkflow;
import io.ssmd.worker.workflows.DayInput;
import io.ssmd.worker.workflows.DayResult;
import io.ssmd.worker.workflows.DayStartWorkflow;
import io.ssmd.worker.workflows.DayStep;
import io.ssmd.worker.workflows.ExchangeSyncInput;
import io.ssmd.worker.workflows.ExchangeSyncWorkflow;
import io.ssmd.worker.workflows.NotifyInput;
import io.ssmd.worker.workflows.Quality;
import io.ssmd.worker.workflows.QualityReport;
import io.ssmd.worker.workflows.SecmasterSyncInput;
import io.ssmd.worker.workflows.SecmasterSyncWorkflow;
import io.ssmd.worker.workflows.StepStatus;
import io.ssmd.worker.workflows.SyncResult;
import io.ssmd.worker.workflows.WorkflowIds;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * DayStart, DayEnd and DataQuality. A failing step is recorded as FAILED in the result and the
 * day goes on with the steps that do not depend on it, so one run reports everything that is
 * wrong; only an unusable input (unknown environment) fails the workflow itself.
 */
public final class DayWorkflows {
  private DayWorkflows() {}

  /** {@code DayStart}: streams, schema, security master, components ready, notify. */
  public static final class DayStart implements DayStartWorkflow {
    private static final Logger LOG = Workflow.getLogger(DayStart.class);
    private final DayActivities medium;
    private final DayActivities ready;
    private final NotifyActivities notify;

    public DayStart(Profiles p) {
      medium = Workflow.newActivityStub(DayActivities.class, p.mediumProfile());
      ready = Workflow.newActivityStub(DayActivities.class, p.readyProfile());
      notify = Workflow.newActivityStub(NotifyActivities.class, p.shortProfile());
    }

    @Override
    public DayResult run(DayInput input) {
      DayContext day = medium.resolveDay(input);
      List<DayStep> steps = new ArrayList<>();
      steps.add(step("streams", () -> medium.applyStreams(day)));
      steps.add(step("schema", () -> medium.applySchema(day)));
      steps.add(step("secmaster", () -> syncSecmaster(day)));
      steps.add(step("ready", () -> ready.awaitReady(day)));
      DayResult result = new DayResult(day.env(), day.date(), ok(steps), steps, null);
      steps.add(step("notify", () -> Notifications.send(notify, Notifications.dayStart(result))));
      LOG.info("day start of {} {}: {}", day.env(), day.date(), result.ok() ? "ok" : "failed steps");
      medium.recordDay(day, "DayStart", ok(steps));
      return new DayResult(day.env(), day.date(), ok(steps), steps, null);
    }

    private DayStep syncSecmaster(DayContext day) {
      ChildWorkflowOptions o = ChildWorkflowOptions.newBuilder()
          .setWorkflowId(WorkflowIds.day(day.feed().equals("kalshi") ? SecmasterSyncWorkflow.TYPE : ExchangeSyncWorkflow.TYPE, day.env(), day.date()))
          .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE)
          .build();
      SyncResult r;
      if (day.feed().equals("kalshi")) {
        // the open markets are what the day's capture subscribes to; a full sync is the scheduled one
        r = Workflow.newChildWorkflowStub(SecmasterSyncWorkflow.class, o)
            .run(new SecmasterSyncInput(day.env(), "active", List.of(), null, List.of(), null, null, false));
      } else {
        r = Workflow.newChildWorkflowStub(ExchangeSyncWorkflow.class, o).run(new ExchangeSyncInput(day.env()));
      }
      return new DayStep("secmaster", StepStatus.OK, r.feed() + ": " + r.received() + " received, " + r.changed() + " changed, "
          + r.changeEvents() + " change events");
    }
  }

  /** {@code DayEnd}: verify the archive, upload, export Parquet, data quality, notify. */
  public static final class DayEnd implements DayEndWorkflow {
    private static final Logger LOG = Workflow.getLogger(DayEnd.class);
    private final DayActivities archive;
    private final NotifyActivities notify;

    public DayEnd(Profiles p) {
      archive = Workflow.newActivityStub(DayActivities.class, p.archiveProfile());
      notify = Workflow.newActivityStub(NotifyActivities.class, p.shortProfile());
    }

    @Override
    public DayResult run(DayInput input) {
      DayContext day = archive.resolveDay(input);
      List<DayStep> steps = new ArrayList<>();
      DayStep verify = step("verify", () -> {
        ArchiveCheck c = archive.verifyArchive(day);
        if (!c.manifestPresent()) {
          return new DayStep("verify", StepStatus.FAILED, "no manifest for " + day.feed() + " " + day.date() + ": nothing archived that day");
        }
        String counts = c.files() + " files, " + c.records() + " records, " + c.bytes() + " bytes";
        return c.verified()
            ? new DayStep("verify", StepStatus.OK, counts + " match the manifest")
            : new DayStep("verify", StepStatus.FAILED, counts + "; " + String.join("; ", c.problems()));
      });
      steps.add(verify);
      if (verify.status() == StepStatus.OK) {
        steps.add(step("upload", () -> archive.upload(day)));
        steps.add(step("export", () -> archive.exportParquet(day)));
      } else {
        // a file that does not match its manifest is not published anywhere until someone looks at it
        steps.add(new DayStep("upload", StepStatus.SKIPPED, "archive not verified"));
        steps.add(new DayStep("export", StepStatus.SKIPPED, "archive not verified"));
      }
      QualityReport[] quality = new QualityReport[1];
      steps.add(step("quality", () -> {
        ChildWorkflowOptions o = ChildWorkflowOptions.newBuilder()
            .setWorkflowId(WorkflowIds.day(DataQualityWorkflow.TYPE, day.env(), day.date()))
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE)
            .build();
        quality[0] = Workflow.newChildWorkflowStub(DataQualityWorkflow.class, o).run(new DayInput(day.env(), day.date()));
        return new DayStep("quality", quality[0].grade() == Quality.RED ? StepStatus.FAILED : StepStatus.OK,
            "grade " + quality[0].grade() + Notifications.reasons(quality[0]));
      }));
      DayResult result = new DayResult(day.env(), day.date(), ok(steps), steps, quality[0]);
      steps.add(step("notify", () -> Notifications.send(notify, Notifications.dayEnd(result))));
      LOG.info("day end of {} {}: {}", day.env(), day.date(), result.ok() ? "ok" : "failed steps");
      archive.recordDay(day, "DayEnd", ok(steps));
      return new DayResult(day.env(), day.date(), ok(steps), steps, quality[0]);
    }
  }

  /** {@code DataQuality}: grade and store. */
  public static final class DataQuality implements DataQualityWorkflow {
    private final DayActivities archive;

    public DataQuality(Profiles p) {
      archive = Workflow.newActivityStub(DayActivities.class, p.archiveProfile());
    }

    @Override
    public QualityReport run(DayInput input) {
      return archive.checkQuality(archive.resolveDay(input));
    }
  }

  static boolean ok(List<DayStep> steps) {
    return steps.stream().noneMatch(s -> s.status() == StepStatus.FAILED);
  }

  /** Runs a step; an activity or child failure becomes a FAILED step, a bad input fails the workflow. */
  static DayStep step(String name, Supplier<DayStep> body) {
    try {
      DayStep s = body.get();
      return new DayStep(name, s.status(), s.detail());
    } catch (ActivityFailure | ChildWorkflowFailure e) {
      return new DayStep(name, StepStatus.FAILED, rootMessage(e));
    }
  }

  static String rootMessage(TemporalFailure e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof ApplicationFailure a ? a.getOriginalMessage() : t.getMessage();
  }
}
