package io.ssmd.config;

import java.time.Duration;

/**
 * Asynchronous publishing ({@code transport.publish}).
 *
 * @param maxInFlight publishes awaiting acknowledgement at once
 * @param bufferMessages bounded buffer of messages waiting to be published
 * @param ackTimeout a publish not acknowledged within this time is retried
 */
public record PublishConfig(Integer maxInFlight, Integer bufferMessages, Duration ackTimeout) {
  /** All defaults. */
  public static final PublishConfig DEFAULTS = new PublishConfig(null, null, null);

  public PublishConfig {
    maxInFlight = ConfigKeys.PUBLISH_MAX_IN_FLIGHT.orDefault(maxInFlight);
    bufferMessages = ConfigKeys.PUBLISH_BUFFER_MESSAGES.orDefault(bufferMessages);
    ackTimeout = ConfigKeys.PUBLISH_ACK_TIMEOUT.orDefault(ackTimeout);
  }

  void validate(Problems p) {
    Checks.positive(p, "max_in_flight", maxInFlight);
    Checks.positive(p, "buffer_messages", bufferMessages);
    if (maxInFlight > 0 && bufferMessages > 0 && bufferMessages < maxInFlight) {
      p.invalid("buffer_messages", "must be at least max_in_flight (" + maxInFlight + ")");
    }
    Checks.positive(p, "ack_timeout", ackTimeout);
  }
}
