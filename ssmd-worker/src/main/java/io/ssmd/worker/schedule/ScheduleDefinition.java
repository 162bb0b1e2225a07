package io.ssmd.worker.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One schedule of a schedule file, checked: its workflow type exists and its input binds to that
 * workflow's input record without unknown fields.
 *
 * @param id schedule id, unique in its file; also the Temporal schedule id
 * @param workflow workflow type started on each fire
 * @param spec when it fires
 * @param input the workflow's input as JSON, exactly as written (keys sorted); sent as the workflow argument
 * @param paused created (or kept) paused: it does not fire until unpaused, but can be triggered
 */
public record ScheduleDefinition(String id, String workflow, ScheduleSpec spec, ObjectNode input, boolean paused) {
  /** Schedule ids: what Temporal accepts in ids and what reads well in a table. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  public ScheduleDefinition {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(input, "input");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("schedule id \"" + id + "\" must be letters, digits, '.', '_' or '-' (at most 200)");
    }
    input = Json.sorted(input);
  }

  /** The input as compact JSON with sorted keys: the form compared for drift. */
  public String inputJson() {
    return Json.write(input);
  }
}
