package io.ssmd.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Starting points for new environment files ({@code ssmd env create}): every block present with
 * its defaults and a comment, so an operator edits values instead of looking keys up. The text
 * loads as it is.
 */
public final class EnvironmentTemplates {
  /** Feeds directory used when none is given: {@code exchanges/feeds} under the working directory. */
  public static final Path DEFAULT_FEEDS_DIR = Path.of("exchanges", "feeds");

  private EnvironmentTemplates() {}

  /** A new environment for feed {@code feed}, read from {@link #DEFAULT_FEEDS_DIR}. */
  public static String create(String name, String feed) {
    return create(name, feed, DEFAULT_FEEDS_DIR);
  }

  /** A new environment for feed {@code feed}, read from {@code feedsDir}. */
  public static String create(String name, String feed, Path feedsDir) {
    Problems p = new Problems();
    Checks.name(p, "feed", feed);
    p.throwIfAny();
    return create(name, ConfigLoader.loadFeed(feedsDir.resolve(feed + ".yaml")));
  }

  /** A new environment capturing {@code feed} at its latest version over NATS on localhost. */
  public static String create(String name, FeedConfig feed) {
    Problems p = new Problems();
    if (p.require("name", name)) {
      Checks.name(p, "name", name);
    }
    p.throwIfAny();
    FeedVersion v = feed.latestVersion();
    String stream = (name + "_" + feed.name()).replace('-', '_').toUpperCase(java.util.Locale.ROOT);
    return String.join("\n", List.of(
        "# Environment " + name + ": feed " + feed.name() + " (" + feed.displayName() + ").",
        "# Reference of every key: docs/config.md. Check with: ssmd env validate <this file>",
        "name: " + name,
        "feed: " + feed.name(),
        "# one of: " + String.join(", ", feed.versionNames()),
        "schema: " + v.version(),
        "# endpoint: " + v.endpoint() + "   # override, e.g. ws://127.0.0.1:9101/... for ssmd sim",
        "schedule:",
        "  timezone: " + ConfigKeys.SCHEDULE_TIMEZONE.defaultText(),
        "  day_start: \"" + ConfigKeys.SCHEDULE_DAY_START.defaultText() + "\"",
        "  day_end: \"" + ConfigKeys.SCHEDULE_DAY_END.defaultText() + "\"",
        "  auto_roll: " + ConfigKeys.SCHEDULE_AUTO_ROLL.defaultText(),
        "# Credentials are references, never values. Example for a venue that needs an API key:",
        "# keys:",
        "#   " + feed.name().replace('-', '_') + ":",
        "#     type: api_key",
        "#     required: true",
        "#     fields: [api_key]",
        "#     source: env:" + feed.name().replace('-', '_').toUpperCase(java.util.Locale.ROOT)
            + "   # reads " + feed.name().replace('-', '_').toUpperCase(java.util.Locale.ROOT) + "_API_KEY",
        "transport:",
        "  type: nats",
        "  url: nats://localhost:4222",
        "  subject_prefix: " + name,
        "  jetstream:",
        "    enabled: true",
        "    stream: " + stream,
        "    max_age: " + ConfigKeys.JETSTREAM_MAX_AGE.defaultText(),
        "    replicas: " + ConfigKeys.JETSTREAM_REPLICAS.defaultText(),
        "    duplicate_window: " + ConfigKeys.JETSTREAM_DUPLICATE_WINDOW.defaultText(),
        "    max_bytes: " + ConfigKeys.JETSTREAM_MAX_BYTES.defaultText(),
        "  publish:",
        "    max_in_flight: " + ConfigKeys.PUBLISH_MAX_IN_FLIGHT.defaultText(),
        "    buffer_messages: " + ConfigKeys.PUBLISH_BUFFER_MESSAGES.defaultText(),
        "    ack_timeout: " + ConfigKeys.PUBLISH_ACK_TIMEOUT.defaultText(),
        "storage:",
        "  type: local",
        "  path: " + ConfigKeys.STORAGE_PATH.defaultText(),
        "cache:",
        "  type: none",
        "subscriptions:",
        "  # explicit markets; empty subscribes to no markets (global channels only), not to every market",
        "  markets: []",
        "  # venue channel names; empty means the venue's default channels",
        "  channels: []",
        "  shard:",
        "    index: 0",
        "    count: 1",
        "  # follow the security master: subscribe markets that open, drop those that close, while running",
        "  follow_secmaster: false",
        ""));
  }
}
