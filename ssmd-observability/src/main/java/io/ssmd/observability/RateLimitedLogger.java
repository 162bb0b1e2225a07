package io.ssmd.observability;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Logs hot-path warnings at most once per key per interval (e.g. one line per error type per 10 s)
 * and reports how many were suppressed in between as the key-value {@code suppressed} (when any). Metrics
 * still count every occurrence; this only keeps a flood of identical lines out of the log.
 *
 * <p>Keys must come from a bounded vocabulary (error type, shard), never a ticker or message id.
 * Thread-safe.
 */
public final class RateLimitedLogger {
  /** Default interval between two lines with the same key. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  // A guard against a caller passing unbounded keys: the map is cleared rather than growing forever.
  private static final int MAX_KEYS = 4096;

  private final Logger logger;
  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  private static final class Window {
    long lastLoggedNanos;
    boolean logged;
    final AtomicLong suppressed = new AtomicLong();
  }

  public RateLimitedLogger(Logger logger) {
    this(logger, DEFAULT_INTERVAL, System::nanoTime);
  }

  public RateLimitedLogger(Logger logger, Duration interval) {
    this(logger, interval, System::nanoTime);
  }

  /** With an explicit monotonic clock (nanoseconds), for tests. */
  public RateLimitedLogger(Logger logger, Duration interval, LongSupplier nanoClock) {
    this.logger = Objects.requireNonNull(logger, "logger");
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("rate-limit interval must not be negative, got " + interval);
    }
    this.intervalNanos = interval.toNanos();
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /** WARN unless a line with this key was logged within the interval; returns whether it logged. */
  public boolean warn(String key, String format, Object... args) {
    return log(Level.WARN, key, format, args);
  }

  /** ERROR unless a line with this key was logged within the interval; returns whether it logged. */
  public boolean error(String key, String format, Object... args) {
    return log(Level.ERROR, key, format, args);
  }

  /**
   * Logs at {@code level} unless rate-limited. A trailing {@link Throwable} argument is logged as
   * the exception, as with plain SLF4J.
   */
  public boolean log(Level level, String key, String format, Object... args) {
    if (!logger.isEnabledForLevel(level)) {
      return false;
    }
    if (windows.size() > MAX_KEYS) {
      windows.clear();
    }
    Window window = windows.computeIfAbsent(key, k -> new Window());
    long suppressed;
    synchronized (window) {
      long now = nanoClock.getAsLong();
      if (window.logged && now - window.lastLoggedNanos < intervalNanos) {
        window.suppressed.incrementAndGet();
        return false;
      }
      window.logged = true;
      window.lastLoggedNanos = now;
      suppressed = window.suppressed.getAndSet(0);
    }
    var builder = logger.atLevel(level);
    if (suppressed > 0) {
      builder = builder.addKeyValue("suppressed", suppressed);
    }
    builder.log(format, args);
    return true;
  }
}
