package io.ssmd.worker.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where schedules live: a Temporal cluster's Schedules API ({@link TemporalScheduleStore}) or, on
 * the embedded test server that has none, one {@link ScheduleRunnerWorkflow} per schedule
 * ({@link RunnerScheduleStore}). {@link ScheduleStores#connect} picks one by asking the server.
 */
public interface ScheduleStore {
  /** Memo value marking what the seeder owns; schedules without it are never deleted. */
  String MANAGED_BY = "ssmd schedule seed";

  /** Memo key holding {@link #MANAGED_BY}. */
  String MEMO_MANAGED_BY = "ssmd-managed-by";

  /** What the store is, for the printed plan: {@code temporal schedules} or {@code runner workflows}. */
  String kind();

  /** Every schedule on the server (managed or not). */
  List<ExistingSchedule> list();

  /** One schedule with what the server knows of its fires; empty when there is none with this id. */
  Optional<Status> describe(String id);

  /** Creates {@code schedule}, marked as managed. */
  void create(ScheduleDefinition schedule);

  /** Replaces the spec, action and paused state of the existing schedule with the same id. */
  void update(ScheduleDefinition schedule);

  /** Deletes schedule {@code id}; workflows it already started keep running. */
  void delete(String id);

  /** Runs schedule {@code id}'s action now, paused or not. */
  void trigger(String id);

  /**
   * A schedule and its fires as the server reports them.
   *
   * @param schedule the schedule
   * @param nextFires upcoming fire times the server reports (may be empty when it does not say)
   * @param recentFires recent fire times the server reports (may be empty when it does not say)
   * @param note free text from the server (schedule note, runner run id)
   */
  record Status(ExistingSchedule schedule, List<Instant> nextFires, List<Instant> recentFires, String note) {
    public Status {
      nextFires = List.copyOf(nextFires);
      recentFires = List.copyOf(recentFires);
      note = note == null ? "" : note;
    }
  }
}
