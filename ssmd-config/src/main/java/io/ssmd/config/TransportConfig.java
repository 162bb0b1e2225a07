package io.ssmd.config;

import java.net.URI;

/**
 * Where captured frames are published ({@code transport}).
 *
 * @param type {@code nats} or {@code memory}
 * @param url NATS server, required for {@code nats} and rejected for {@code memory}
 * @param subjectPrefix first subject token, or null for the environment name (see {@link
 *     EnvironmentConfig#subjectPrefix()})
 * @param jetstream stream settings
 * @param publish publishing settings
 */
public record TransportConfig(
    TransportType type, URI url, String subjectPrefix, JetStreamConfig jetstream, PublishConfig publish) {

  public TransportConfig {
    jetstream = jetstream != null ? jetstream : JetStreamConfig.DEFAULTS;
    publish = publish != null ? publish : PublishConfig.DEFAULTS;
  }

  void validate(Problems p) {
    if (type == TransportType.NATS) {
      if (url == null) {
        p.missing("url", "required when " + p.path("type") + " is nats");
      }
      Checks.uri(p, "url", url, "nats", "tls");
    } else if (type == TransportType.MEMORY) {
      p.unused("url", url, p.path("type") + " is nats");
    } else {
      p.require("type", type);
    }
    Checks.token(p, "subject_prefix", subjectPrefix);
    jetstream.validate(p.at("jetstream"));
    publish.validate(p.at("publish"));
  }
}
