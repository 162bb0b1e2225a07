package io.ssmd.gateway;

/** Outcome of checking a presented API key. */
public sealed interface AuthResult permits AuthResult.Accepted, AuthResult.Refused {

  /** The key is known and not revoked. */
  record Accepted(ApiKey key) implements AuthResult {}

  /**
   * The key is refused.
   *
   * @param reason {@code missing}, {@code invalid} or {@code revoked} ({@link GatewayMetrics.Reasons})
   * @param message for the client; never contains the key
   */
  record Refused(String reason, String message) implements AuthResult {}
}
