package io.ssmd.config;

import static io.ssmd.config.ConfigKey.Scope.ENVIRONMENT;
import static io.ssmd.config.ConfigKey.Scope.FEED;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every key of the feed and environment files, in file order. The single source for defaults
 * (records call {@link ConfigKey#orDefault}) and for {@code docs/config.md} ({@link
 * ConfigReference}). A new block is added here, as a record component, and in its parent's
 * {@code validate}; a test fails when a record component has no declaration or the reverse.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  // ---- feed file -------------------------------------------------------------------------
  public static final ConfigKey<String> FEED_NAME = required(FEED, "name", "string",
      "Feed name, `[a-z0-9-]+`; environments refer to the feed by this name and the file is `exchanges/feeds/<name>.yaml`.");
  public static final ConfigKey<String> FEED_DISPLAY_NAME = computed(FEED, "display_name", "string", "the feed name",
      "Human-readable name for listings.");
  public static final ConfigKey<FeedType> FEED_TYPE = required(FEED, "feed_type", "`websocket`",
      "How the venue delivers data; only `websocket` is supported.");
  public static final ConfigKey<List<FeedVersion>> FEED_VERSIONS = required(FEED, "versions", "list",
      "Protocol versions of the venue API, at least one; an environment selects one with `schema`.");
  public static final ConfigKey<String> VERSION = required(FEED, "versions[].version", "string",
      "Version name, unique within the feed (e.g. `v2`).");
  public static final ConfigKey<java.time.LocalDate> VERSION_EFFECTIVE_FROM = optional(FEED,
      "versions[].effective_from", "date `YYYY-MM-DD`", "Date from which the venue serves this version; informational and used to pick the newest version for templates.");
  public static final ConfigKey<URI> VERSION_ENDPOINT = required(FEED, "versions[].endpoint", "URI `ws://` or `wss://`",
      "WebSocket endpoint of the venue; an environment may override it (e.g. to point at `ssmd sim`).");
  public static final ConfigKey<URI> VERSION_REST_ENDPOINT = optional(FEED, "versions[].rest_endpoint",
      "URI `http://` or `https://`", "REST base URL of the venue (security master, snapshots).");
  public static final ConfigKey<Protocol> VERSION_PROTOCOL = block(FEED, "versions[].protocol",
      "Wire protocol of the version.");
  public static final ConfigKey<WsScheme> PROTOCOL_TRANSPORT = computed(FEED, "versions[].protocol.transport",
      "`ws` or `wss`", "the endpoint's scheme", "WebSocket transport; must agree with the endpoint's scheme.");
  public static final ConfigKey<MessageFormat> PROTOCOL_MESSAGE = defaulted(FEED, "versions[].protocol.message",
      "`json`", MessageFormat.JSON, "json", "Encoding of the venue's frames.");
  public static final ConfigKey<FeedLimits> FEED_LIMITS = block(FEED, "limits",
      "Per-venue connection limits; every field is optional.");
  public static final ConfigKey<Integer> MARKETS_PER_CONNECTION = defaulted(FEED, "limits.markets_per_connection",
      "integer > 0", 200, "200", "Markets subscribed on one WebSocket connection; more markets open more connections (shards within a pod).");
  public static final ConfigKey<Duration> CLIENT_PING_INTERVAL = duration(FEED, "limits.client_ping_interval",
      Duration.ofSeconds(10), "Interval between client pings on an open connection.");
  public static final ConfigKey<Duration> PONG_TIMEOUT = duration(FEED, "limits.pong_timeout",
      Duration.ofSeconds(30), "A connection without a pong for this long is closed and reopened.");
  public static final ConfigKey<Duration> NO_DATA_TIMEOUT = duration(FEED, "limits.no_data_timeout",
      Duration.ofSeconds(120), "A connection without any data frame for this long is considered stale and reopened.");
  public static final ConfigKey<Integer> MAX_FRAME_BYTES = defaulted(FEED, "limits.max_frame_bytes",
      "integer > 0", 1_048_576, "1048576", "Largest WebSocket frame accepted, in bytes.");
  public static final ConfigKey<Integer> SUBSCRIBE_BATCH = defaulted(FEED, "limits.subscribe_batch",
      "integer > 0", 100, "100", "Markets per subscribe command.");
  public static final ConfigKey<Duration> SUBSCRIBE_PACE = duration(FEED, "limits.subscribe_pace",
      Duration.ofMillis(100), "Pause between subscribe commands, to stay under the venue's rate limits.");

  // ---- environment file ------------------------------------------------------------------
  public static final ConfigKey<String> ENV_NAME = required(ENVIRONMENT, "name", "string",
      "Environment name, `[a-z0-9-]+`; the default subject prefix.");
  public static final ConfigKey<String> ENV_FEED = required(ENVIRONMENT, "feed", "string",
      "Feed captured by this environment; resolved to `exchanges/feeds/<feed>.yaml` next to the environments directory.");
  public static final ConfigKey<String> ENV_SCHEMA = required(ENVIRONMENT, "schema", "string",
      "Version of the feed to use; must be one of the feed's `versions[].version`.");
  public static final ConfigKey<URI> ENV_ENDPOINT = computed(ENVIRONMENT, "endpoint", "URI `ws://` or `wss://`",
      "the feed version's endpoint", "Overrides the feed version's WebSocket endpoint (e.g. `ssmd sim`).");
  public static final ConfigKey<URI> ENV_REST_ENDPOINT = computed(ENVIRONMENT, "rest_endpoint",
      "URI `http://` or `https://`", "the feed version's rest_endpoint", "Overrides the feed version's REST endpoint.");
  public static final ConfigKey<ScheduleConfig> SCHEDULE = block(ENVIRONMENT, "schedule",
      "Trading-day boundaries used by `ssmd day start|end`.");
  public static final ConfigKey<ZoneId> SCHEDULE_TIMEZONE = defaulted(ENVIRONMENT, "schedule.timezone",
      "time zone id", ZoneId.of("UTC"), "UTC", "Time zone of `day_start` and `day_end` (e.g. `America/New_York`).");
  public static final ConfigKey<LocalTime> SCHEDULE_DAY_START = defaulted(ENVIRONMENT, "schedule.day_start",
      "time `HH:MM`", LocalTime.of(0, 10), "00:10", "Local time the trading day starts.");
  public static final ConfigKey<LocalTime> SCHEDULE_DAY_END = defaulted(ENVIRONMENT, "schedule.day_end",
      "time `HH:MM`", LocalTime.of(23, 55), "23:55", "Local time the trading day ends; must differ from `day_start`.");
  public static final ConfigKey<Boolean> SCHEDULE_AUTO_ROLL = defaulted(ENVIRONMENT, "schedule.auto_roll",
      "boolean", Boolean.TRUE, "true", "Start the next day automatically when the current one ends.");
  public static final ConfigKey<java.util.Map<String, KeySpec>> KEYS = optional(ENVIRONMENT, "keys",
      "mapping name -> key", "Credentials the environment needs, by name; values are references, never secrets.");
  public static final ConfigKey<KeySpec> KEY = block(ENVIRONMENT, "keys.*", "One credential.");
  public static final ConfigKey<KeyType> KEY_TYPE = required(ENVIRONMENT, "keys.*.type",
      "`rsa_api_key`, `api_key` or `s3_credentials`",
      "Kind of credential: `rsa_api_key` (API key id plus RSA private key, Kalshi), `api_key`, or `s3_credentials` (fields exactly `access_key` and `secret_key`, referenced by `storage.credentials`).");
  public static final ConfigKey<Boolean> KEY_REQUIRED = defaulted(ENVIRONMENT, "keys.*.required", "boolean",
      Boolean.TRUE, "true", "When true a missing secret fails start-up; when false the key is skipped.");
  public static final ConfigKey<SecretFields> KEY_FIELDS = required(ENVIRONMENT, "keys.*.fields",
      "list of names, or mapping name -> reference",
      "Secret fields, `[a-z0-9_]+`: a list read through `source`, or a mapping of each field to its own reference (`env:VAR`, `file:/path`, `sealed-secret/<name>[/<entry>]`).");
  public static final ConfigKey<String> KEY_SOURCE = optional(ENVIRONMENT, "keys.*.source", "reference",
      "Where listed fields are read: `env:PREFIX` (variable `PREFIX_<FIELD>`), `file:<dir>` (file `<dir>/<field>`) or `sealed-secret/<name>` (file `$SSMD_SECRETS_DIR/<name>/<field>`, default dir `/var/run/secrets/ssmd`); required when `fields` is a list.");
  public static final ConfigKey<TransportConfig> TRANSPORT = required(ENVIRONMENT, "transport", "mapping",
      "Where captured frames are published.");
  public static final ConfigKey<TransportType> TRANSPORT_TYPE = required(ENVIRONMENT, "transport.type",
      "`nats` or `memory`", "`nats` (JetStream) or `memory` (in-process, `ssmd up`).");
  public static final ConfigKey<URI> TRANSPORT_URL = optional(ENVIRONMENT, "transport.url", "URI `nats://` or `tls://`",
      "NATS server; required when `type` is `nats`.");
  public static final ConfigKey<String> SUBJECT_PREFIX = computed(ENVIRONMENT, "transport.subject_prefix",
      "string `[A-Za-z0-9_-]+`", "the environment name",
      "First token of every subject `{prefix}.{feed}.json.{type}.{ticker}`.");
  public static final ConfigKey<JetStreamConfig> JETSTREAM = block(ENVIRONMENT, "transport.jetstream",
      "JetStream stream settings (`nats` transport).");
  public static final ConfigKey<Boolean> JETSTREAM_ENABLED = defaulted(ENVIRONMENT, "transport.jetstream.enabled",
      "boolean", Boolean.TRUE, "true", "Publish to a JetStream stream (acknowledged, durable) rather than core NATS.");
  public static final ConfigKey<String> JETSTREAM_STREAM = computed(ENVIRONMENT, "transport.jetstream.stream",
      "string `[A-Za-z0-9_-]+`", "`{PREFIX}_{FEED}` upper case, `-` -> `_`", "Stream name, e.g. `PROD_KALSHI`.");
  public static final ConfigKey<Duration> JETSTREAM_MAX_AGE = duration(ENVIRONMENT, "transport.jetstream.max_age",
      Duration.ofHours(72), "Messages older than this are removed from the stream.");
  public static final ConfigKey<Integer> JETSTREAM_REPLICAS = defaulted(ENVIRONMENT, "transport.jetstream.replicas",
      "integer 1..5", 1, "1", "Stream replicas in the NATS cluster.");
  public static final ConfigKey<Duration> JETSTREAM_DUPLICATE_WINDOW = duration(ENVIRONMENT,
      "transport.jetstream.duplicate_window", Duration.ofMinutes(2),
      "Window in which JetStream drops a re-published message with the same `Nats-Msg-Id`.");
  public static final ConfigKey<Long> JETSTREAM_MAX_BYTES = defaulted(ENVIRONMENT, "transport.jetstream.max_bytes",
      "integer, -1 or > 0", -1L, "-1", "Stream size limit in bytes; -1 means unlimited.");
  public static final ConfigKey<PublishConfig> PUBLISH = block(ENVIRONMENT, "transport.publish",
      "Asynchronous publishing.");
  public static final ConfigKey<Integer> PUBLISH_MAX_IN_FLIGHT = defaulted(ENVIRONMENT, "transport.publish.max_in_flight",
      "integer > 0", 4096, "4096", "Publishes awaiting acknowledgement at once.");
  public static final ConfigKey<Integer> PUBLISH_BUFFER_MESSAGES = defaulted(ENVIRONMENT,
      "transport.publish.buffer_messages", "integer >= max_in_flight", 200_000, "200000",
      "Bounded buffer of messages waiting to be published, also while NATS is down; when full, messages are counted as dropped.");
  public static final ConfigKey<Duration> PUBLISH_ACK_TIMEOUT = duration(ENVIRONMENT, "transport.publish.ack_timeout",
      Duration.ofSeconds(5), "A publish not acknowledged within this time is retried.");
  public static final ConfigKey<StorageConfig> STORAGE = block(ENVIRONMENT, "storage",
      "Where archives are written.");
  public static final ConfigKey<StorageType> STORAGE_TYPE = defaulted(ENVIRONMENT, "storage.type", "`local` or `s3`",
      StorageType.LOCAL, "local", "`local` directory or `s3` (any S3-compatible endpoint).");
  public static final ConfigKey<Path> STORAGE_PATH = defaulted(ENVIRONMENT, "storage.path", "path",
      Path.of("./data"), "./data", "Archive root directory; `local` only.");
  public static final ConfigKey<URI> STORAGE_ENDPOINT = optional(ENVIRONMENT, "storage.endpoint",
      "URI `http://` or `https://`", "S3 endpoint; required when `type` is `s3`.");
  public static final ConfigKey<String> STORAGE_REGION = defaulted(ENVIRONMENT, "storage.region", "string",
      "us-east-1", "us-east-1", "S3 region; `s3` only.");
  public static final ConfigKey<Buckets> STORAGE_BUCKETS = block(ENVIRONMENT, "storage.buckets",
      "S3 buckets; `s3` only.");
  public static final ConfigKey<String> BUCKET_RAW = defaulted(ENVIRONMENT, "storage.buckets.raw", "string",
      "ssmd-raw", "ssmd-raw", "Bucket for raw JSONL.gz archives.");
  public static final ConfigKey<String> BUCKET_NORMALIZED = defaulted(ENVIRONMENT, "storage.buckets.normalized",
      "string", "ssmd-normalized", "ssmd-normalized", "Bucket for normalized Parquet files.");
  public static final ConfigKey<String> STORAGE_CREDENTIALS = optional(ENVIRONMENT, "storage.credentials", "key name",
      "Name of the `s3_credentials` key in `keys` used to sign S3 requests; required when `type` is `s3`.");
  public static final ConfigKey<CacheConfig> CACHE = block(ENVIRONMENT, "cache", "Security-master cache.");
  public static final ConfigKey<CacheType> CACHE_TYPE = defaulted(ENVIRONMENT, "cache.type", "`none` or `redis`",
      CacheType.NONE, "none", "`none` or `redis`.");
  public static final ConfigKey<URI> CACHE_URL = optional(ENVIRONMENT, "cache.url", "URI `redis://` or `rediss://`",
      "Redis server; required when `type` is `redis`.");
  public static final ConfigKey<SubscriptionsConfig> SUBSCRIPTIONS = block(ENVIRONMENT, "subscriptions",
      "What the connector subscribes to.");
  public static final ConfigKey<List<String>> SUBSCRIPTION_MARKETS = defaulted(ENVIRONMENT, "subscriptions.markets",
      "list of strings", List.of(), "[]",
      "Explicit markets: tickers, symbols (`BTC/USD`) or asset ids. Empty means no market subscriptions, only the venue's global channels; it never means every market the venue lists.");
  public static final ConfigKey<List<String>> SUBSCRIPTION_CHANNELS = defaulted(ENVIRONMENT, "subscriptions.channels",
      "list of strings", List.of(), "[]", "Venue channel names (e.g. `ticker`, `trade`); empty means the venue's default channels.");
  public static final ConfigKey<ShardConfig> SHARD = block(ENVIRONMENT, "subscriptions.shard",
      "This pod's share of the markets when connectors are scaled out.");
  public static final ConfigKey<Integer> SHARD_INDEX = defaulted(ENVIRONMENT, "subscriptions.shard.index",
      "integer, 0 <= index < count", 0, "0", "This pod's shard.");
  public static final ConfigKey<Integer> SHARD_COUNT = defaulted(ENVIRONMENT, "subscriptions.shard.count",
      "integer > 0", 1, "1", "Number of connector pods sharing the markets.");
  public static final ConfigKey<Boolean> SUBSCRIPTION_FOLLOW_SECMASTER = defaulted(ENVIRONMENT, "subscriptions.follow_secmaster",
      "boolean", Boolean.FALSE, "false",
      "Follow the security master's change events (`{prefix}.secmaster.changes.{feed}`) while running: a market that opens (or is added open) is subscribed, one that closes, settles or is removed is unsubscribed; other changes (renames) do nothing. The initial set is still `markets`. With `nats` the stream `{PREFIX}_SECMASTER` must exist (`ssmd env apply`).");
  public static final ConfigKey<List<String>> SUBSCRIPTION_FOLLOW_PREFIXES = defaulted(ENVIRONMENT, "subscriptions.follow_prefixes",
      "list of strings", List.of(), "[]",
      "Scope of `follow_secmaster`: a change applies when the market's ticker or its event ticker starts with one of these (e.g. a Kalshi series `KXBTC`; for Polymarket the market slug or condition id, asset ids being opaque); empty means every market of the feed.");
  public static final ConfigKey<ArchiverConfig> ARCHIVER = block(ENVIRONMENT, "archiver",
      "The archiver (`ssmd run archiver`): its durable consumer and its files.");
  public static final ConfigKey<String> ARCHIVER_CONSUMER = computed(ENVIRONMENT, "archiver.consumer",
      "string `[A-Za-z0-9_-]+`", "`ssmd-archiver-{feed}`", "Durable JetStream consumer name; created when missing.");
  public static final ConfigKey<String> ARCHIVER_FILTER = computed(ENVIRONMENT, "archiver.filter", "subject filter",
      "`{prefix}.{feed}.>`", "Consumer filter subject; must cover every subject of the stream (checked at start), so the archive is the whole stream.");
  public static final ConfigKey<Duration> ARCHIVER_ROTATION = defaulted(ENVIRONMENT, "archiver.rotation",
      "`15m`, `1h` or `1d`", Duration.ofMinutes(15), "15m",
      "Window of one file on the archiver's UTC clock (`{HHMM}.jsonl.gz` is the window start); files rotate even when the stream is idle.");
  public static final ConfigKey<ArchiveFsync> ARCHIVER_FSYNC = defaulted(ENVIRONMENT, "archiver.fsync",
      "`batch` or `rotation`", ArchiveFsync.BATCH, "batch",
      "`batch`: fsync before acknowledging each batch (survives a machine crash); `rotation`: fsync only on rotation and close (survives a process crash).");
  public static final ConfigKey<Integer> ARCHIVER_BATCH = defaulted(ENVIRONMENT, "archiver.batch", "integer 1..100000",
      500, "500", "Messages per fetch; one write, fsync and round of acks per batch.");
  public static final ConfigKey<Path> ARCHIVER_PATH = computed(ENVIRONMENT, "archiver.path", "path",
      "`storage.path` (local), `./data/spool` (s3)", "Local archive directory; with `s3` storage the spool whose finished files are uploaded to the `raw` bucket.");

  private static final List<ConfigKey<?>> ALL = collect();

  /** Every declared key, feed file first, each in file order. */
  public static List<ConfigKey<?>> all() {
    return ALL;
  }

  /** The keys of one file, in file order. */
  public static List<ConfigKey<?>> of(ConfigKey.Scope scope) {
    return ALL.stream().filter(k -> k.scope() == scope).toList();
  }

  private static List<ConfigKey<?>> collect() {
    List<ConfigKey<?>> keys = new ArrayList<>();
    // declaration order is file order; reflection returns fields in declaration order on HotSpot,
    // and the reference test pins the generated document, so a reordering would be noticed
    for (Field f : ConfigKeys.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigKey.class) {
        try {
          keys.add((ConfigKey<?>) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return Collections.unmodifiableList(keys);
  }

  private static <T> ConfigKey<T> required(ConfigKey.Scope s, String path, String type, String doc) {
    return new ConfigKey<>(s, path, type, true, null, "", doc);
  }

  private static <T> ConfigKey<T> optional(ConfigKey.Scope s, String path, String type, String doc) {
    return new ConfigKey<>(s, path, type, false, null, "", doc);
  }

  private static <T> ConfigKey<T> computed(ConfigKey.Scope s, String path, String type, String defaultText, String doc) {
    return new ConfigKey<>(s, path, type, false, null, defaultText, doc);
  }

  private static <T> ConfigKey<T> block(ConfigKey.Scope s, String path, String doc) {
    return new ConfigKey<>(s, path, "mapping", false, null, "", doc);
  }

  private static <T> ConfigKey<T> defaulted(ConfigKey.Scope s, String path, String type, T value, String text, String doc) {
    return new ConfigKey<>(s, path, type, false, value, text, doc);
  }

  private static ConfigKey<Duration> duration(ConfigKey.Scope s, String path, Duration value, String doc) {
    return new ConfigKey<>(s, path, "duration", false, value, Durations.format(value), doc);
  }
}
