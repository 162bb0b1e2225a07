package io.ssmd.transport;

import java.util.Objects;

/**
 * One captured venue frame on its way to the transport.
 *
 * @param subject full subject, {@code {env}.{feed}.json.{type}.{ticker}} (see {@link Subjects})
 * @param payload the venue's raw frame bytes, unchanged
 * @param msgId unique per captured frame and stable across publish retries; sent as {@code Nats-Msg-Id}
 * @param receivedAtNanos epoch nanoseconds at WebSocket receive; sent as {@code Ssmd-Received-At}
 * @param connId connection epoch id; sent as {@code Ssmd-Conn}
 * @param shard connector shard index; sent as {@code Ssmd-Shard}
 */
public record Envelope(
    String subject, byte[] payload, String msgId, long receivedAtNanos, String connId, int shard) {
  public Envelope {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(msgId, "msgId");
    Objects.requireNonNull(connId, "connId");
  }
}
