package io.ssmd.worker.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares the schedules a file wants with those a server has: pure, so every case is a unit test
 * and {@code --dry-run} prints exactly what a real run would do.
 *
 * <p>A schedule is compared on its workflow type, spec, input and paused state. One that exists
 * without the seeder's managed-by marker but whose id is in the file is taken over (an UPDATE naming
 * {@code managed-by}). Schedules not in the file are deleted only with {@code prune}, and only if
 * the seeder manages them: someone else's schedule is never deleted.
 */
public final class ReconcilePlanner {
  private ReconcilePlanner() {}

  /** The plan turning {@code existing} into {@code desired}. */
  public static SchedulePlan plan(List<ScheduleDefinition> desired, List<ExistingSchedule> existing, boolean prune) {
    Map<String, ExistingSchedule> byId = new LinkedHashMap<>();
    for (ExistingSchedule e : existing) {
      byId.put(e.id(), e);
    }
    List<SchedulePlan.Action> actions = new ArrayList<>();
    for (ScheduleDefinition d : desired) {
      ExistingSchedule e = byId.remove(d.id());
      if (e == null) {
        actions.add(new SchedulePlan.Create(d));
        continue;
      }
      List<String> drift = drift(d, e);
      actions.add(drift.isEmpty() ? new SchedulePlan.Unchanged(d) : new SchedulePlan.Update(d, e, drift));
    }
    for (ExistingSchedule e : byId.values()) {
      if (!e.managed()) {
        actions.add(new SchedulePlan.Kept(e, "unmanaged, kept: not created by ssmd schedule seed"));
      } else if (prune) {
        actions.add(new SchedulePlan.Delete(e));
      } else {
        actions.add(new SchedulePlan.Kept(e, "not in the file, kept; --prune deletes it"));
      }
    }
    return new SchedulePlan(actions);
  }

  /** Names of the fields that differ, in a fixed order. */
  static List<String> drift(ScheduleDefinition d, ExistingSchedule e) {
    List<String> fields = new ArrayList<>();
    if (!d.workflow().equals(e.workflow())) {
      fields.add("workflow");
    }
    if (!d.spec().encode().equals(e.spec())) {
      fields.add("spec");
    }
    if (!d.inputJson().equals(e.inputJson())) {
      fields.add("input");
    }
    if (d.paused() != e.paused()) {
      fields.add("paused");
    }
    if (!e.managed()) {
      fields.add("managed-by");
    }
    return fields;
  }
}
