package io.ssmd.worker.schedule;

import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a store with a schedule file: plans with {@link ReconcilePlanner}, then applies the
 * plan action by action. Running it again right after changes nothing (every action UNCHANGED), so
 * it is safe at every start-up and in every deploy.
 *
 * <p>Embedding (what {@code ssmd up} and the worker do after their worker has started, with {@link
 * ScheduleRunnerWorkflowImpl} registered on it):
 *
 * <pre>{@code
 * ScheduleSeeder.seedFile(runtime.client(), runtime.taskQueue(), Path.of("exchanges/schedules/default.yaml"),
 *     true, new ScheduleMetrics(registry));
 * }</pre>
 */
public final class ScheduleSeeder {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduleSeeder.class);

  private final ScheduleStore store;
  private final ScheduleMetrics metrics;

  /** A seeder of {@code store} without metrics. */
  public ScheduleSeeder(ScheduleStore store) {
    this(store, ScheduleMetrics.detached());
  }

  /** A seeder of {@code store} counting into {@code metrics}. */
  public ScheduleSeeder(ScheduleStore store, ScheduleMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  /**
   * Loads {@code file} (inputs checked against the worker's workflows), connects to the Schedules
   * API or runner workflows, and reconciles; logs the plan.
   *
   * @throws io.ssmd.config.ConfigException when the file is invalid
   */
  public static SchedulePlan seedFile(WorkflowClient client, String taskQueue, Path file, boolean prune, ScheduleMetrics metrics) {
    List<ScheduleDefinition> desired = ScheduleFile.load(file, InputTypes.catalog());
    ScheduleStore store;
    try {
      store = ScheduleStores.connect(client, taskQueue);
    } catch (RuntimeException e) {
      metrics.failed();
      throw e;
    }
    SchedulePlan plan = new ScheduleSeeder(store, metrics).seed(desired, prune);
    LOG.info("schedules from {} on {}: {}", file, store.kind(), plan.render().replace('\n', ';'));
    return plan;
  }

  /** The plan for {@code desired}, without changing anything. */
  public SchedulePlan plan(List<ScheduleDefinition> desired, boolean prune) {
    try {
      List<ExistingSchedule> existing = new ArrayList<>(store.list());
      Set<String> listed = new HashSet<>();
      existing.forEach(e -> listed.add(e.id()));
      for (ScheduleDefinition d : desired) {
        // a cluster lists schedules from its visibility store, which lags a create by a moment;
        // asking for the id itself is consistent, so a re-run right after a seed does not re-create
        if (!listed.contains(d.id())) {
          store.describe(d.id()).ifPresent(s -> existing.add(s.schedule()));
        }
      }
      return ReconcilePlanner.plan(desired, existing, prune);
    } catch (RuntimeException e) {
      metrics.failed();
      throw e;
    }
  }

  /** Applies {@code plan}; returns it. */
  public SchedulePlan apply(SchedulePlan plan) {
    try {
      for (SchedulePlan.Action a : plan.actions()) {
        switch (a) {
          case SchedulePlan.Create c -> store.create(c.desired());
          case SchedulePlan.Update u -> store.update(u.desired());
          case SchedulePlan.Delete d -> store.delete(d.existing().id());
          case SchedulePlan.Unchanged u -> LOG.debug("schedule {} unchanged", u.id());
          case SchedulePlan.Kept k -> LOG.info("schedule {} kept: {}", k.id(), k.reason());
        }
        metrics.applied(a);
      }
    } catch (RuntimeException e) {
      metrics.failed();
      throw e;
    }
    metrics.seeded(plan);
    return plan;
  }

  /** Plans and applies. */
  public SchedulePlan seed(List<ScheduleDefinition> desired, boolean prune) {
    return apply(plan(desired, prune));
  }
}
