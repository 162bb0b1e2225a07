package io.ssmd.secmaster;

/** A blocking token bucket: {@link #acquire()} waits until a token is available. Thread-safe. */
final class TokenBucket {
  private final double ratePerNano;
  private final double capacity;
  private double tokens;
  private long last;

  TokenBucket(double perSecond, int burst) {
    this.ratePerNano = perSecond / 1e9;
    this.capacity = burst;
    this.tokens = burst;
    this.last = System.nanoTime();
  }

  void acquire() throws InterruptedException {
    while (true) {
      long waitNanos;
      synchronized (this) {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * ratePerNano);
        last = now;
        if (tokens >= 1) {
          tokens -= 1;
          return;
        }
        waitNanos = (long) Math.ceil((1 - tokens) / ratePerNano);
      }
      Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
    }
  }
}
