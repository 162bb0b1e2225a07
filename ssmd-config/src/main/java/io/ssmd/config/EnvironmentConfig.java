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
 * @param archiver the archiver's consumer and files
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
    SubscriptionsConfig subscriptions,
    ArchiverConfig archiver) {

  /** Spool of finished files waiting for upload when {@code storage.type} is s3 and {@code archiver.path} is not set. */
  public static final java.nio.file.Path DEFAULT_S3_SPOOL = java.nio.file.Path.of("./data/spool");

  public EnvironmentConfig {
    schedule = schedule != null ? schedule : ScheduleConfig.DEFAULTS;
    keys = Checks.map(keys);
    storage = storage != null ? storage : StorageConfig.DEFAULTS;
    cache = cache != null ? cache : CacheConfig.DEFAULTS;
    subscriptions = subscriptions != null ? subscriptions : SubscriptionsConfig.DEFAULTS;
    archiver = archiver != null ? archiver : ArchiverConfig.DEFAULTS;
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
    if (storage.type() == StorageType.S3 && storage.credentials() != null) {
      KeySpec creds = keys.get(storage.credentials());
      if (creds == null) {
        p.invalid("storage.credentials", "no key \"" + storage.credentials() + "\" in keys; add one of type s3_credentials"
            + (keys.isEmpty() ? "" : " (keys: " + String.join(", ", keys.keySet()) + ")"));
      } else if (creds.type() != null && creds.type() != KeyType.S3_CREDENTIALS) {
        p.invalid("storage.credentials", "key \"" + storage.credentials() + "\" is of type " + creds.type().configName()
            + "; expected a key of type s3_credentials");
      }
    }
    cache.validate(p.at("cache"));
    subscriptions.validate(p.at("subscriptions"));
    archiver.validate(p.at("archiver"));
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

  /** Durable consumer of the archiver: {@code archiver.consumer}, else {@code ssmd-archiver-{feed}}. */
  public String archiverConsumer() {
    return archiver.consumer() != null ? archiver.consumer() : "ssmd-archiver-" + feed;
  }

  /** Filter subject of the archiver's consumer: {@code archiver.filter}, else {@code {prefix}.{feed}.>}. */
  public String archiverFilter() {
    return archiver.filter() != null ? archiver.filter() : subjectPrefix() + "." + feed + ".>";
  }

  /**
   * Where the archiver writes: {@code archiver.path}, else {@code storage.path} with local storage
   * or {@link #DEFAULT_S3_SPOOL} with s3 (finished files are uploaded from there).
   */
  public java.nio.file.Path archivePath() {
    if (archiver.path() != null) {
      return archiver.path();
    }
    return storage.type() == StorageType.LOCAL ? storage.path() : DEFAULT_S3_SPOOL;
  }

  /** The key named {@code keyName}. */
  public Optional<KeySpec> key(String keyName) {
    return Optional.ofNullable(keys.get(keyName));
  }
}
