package io.ssmd.worker.schedule;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What the seeder will do, one action per schedule id, in file order then the server's extra ids.
 *
 * @param actions every schedule's action
 */
public record SchedulePlan(List<Action> actions) {
  public SchedulePlan {
    actions = List.copyOf(actions);
  }

  /** One schedule's action. */
  public sealed interface Action {
    /** Schedule id. */
    String id();

    /** One line for the printed plan. */
    String describe();
  }

  /** In the file, not on the server. */
  public record Create(ScheduleDefinition desired) implements Action {
    @Override
    public String id() {
      return desired.id();
    }

    @Override
    public String describe() {
      return "CREATE    " + desired.id() + "  " + desired.workflow() + " " + desired.spec().encode() + (desired.paused() ? " (paused)" : "");
    }
  }

  /** On the server with different fields; {@code fields} names them (workflow, spec, input, paused, managed-by). */
  public record Update(ScheduleDefinition desired, ExistingSchedule existing, List<String> fields) implements Action {
    public Update {
      fields = List.copyOf(fields);
    }

    @Override
    public String id() {
      return desired.id();
    }

    @Override
    public String describe() {
      return "UPDATE    " + desired.id() + "  " + fields.stream().map(f -> f + ": " + before(f) + " -> " + after(f))
          .collect(Collectors.joining("; "));
    }

    private String before(String field) {
      return switch (field) {
        case "workflow" -> existing.workflow();
        case "spec" -> existing.spec();
        case "input" -> existing.inputJson();
        case "paused" -> String.valueOf(existing.paused());
        default -> existing.managed() ? "ssmd" : "unmanaged";
      };
    }

    private String after(String field) {
      return switch (field) {
        case "workflow" -> desired.workflow();
        case "spec" -> desired.spec().encode();
        case "input" -> desired.inputJson();
        case "paused" -> String.valueOf(desired.paused());
        default -> "ssmd";
      };
    }
  }

  /** Managed by the seeder, no longer in the file, and {@code --prune} was given. */
  public record Delete(ExistingSchedule existing) implements Action {
    @Override
    public String id() {
      return existing.id();
    }

    @Override
    public String describe() {
      return "DELETE    " + existing.id() + "  (not in the file; --prune)";
    }
  }

  /** The server's schedule equals the file's. */
  public record Unchanged(ScheduleDefinition desired) implements Action {
    @Override
    public String id() {
      return desired.id();
    }

    @Override
    public String describe() {
      return "UNCHANGED " + desired.id();
    }
  }

  /** On the server, not in the file, and left alone; {@code reason} says why. */
  public record Kept(ExistingSchedule existing, String reason) implements Action {
    @Override
    public String id() {
      return existing.id();
    }

    @Override
    public String describe() {
      return "KEPT      " + existing.id() + "  (" + reason + ")";
    }
  }

  /** True when applying the plan changes nothing. */
  public boolean isNoop() {
    return actions.stream().allMatch(a -> a instanceof Unchanged || a instanceof Kept);
  }

  /** The plan, one line per action. */
  public String render() {
    return actions.stream().map(Action::describe).collect(Collectors.joining("\n"));
  }
}
