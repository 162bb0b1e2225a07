package io.ssmd.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * An environment together with its feed and the selected feed version: what a component needs to
 * run, with every override and default already applied.
 *
 * @param environment the environment file
 * @param feed the feed file the environment names
 * @param version the feed version selected by {@code schema}
 * @param environmentFile where the environment was read from
 * @param feedFile where the feed was read from
 */
public record ResolvedEnvironment(
    EnvironmentConfig environment, FeedConfig feed, FeedVersion version, Path environmentFile, Path feedFile) {

  public ResolvedEnvironment {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(feed, "feed");
    Objects.requireNonNull(version, "version");
    if (!feed.versions().contains(version)) {
      throw new IllegalArgumentException("version " + version.version() + " is not a version of feed " + feed.name());
    }
  }

  /** Environment name. */
  public String name() {
    return environment.name();
  }

  /** Feed name. */
  public String feedName() {
    return feed.name();
  }

  /** WebSocket endpoint: the environment's override, else the feed version's. */
  public URI endpoint() {
    return environment.endpoint() != null ? environment.endpoint() : version.endpoint();
  }

  /** REST endpoint: the environment's override, else the feed version's, if any. */
  public Optional<URI> restEndpoint() {
    return environment.restEndpoint() != null ? Optional.of(environment.restEndpoint()) : version.rest();
  }

  /** First token of every subject. */
  public String subjectPrefix() {
    return environment.subjectPrefix();
  }

  /** JetStream stream name. */
  public String streamName() {
    return environment.streamName();
  }

  /** The feed's connection limits. */
  public FeedLimits limits() {
    return feed.limits();
  }
}
