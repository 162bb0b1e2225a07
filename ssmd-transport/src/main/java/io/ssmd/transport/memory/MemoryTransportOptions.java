package io.ssmd.transport.memory;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link MemoryTransport}.
 *
 * @param bufferMessages publish buffer; a frame arriving while it is full is dropped ({@code buffer_full})
 * @param retainMessages how many stored messages are kept for subscribers, rounded up to a power of
 *     two; the in-process equivalent of a stream's message limit
 * @param duplicateWindow how long a message id is remembered for de-duplication (JetStream's
 *     duplicate window)
 * @param maxTrackedIds upper bound of remembered ids, so memory stays bounded at any rate; the
 *     oldest ids are forgotten first when it is reached
 */
public record MemoryTransportOptions(
    int bufferMessages, int retainMessages, Duration duplicateWindow, int maxTrackedIds) {

  public MemoryTransportOptions {
    if (bufferMessages < 1) {
      throw new IllegalArgumentException("bufferMessages must be >= 1, was " + bufferMessages);
    }
    if (retainMessages < 1 || retainMessages > (1 << 30)) {
      throw new IllegalArgumentException("retainMessages must be in 1..2^30, was " + retainMessages);
    }
    Objects.requireNonNull(duplicateWindow, "duplicateWindow");
    if (duplicateWindow.isNegative()) {
      throw new IllegalArgumentException("duplicateWindow must not be negative, was " + duplicateWindow);
    }
    if (maxTrackedIds < 0) {
      throw new IllegalArgumentException("maxTrackedIds must be >= 0, was " + maxTrackedIds);
    }
  }

  /** 64k buffer, 256k retained messages, 2 min duplicate window (the JetStream default), 500k ids. */
  public static MemoryTransportOptions defaults() {
    return new MemoryTransportOptions(65_536, 262_144, Duration.ofMinutes(2), 500_000);
  }
}
