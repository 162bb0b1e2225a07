package io.ssmd.connector;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Jittered exponential backoff: attempt {@code n} waits a uniformly random time in {@code [d/2, d]}
 * with {@code d = min(max, min * 2^n)}. The jitter spreads the reconnects of many shards and pods
 * after a venue outage so they do not hit the venue in lockstep.
 */
final class Backoff {
  private final long minNanos;
  private final long maxNanos;

  Backoff(Duration min, Duration max) {
    this.minNanos = min.toNanos();
    this.maxNanos = max.toNanos();
  }

  /** Delay before retry number {@code attempt} (0-based). */
  Duration delay(int attempt) {
    long ceiling = minNanos;
    for (int i = 0; i < attempt && ceiling < maxNanos; i++) {
      ceiling = ceiling > maxNanos / 2 ? maxNanos : ceiling * 2;
    }
    ceiling = Math.min(ceiling, maxNanos);
    long half = ceiling / 2;
    return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
  }
}
