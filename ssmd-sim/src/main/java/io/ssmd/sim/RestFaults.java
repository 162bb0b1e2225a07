package io.ssmd.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Pending REST failures: the next {@code n} REST requests are answered with an HTTP error instead
 * of data, so clients can prove they back off on 429 (with {@code Retry-After}) and retry 5xx.
 * Thread-safe; Jetty serves requests concurrently.
 */
public final class RestFaults {

  /**
   * One failure to serve.
   *
   * @param status the HTTP status (429 or 5xx)
   * @param retryAfterSeconds the {@code Retry-After} value sent with a 429
   */
  public record Failure(int status, int retryAfterSeconds) {}

  private final List<Failure> pending = new ArrayList<>();
  private long served;

  /** Queues {@code count} failures with {@code status}; 429 and 500..599 only. */
  public synchronized void add(int count, int status, int retryAfterSeconds) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    if (status != 429 && (status < 500 || status > 599)) {
      throw new IllegalArgumentException("status must be 429 or 5xx, got " + status);
    }
    if (retryAfterSeconds < 0) {
      throw new IllegalArgumentException("retry_after must be >= 0, got " + retryAfterSeconds);
    }
    for (int i = 0; i < count; i++) {
      pending.add(new Failure(status, retryAfterSeconds));
    }
  }

  /** The failure the current request must get, or null to serve it normally. */
  public synchronized Failure next() {
    if (pending.isEmpty()) {
      return null;
    }
    served++;
    return pending.remove(0);
  }

  public synchronized int pending() {
    return pending.size();
  }

  public synchronized long served() {
    return served;
  }
}
