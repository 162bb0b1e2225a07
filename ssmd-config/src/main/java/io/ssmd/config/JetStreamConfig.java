package io.ssmd.config;

import java.time.Duration;

/**
 * JetStream stream settings ({@code transport.jetstream}).
 *
 * @param enabled publish to a stream with acknowledgements
 * @param stream stream name, or null for the default {@code {PREFIX}_{FEED}} (see {@link
 *     EnvironmentConfig#streamName()})
 * @param maxAge message retention
 * @param replicas stream replicas, 1..5
 * @param duplicateWindow de-duplication window for {@code Nats-Msg-Id}
 * @param maxBytes size limit, -1 for none
 */
public record JetStreamConfig(
    Boolean enabled, String stream, Duration maxAge, Integer replicas, Duration duplicateWindow, Long maxBytes) {
  /** All defaults. */
  public static final JetStreamConfig DEFAULTS = new JetStreamConfig(null, null, null, null, null, null);

  public JetStreamConfig {
    enabled = ConfigKeys.JETSTREAM_ENABLED.orDefault(enabled);
    maxAge = ConfigKeys.JETSTREAM_MAX_AGE.orDefault(maxAge);
    replicas = ConfigKeys.JETSTREAM_REPLICAS.orDefault(replicas);
    duplicateWindow = ConfigKeys.JETSTREAM_DUPLICATE_WINDOW.orDefault(duplicateWindow);
    maxBytes = ConfigKeys.JETSTREAM_MAX_BYTES.orDefault(maxBytes);
  }

  void validate(Problems p) {
    Checks.token(p, "stream", stream);
    Checks.positive(p, "max_age", maxAge);
    if (replicas < 1 || replicas > 5) {
      p.invalid("replicas", "expected an integer from 1 to 5, got " + replicas);
    }
    Checks.positive(p, "duplicate_window", duplicateWindow);
    if (duplicateWindow.compareTo(maxAge) > 0) {
      // JetStream rejects a stream whose duplicate window exceeds its max age
      p.invalid("duplicate_window", "must not exceed max_age (" + Durations.format(maxAge) + ")");
    }
    if (maxBytes != -1 && maxBytes <= 0) {
      p.invalid("max_bytes", "expected -1 (unlimited) or an integer > 0, got " + maxBytes);
    }
  }
}
