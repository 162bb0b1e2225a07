package io.ssmd.config;

import java.net.URI;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;

/**
 * One protocol version of a venue API ({@code versions[]} in a feed file).
 *
 * @param version version name, e.g. {@code v2}
 * @param effectiveFrom date the venue serves this version from, or null
 * @param endpoint WebSocket endpoint ({@code ws://} or {@code wss://})
 * @param restEndpoint REST base URL, or null
 * @param protocol wire protocol; its transport defaults to the endpoint's scheme
 */
public record FeedVersion(
    String version, LocalDate effectiveFrom, URI endpoint, URI restEndpoint, Protocol protocol) {

  public FeedVersion {
    WsScheme scheme = schemeOf(endpoint);
    if (protocol == null) {
      protocol = new Protocol(scheme, null);
    } else if (protocol.transport() == null) {
      protocol = new Protocol(scheme, protocol.message());
    }
  }

  /** The REST endpoint, when the feed has one. */
  public Optional<URI> rest() {
    return Optional.ofNullable(restEndpoint);
  }

  void validate(Problems p) {
    p.require("version", version);
    if (p.require("endpoint", endpoint)) {
      Checks.uri(p, "endpoint", endpoint, "ws", "wss");
    }
    Checks.uri(p, "rest_endpoint", restEndpoint, "http", "https");
    WsScheme scheme = schemeOf(endpoint);
    if (scheme != null && protocol.transport() != null && protocol.transport() != scheme) {
      p.at("protocol").invalid("transport", "is " + protocol.transport().configName() + " but endpoint uses "
          + scheme.configName() + "://; make them agree");
    }
  }

  private static WsScheme schemeOf(URI endpoint) {
    if (endpoint == null || endpoint.getScheme() == null) {
      return null;
    }
    return switch (endpoint.getScheme().toLowerCase(Locale.ROOT)) {
      case "ws" -> WsScheme.WS;
      case "wss" -> WsScheme.WSS;
      default -> null;
    };
  }
}
