package io.ssmd.connector;

import java.time.Duration;
import java.util.Objects;

/**
 * Client keep-alive of a venue.
 *
 * @param interval how often the client sends a ping
 * @param textPing a text message to send as the ping (Polymarket {@code PING}; Kraken's JSON
 *     {@code {"method":"ping"}}), or {@code null} to send WebSocket ping frames (Kalshi). Replies
 *     to a text ping are routed by the venue as {@link Routed.Control} with kind {@code pong}.
 */
public record KeepAlive(Duration interval, String textPing) {
  public KeepAlive {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("keep-alive interval must be positive, got " + interval);
    }
  }

  public static KeepAlive frames(Duration interval) {
    return new KeepAlive(interval, null);
  }

  public static KeepAlive text(Duration interval, String ping) {
    return new KeepAlive(interval, Objects.requireNonNull(ping, "ping"));
  }
}
