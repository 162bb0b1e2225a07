package io.ssmd.worker.schedule;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a store with a schedule file: plans with {@link ReconcilePlanner}, then applies the
 * plan action by action. Running it again right after changes nothing (every action UNCHANGED), so
 * it is safe at every start-up and in every deploy.
 */
public final class ScheduleSeeder {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduleSeeder.class);

  private final ScheduleStore store;

  /** A seeder of {@code store}. */
  public ScheduleSeeder(ScheduleStore store) {
    this.store = store;
  }

  /** The plan for {@code desired}, without changing anything. */
  public SchedulePlan plan(List<ScheduleDefinition> desired, boolean prune) {
    return ReconcilePlanner.plan(desired, store.list(), prune);
  }

  /** Applies {@code plan}; returns it. */
  public SchedulePlan apply(SchedulePlan plan) {
    for (SchedulePlan.Action a : plan.actions()) {
      switch (a) {
        case SchedulePlan.Create c -> store.create(c.desired());
        case SchedulePlan.Update u -> store.update(u.desired());
        case SchedulePlan.Delete d -> store.delete(d.existing().id());
        case SchedulePlan.Unchanged u -> LOG.debug("schedule {} unchanged", u.id());
        case SchedulePlan.Kept k -> LOG.info("schedule {} kept: {}", k.id(), k.reason());
      }
    }
    return plan;
  }

  /** Plans and applies. */
  public SchedulePlan seed(List<ScheduleDefinition> desired, boolean prune) {
    return apply(plan(desired, prune));
  }
}
