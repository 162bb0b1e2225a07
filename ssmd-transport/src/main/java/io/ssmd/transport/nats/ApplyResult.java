package io.ssmd.transport.nats;

import java.util.List;

/**
 * What {@link StreamAdmin#apply} did to one stream, or would do in a dry run.
 *
 * @param stream stream name
 * @param outcome created, updated, unchanged, or failed (nothing was changed)
 * @param changes one line per drifted field, e.g. {@code max_age 24h -> 72h}
 * @param errors why the stream cannot be brought to the spec; empty unless {@code outcome} is FAILED
 * @param dryRun true when nothing was changed on the server on purpose
 */
public record ApplyResult(String stream, Outcome outcome, List<String> changes, List<String> errors, boolean dryRun) {

  /** The kind of result; callers branch on it (exit code, output). */
  public enum Outcome {
    CREATED,
    UPDATED,
    UNCHANGED,
    FAILED
  }

  public ApplyResult {
    changes = List.copyOf(changes);
    errors = List.copyOf(errors);
  }

  /** False when the stream could not be brought to the spec. */
  public boolean ok() {
    return outcome != Outcome.FAILED;
  }

  /** One line for an operator, e.g. {@code stream PROD_KALSHI: would update (max_age 24h -> 72h)}. */
  public String summary() {
    String verb =
        switch (outcome) {
          case CREATED -> dryRun ? "would create" : "created";
          case UPDATED -> dryRun ? "would update" : "updated";
          case UNCHANGED -> "unchanged";
          case FAILED -> "cannot apply";
        };
    StringBuilder sb = new StringBuilder("stream ").append(stream).append(": ").append(verb);
    List<String> detail = outcome == Outcome.FAILED ? errors : changes;
    if (!detail.isEmpty()) {
      sb.append(" (").append(String.join("; ", detail)).append(')');
    }
    return sb.toString();
  }
}
