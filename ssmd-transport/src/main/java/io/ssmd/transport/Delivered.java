package io.ssmd.transport;

import java.util.Map;

/**
 * A message read back from the transport.
 *
 * @param seq stream sequence (JetStream) or a per-transport monotonically increasing number (memory)
 */
public record Delivered(String subject, byte[] payload, Map<String, String> headers, long seq) {}
