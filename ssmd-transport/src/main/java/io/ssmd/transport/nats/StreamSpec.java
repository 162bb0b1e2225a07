package io.ssmd.transport.nats;

import io.ssmd.transport.Subjects;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The desired state of one JetStream stream (DESIGN §3): file storage, limits retention, and the
 * fields below. Invalid values are collected and reported together.
 *
 * @param name stream name, e.g. {@code PROD_KALSHI}
 * @param subjects subjects the stream keeps, e.g. {@code [prod.kalshi.>]}
 * @param maxAge how long messages are kept; {@link Duration#ZERO} keeps them until {@code maxBytes}
 * @param replicas copies in a JetStream cluster (1 on a single server)
 * @param duplicateWindow how long message ids are remembered to discard repeated publishes
 * @param maxBytes size limit of the stream, {@code -1} for none
 */
public record StreamSpec(
    String name, List<String> subjects, Duration maxAge, int replicas, Duration duplicateWindow, long maxBytes) {

  public StreamSpec {
    List<String> problems = new ArrayList<>();
    if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
      problems.add("name must be letters, digits, '_' or '-', e.g. PROD_KALSHI, was " + name);
    }
    if (subjects == null || subjects.isEmpty() || subjects.stream().anyMatch(s -> s == null || s.isBlank())) {
      problems.add("subjects must list at least one subject, e.g. [prod.kalshi.>], was " + subjects);
    }
    if (maxAge == null || maxAge.isNegative()) {
      problems.add("maxAge must be zero (unlimited) or positive, e.g. 72h, was " + maxAge);
    }
    if (replicas < 1 || replicas > 5) {
      problems.add("replicas must be 1..5, was " + replicas);
    }
    if (duplicateWindow == null || duplicateWindow.isNegative() || duplicateWindow.isZero()) {
      problems.add("duplicateWindow must be positive, e.g. 2m, was " + duplicateWindow);
    } else if (maxAge != null && !maxAge.isZero() && duplicateWindow.compareTo(maxAge) > 0) {
      problems.add("duplicateWindow " + duplicateWindow + " must not exceed maxAge " + maxAge);
    }
    if (maxBytes != -1 && maxBytes < 1) {
      problems.add("maxBytes must be -1 (unlimited) or positive, was " + maxBytes);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid stream spec: " + String.join("; ", problems));
    }
    subjects = List.copyOf(subjects);
  }

  /** The stream of one feed in one environment: {@code {ENV}_{FEED}} keeping {@code {env}.{feed}.>}. */
  public static StreamSpec forFeed(
      String env, String feed, Duration maxAge, int replicas, Duration duplicateWindow, long maxBytes) {
    return new StreamSpec(
        Subjects.streamName(env, feed), List.of(Subjects.feedWildcard(env, feed)), maxAge, replicas,
        duplicateWindow, maxBytes);
  }

  /**
   * The security master's stream of an environment: {@code {PREFIX}_SECMASTER} keeping {@code
   * {prefix}.secmaster.>} (change events of every feed, {@code {prefix}.secmaster.changes.{feed}}).
   */
  public static StreamSpec forSecmaster(String prefix, Duration maxAge, int replicas, Duration duplicateWindow, long maxBytes) {
    return new StreamSpec(
        Subjects.secmasterStream(prefix), List.of(Subjects.secmasterWildcard(prefix)), maxAge, replicas, duplicateWindow, maxBytes);
  }

  /** The signal agent's stream of an environment: {@code {PREFIX}_SIGNALS} keeping {@code {prefix}.signals.>}. */
  public static StreamSpec forSignals(String prefix, Duration maxAge, int replicas, Duration duplicateWindow, long maxBytes) {
    return new StreamSpec(
        Subjects.signalsStream(prefix), List.of(Subjects.signalsWildcard(prefix)), maxAge, replicas, duplicateWindow, maxBytes);
  }
}
