package io.ssmd.worker.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecution;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleException;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules on a Temporal cluster's Schedules API. Ownership is the create-time memo {@link
 * #MEMO_MANAGED_BY}; the spec as ssmd wrote it is kept in the schedule's note ({@code ssmd spec:
 * ...}) because the server rewrites cron text into calendar ranges and a memo cannot be updated.
 * A schedule whose note was changed outside ssmd (a pause from the UI replaces it) therefore shows
 * spec drift and the next seed rewrites it, which is the point of schedules as code.
 */
final class TemporalScheduleStore implements ScheduleStore {
  private static final Logger LOG = LoggerFactory.getLogger(TemporalScheduleStore.class);

  /** Prefix of the note holding the spec text. */
  static final String NOTE_PREFIX = "ssmd spec: ";

  private final ScheduleClient schedules;
  private final String taskQueue;

  /**
   * @param schedules a schedule client of the cluster and namespace
   * @param taskQueue task queue the started workflows run on
   */
  TemporalScheduleStore(ScheduleClient schedules, String taskQueue) {
    this.schedules = schedules;
    this.taskQueue = taskQueue;
  }

  @Override
  public String kind() {
    return "temporal schedules";
  }

  @Override
  public List<ExistingSchedule> list() {
    List<String> ids;
    try (var stream = schedules.listSchedules()) {
      ids = stream.map(ScheduleListDescription::getScheduleId).sorted().toList();
    }
    List<ExistingSchedule> out = new ArrayList<>();
    for (String id : ids) {
      describe(id).ifPresent(s -> out.add(s.schedule()));
    }
    return out;
  }

  @Override
  public Optional<Status> describe(String id) {
    ScheduleDescription d;
    try {
      d = schedules.getHandle(id).describe();
    } catch (ScheduleException e) {
      return Optional.empty();
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
    Schedule s = d.getSchedule();
    String workflow = "";
    String input = "{}";
    if (s.getAction() instanceof ScheduleActionStartWorkflow a) {
      workflow = a.getWorkflowType();
      JsonNode arg = a.getArguments() == null || a.getArguments().getSize() == 0 ? null : a.getArguments().get(0, JsonNode.class);
      input = arg == null || arg.isNull() ? "{}" : Json.write(arg);
    }
    String note = s.getState() == null || s.getState().getNote() == null ? "" : s.getState().getNote();
    String spec = note.startsWith(NOTE_PREFIX) ? note.substring(NOTE_PREFIX.length()) : specOf(s.getSpec());
    Object managedBy = d.getMemo(MEMO_MANAGED_BY, String.class);
    ExistingSchedule e = new ExistingSchedule(id, workflow, spec, input,
        s.getState() != null && s.getState().isPaused(), MANAGED_BY.equals(managedBy));
    List<Instant> recent = new ArrayList<>();
    for (ScheduleActionResult r : d.getInfo().getRecentActions()) {
      recent.add(r.getScheduledAt());
    }
    List<Instant> next = d.getInfo().getNextActionTimes();
    List<ScheduleActionExecution> running = d.getInfo().getRunningActions();
    return Optional.of(new Status(e, next == null ? List.of() : next, recent,
        note + (running.isEmpty() ? "" : " (" + running.size() + " running)")));
  }

  /** Spec text for a schedule ssmd did not annotate: an interval reads back exactly, anything else is only named. */
  private static String specOf(io.temporal.client.schedules.ScheduleSpec spec) {
    if (spec != null && spec.getIntervals() != null && spec.getIntervals().size() == 1
        && (spec.getCalendars() == null || spec.getCalendars().isEmpty())
        && (spec.getCronExpressions() == null || spec.getCronExpressions().isEmpty())) {
      ScheduleIntervalSpec i = spec.getIntervals().get(0);
      try {
        return new ScheduleSpec.Every(i.getEvery(), i.getOffset() == null ? java.time.Duration.ZERO : i.getOffset()).encode();
      } catch (IllegalArgumentException e) {
        return "interval " + i.getEvery();
      }
    }
    return "(set outside ssmd)";
  }

  /** The Schedules API form of a schedule whose workflows run on {@code taskQueue}. */
  static Schedule toSchedule(ScheduleDefinition d, String taskQueue) {
    return Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(d.workflow())
            .setArguments(d.input())
            // the server appends the fire time to this id, one workflow per fire
            .setOptions(WorkflowOptions.newBuilder().setWorkflowId(d.id()).setTaskQueue(taskQueue).build())
            .build())
        .setSpec(toSpec(d.spec()))
        .setState(ScheduleState.newBuilder().setPaused(d.paused()).setNote(NOTE_PREFIX + d.spec().encode()).build())
        .build();
  }

  /** The Schedules API spec of {@code spec}; a daily time becomes a cron in its zone. */
  static io.temporal.client.schedules.ScheduleSpec toSpec(ScheduleSpec spec) {
    return switch (spec) {
      case ScheduleSpec.Every e -> io.temporal.client.schedules.ScheduleSpec.newBuilder()
          .setIntervals(List.of(new ScheduleIntervalSpec(e.interval(), e.offset()))).build();
      case ScheduleSpec.Cron c -> io.temporal.client.schedules.ScheduleSpec.newBuilder()
          .setCronExpressions(List.of(c.expression().text())).setTimeZoneName(c.zone().getId()).build();
      case ScheduleSpec.Daily d -> io.temporal.client.schedules.ScheduleSpec.newBuilder()
          .setCronExpressions(List.of(d.time().getMinute() + " " + d.time().getHour() + " * * *"))
          .setTimeZoneName(d.zone().getId()).build();
    };
  }

  @Override
  public void create(ScheduleDefinition d) {
    schedules.createSchedule(d.id(), toSchedule(d, taskQueue), ScheduleOptions.newBuilder()
        .setMemo(Map.of(MEMO_MANAGED_BY, MANAGED_BY))
        .build());
    LOG.info("schedule {} created ({} {})", d.id(), d.workflow(), d.spec().encode());
  }

  @Override
  public void update(ScheduleDefinition d) {
    Schedule desired = toSchedule(d, taskQueue);
    schedules.getHandle(d.id()).update(in -> new ScheduleUpdate(Schedule.newBuilder(desired)
        // keep the server's policies (overlap, catch-up window) as they are
        .setPolicy(in.getDescription().getSchedule().getPolicy())
        .build()));
    LOG.info("schedule {} updated ({} {})", d.id(), d.workflow(), d.spec().encode());
  }

  @Override
  public void delete(String id) {
    ScheduleHandle h = schedules.getHandle(id);
    h.delete();
    LOG.info("schedule {} deleted", id);
  }

  @Override
  public void trigger(String id) {
    if (describe(id).isEmpty()) {
      throw new IllegalStateException("no schedule \"" + id + "\" on the server: run ssmd schedule seed first");
    }
    schedules.getHandle(id).trigger();
  }
}
