package io.ssmd.config;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An environment file, {@code exchanges/environments/<env>.yaml}: one feed captured into one
 * transport, with its keys, storage, cache and subscriptions. Valid once constructed: the compact
 * constructor checks every block and reports all problems at once in a {@link ConfigException}.
 * Checks against the feed (the {@code schema} is one of its versions) need the feed file and are
 * made by {@link ConfigLoader#loadEnvironment}.
 *
 * <p>A new block is a new component here (null means absent, replaced by its defaults), its
 * declarations in {@link ConfigKeys}, and a line in {@code validate}.
 *
 * @param name environment name, {@code [a-z0-9-]+}
 * @param feed feed name
 * @param schema version of the feed
 * @param endpoint WebSocket endpoint override, or null for the feed version's
 * @param restEndpoint REST endpoint override, or null for the feed version's
 * @param schedule trading-day boundaries
 * @param keys credentials by name, in file order
 * @param transport where frames are published
 * @param storage where archives are written
 * @param cache security-master cache
 * @param subscriptions markets and channels
 */
public record EnvironmentConfig(
    String name,
    String feed,
    String schema,
    URI endpoint,
    URI restEndpoint,
    ScheduleConfig schedule,
    Map<String, KeySpec> keys,
    TransportConfig transport,
    StorageConfig storage,
    CacheConfig cache,
    SubscriptionsConfig subscriptions) {

  public EnvironmentConfig {
    schedule = schedule != null ? schedule : ScheduleConfig.DEFAULTS;
    keys = Checks.map(keys);
    storage = storage != null ? storage : StorageConfig.DEFAULTS;
    cache = cache != null ? cache : CacheConfig.DEFAULTS;
    subscriptions = subscriptions != null ? subscriptions : SubscriptionsConfig.DEFAULTS;
    Problems p = new Problems();
    if (p.require("name", name)) {
      Checks.name(p, "name", name);
    }
    if (p.require("feed", feed)) {
      Checks.name(p, "feed", feed);
    }
    p.require("schema", schema);
    Checks.uri(p, "endpoint", endpoint, "ws", "wss");
    Checks.uri(p, "rest_endpoint", restEndpoint, "http", "https");
    schedule.validate(p.at("schedule"));
    Problems keyProblems = p.at("keys");
    keys.forEach((keyName, spec) -> {
      if (!keyName.matches("[a-z0-9_-]+")) {
        keyProblems.invalid(keyName, "expected a key name of [a-z0-9_-]+");
      }
      if (spec == null) {
        keyProblems.invalid(keyName, "expected a mapping with type, fields and source");
      } else {
        spec.validate(keyProblems.at(keyName));
      }
    });
    if (p.require("transport", transport)) {
      transport.validate(p.at("transport"));
    }
    storage.validate(p.at("storage"));
    cache.validate(p.at("cache"));
    subscriptions.validate(p.at("subscriptions"));
    p.throwIfAny();
  }

  /** First token of every subject: {@code transport.subject_prefix}, else the environment name. */
  public String subjectPrefix() {
    return transport.subjectPrefix() != null ? transport.subjectPrefix() : name;
  }

  /** JetStream stream: {@code transport.jetstream.stream}, else {@code {PREFIX}_{FEED}} upper case with '-' as '_'. */
  public String streamName() {
    String configured = transport.jetstream().stream();
    return configured != null ? configured : (subjectPrefix() + "_" + feed).replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** The key named {@code keyName}. */
  public Optional<KeySpec> key(String keyName) {
    return Optional.ofNullable(keys.get(keyName));
  }
}
