package io.ssmd.connector;

import java.util.List;
import java.util.Objects;

/** What a venue made of one received frame (or one element of a JSON-array frame). */
public sealed interface Routed permits Routed.Publish, Routed.Control, Routed.Rejected {

  /**
   * Publish on {@code {env}.{feed}.json.{type}.{ticker}}.
   *
   * @param type one of {@code trade, ticker, orderbook, lifecycle, event_lifecycle}
   * @param ticker the raw venue ticker (sanitised by the base when building the subject)
   * @param payload the raw bytes to publish: the frame unchanged, or the exact bytes of one element of an array frame
   */
  record Publish(String type, String ticker, byte[] payload) implements Routed {
    public Publish {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(ticker, "ticker");
      Objects.requireNonNull(payload, "payload");
    }
  }

  /**
   * Not published: acks, heartbeats, status, pongs. {@code kind} is a small fixed vocabulary (e.g.
   * {@code subscribed, ok, heartbeat, status, pong, ack}); {@code pong} refreshes the pong watchdog.
   */
  record Control(String kind) implements Routed {}

  /**
   * Counted in {@code ssmd_connector_errors_total{feed,error_type}} and logged (rate-limited).
   *
   * @param errorType bounded vocabulary: {@code malformed, unknown_type, unroutable, venue_error, oversize}
   * @param detail human-readable reason, never containing secrets
   */
  record Rejected(String errorType, String detail) implements Routed {}

  Control PONG = new Control("pong");

  static List<Routed> publish(String type, String ticker, byte[] payload) {
    return List.of(new Publish(type, ticker, payload));
  }

  static List<Routed> control(String kind) {
    return List.of(new Control(kind));
  }

  static List<Routed> rejected(String errorType, String detail) {
    return List.of(new Rejected(errorType, detail));
  }
}
