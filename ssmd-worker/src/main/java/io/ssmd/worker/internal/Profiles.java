package io.ssmd.worker.internal;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Activity timeout profiles (DESIGN §7): long (secmaster, 30 min, heartbeat 2 min), medium
 * (exchange syncs and day steps, 10 min), short (notifications, 30 s). Non-retryable failures are
 * {@code ApplicationFailure}s thrown non-retryable by the activities; everything else is retried
 * as declared here.
 *
 * @param longTimeout start-to-close of the long profile
 * @param longHeartbeat heartbeat timeout of the long profile: an attempt silent for this long is retried
 * @param mediumTimeout start-to-close of the medium profile
 * @param shortTimeout start-to-close of the short profile
 * @param readyTimeout how long DayStart waits for components to be ready
 * @param initialRetry first retry interval
 */
public record Profiles(
    Duration longTimeout, Duration longHeartbeat, Duration mediumTimeout, Duration shortTimeout, Duration readyTimeout, Duration initialRetry) {

  /** The profiles of DESIGN §7. */
  public static Profiles standard(Duration readyTimeout) {
    return new Profiles(Duration.ofMinutes(30), Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofSeconds(30), readyTimeout,
        Duration.ofSeconds(5));
  }

  /** Long: secmaster syncs; heartbeats every page, so a hung attempt is retried after {@link #longHeartbeat}. */
  public ActivityOptions longProfile() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(longTimeout)
        .setHeartbeatTimeout(longHeartbeat)
        .setRetryOptions(retry(5, Duration.ofMinutes(2)))
        .build();
  }

  /** Medium: exchange syncs and the day steps. */
  public ActivityOptions mediumProfile() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(mediumTimeout)
        .setRetryOptions(retry(3, Duration.ofMinutes(1)))
        .build();
  }

  /**
   * Archive steps of DayEnd (verify, upload, export, quality): they read the whole day, which can
   * take longer than the medium profile on a big day, so they get the long timeout; they do not
   * heartbeat (one file or one DuckDB statement can take minutes), so there is no heartbeat timeout.
   */
  public ActivityOptions archiveProfile() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(longTimeout)
        .setRetryOptions(retry(3, Duration.ofMinutes(2)))
        .build();
  }

  /** Short: notifications. */
  public ActivityOptions shortProfile() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(shortTimeout)
        .setRetryOptions(retry(5, Duration.ofSeconds(30)))
        .build();
  }

  /** Waiting for readiness: the activity polls and heartbeats itself, so one attempt is enough. */
  public ActivityOptions readyProfile() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(readyTimeout.plusMinutes(1))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(2).setInitialInterval(initialRetry).build())
        .build();
  }

  private RetryOptions retry(int attempts, Duration maxInterval) {
    return RetryOptions.newBuilder()
        .setInitialInterval(initialRetry)
        .setBackoffCoefficient(2.0)
        .setMaximumInterval(maxInterval)
        .setMaximumAttempts(attempts)
        .build();
  }
}
