package io.ssmd.worker.workflows;

/**
 * Workflow ids of the day workflows: one per environment, day and type, so a second {@code ssmd day
 * start} of the same day attaches to the running one and {@code ssmd day status} finds them without
 * a visibility store (the embedded server has none).
 */
public final class WorkflowIds {
  private WorkflowIds() {}

  /** {@code ssmd-day-start-kalshi-prod-2026-11-22} for ({@code DayStart}, {@code kalshi-prod}, {@code 2026-11-22}). */
  public static String day(String type, String env, String date) {
    return "ssmd-" + kebab(type) + "-" + env + "-" + date;
  }

  /** {@code DayStart} → {@code day-start}. */
  static String kebab(String type) {
    return type.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }
}
