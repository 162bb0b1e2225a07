package io.ssmd.gateway;

/**
 * One message queued for a client.
 *
 * @param type metric label ({@link GatewayMetrics#SENT_TYPES})
 * @param text the JSON text frame
 * @param seq transport sequence of market messages, 0 for control messages
 * @param receivedAtNanos {@code Ssmd-Received-At} of market messages (latency measurement), 0 otherwise
 */
record Out(String type, String text, long seq, long receivedAtNanos) {
  static Out control(String text) {
    return new Out("control", text, 0, 0);
  }
}
