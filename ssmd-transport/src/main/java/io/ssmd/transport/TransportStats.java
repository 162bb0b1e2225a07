package io.ssmd.transport;

import java.util.Map;

/**
 * Counters of one transport since it started; exported as metrics by the component that owns it.
 *
 * @param accepted frames accepted by {@link Transport#publish}
 * @param stored frames acknowledged as newly stored
 * @param duplicates frames acknowledged as duplicates of an earlier message id (not stored again)
 * @param retries publish attempts repeated after a failure or timeout
 * @param dropped frames that will never be published, by reason ({@code buffer_full}, {@code closed}, ...)
 * @param pending frames queued or in flight
 */
public record TransportStats(
    long accepted, long stored, long duplicates, long retries, Map<String, Long> dropped, long pending) {
  public TransportStats {
    dropped = Map.copyOf(dropped);
  }

  /** Sum of {@link #dropped()} over all reasons. */
  public long droppedTotal() {
    return dropped.values().stream().mapToLong(Long::longValue).sum();
  }
}
