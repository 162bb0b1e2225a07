package io.ssmd.transport.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Counts dropped messages by reason and logs them at WARN, at most once per interval per reason,
 * with the number dropped since the previous line: a flood of drops must stay visible without
 * flooding the log itself.
 */
public final class DropLog {
  private final Logger log;
  private final String what;
  private final long intervalNanos;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

  private static final class Counter {
    final AtomicLong total = new AtomicLong();
    final AtomicLong sinceLog = new AtomicLong();
    final AtomicLong nextLogAt = new AtomicLong(Long.MIN_VALUE);
  }

  /**
   * @param what names the transport in log lines, e.g. {@code "nats PROD_KALSHI"}
   * @param intervalMillis minimum time between two WARN lines for the same reason
   */
  public DropLog(Logger log, String what, long intervalMillis) {
    this.log = log;
    this.what = what;
    this.intervalNanos = intervalMillis * 1_000_000L;
  }

  /** Counts one drop and logs if the interval for this reason has passed. */
  public void dropped(String subject, String reason) {
    Counter c = counters.computeIfAbsent(reason, r -> new Counter());
    long total = c.total.incrementAndGet();
    c.sinceLog.incrementAndGet();
    long now = System.nanoTime();
    long next = c.nextLogAt.get();
    if ((next == Long.MIN_VALUE || now - next >= 0) && c.nextLogAt.compareAndSet(next, now + intervalNanos)) {
      long n = c.sinceLog.getAndSet(0);
      log.warn("{}: dropped {} message(s), reason {}, last subject {}, {} dropped for this reason in total",
          what, n, reason, subject, total);
    }
  }

  /** Total drops for one reason. */
  public long count(String reason) {
    Counter c = counters.get(reason);
    return c == null ? 0 : c.total.get();
  }

  /** Total drops for all reasons. */
  public long total() {
    return counters.values().stream().mapToLong(c -> c.total.get()).sum();
  }

  /** Drops per reason (a snapshot). */
  public Map<String, Long> byReason() {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((r, c) -> out.put(r, c.total.get()));
    return out;
  }
}
