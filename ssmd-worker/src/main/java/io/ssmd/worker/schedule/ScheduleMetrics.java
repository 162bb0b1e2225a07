package io.ssmd.worker.schedule;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;

/**
 * Metrics of the seeder. Every action series exists at 0 from start-up, so a dashboard sees "no
 * deletes" rather than "no data".
 */
public final class ScheduleMetrics {
  /** Seeder actions applied, by {@link #LABEL_ACTION}. */
  public static final String SEED_ACTIONS = "ssmd_schedule_seed_actions_total";
  /** Seeds that failed (server unreachable, a create or update refused). */
  public static final String SEED_FAILURES = "ssmd_schedule_seed_failures_total";
  /** Schedules the seeder manages on the server after its last seed. */
  public static final String MANAGED = "ssmd_schedules_managed";

  /** {@code create}, {@code update}, {@code delete}, {@code unchanged}, {@code kept}. */
  public static final String LABEL_ACTION = "action";

  static final List<String> ACTIONS = List.of("create", "update", "delete", "unchanged", "kept");

  private final Counter actions;
  private final Counter failures;
  private final Gauge managed;

  /** Registers the metrics in {@code registry}. */
  public ScheduleMetrics(PrometheusRegistry registry) {
    actions = Counter.builder().name(SEED_ACTIONS).help("Schedule seeder actions applied, by action")
        .labelNames(LABEL_ACTION).register(registry);
    failures = Counter.builder().name(SEED_FAILURES).help("Schedule seeds that failed").register(registry);
    managed = Gauge.builder().name(MANAGED).help("Schedules managed by the seeder after its last seed").register(registry);
    for (String a : ACTIONS) {
      actions.labelValues(a);
    }
    managed.set(0);
  }

  /** Metrics that go nowhere (CLI runs). */
  public static ScheduleMetrics detached() {
    return new ScheduleMetrics(new PrometheusRegistry());
  }

  void applied(SchedulePlan.Action a) {
    actions.labelValues(switch (a) {
      case SchedulePlan.Create c -> "create";
      case SchedulePlan.Update u -> "update";
      case SchedulePlan.Delete d -> "delete";
      case SchedulePlan.Unchanged u -> "unchanged";
      case SchedulePlan.Kept k -> "kept";
    }).inc();
  }

  void seeded(SchedulePlan plan) {
    managed.set(plan.actions().stream().filter(a -> !(a instanceof SchedulePlan.Delete)
        && !(a instanceof SchedulePlan.Kept k && !k.existing().managed())).count());
  }

  void failed() {
    failures.inc();
  }
}
