package io.ssmd.config;

/**
 * Wire protocol of a feed version ({@code versions[].protocol}).
 *
 * @param transport {@code ws} or {@code wss}; defaults to the endpoint's scheme
 * @param message frame encoding; defaults to {@code json}
 */
public record Protocol(WsScheme transport, MessageFormat message) {
  public Protocol {
    message = ConfigKeys.PROTOCOL_MESSAGE.orDefault(message);
  }
}
