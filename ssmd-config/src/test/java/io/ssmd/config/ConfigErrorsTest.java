package io.ssmd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of mistake gives one exact line: file, line, column, key path and what is expected. */
class ConfigErrorsTest {
  @TempDir Path root;
  Path feeds;
  Path envs;

  static final String FEED = """
      name: kalshi
      feed_type: websocket
      versions:
        - version: v2
          endpoint: wss://external-api-ws.kalshi.com/trade-api/ws/v2
      """;

  static final String ENV = """
      name: kalshi-prod
      feed: kalshi
      schema: v2
      transport:
        type: nats
        url: nats://localhost:4222
        jetstream:
          replicas: 1
      """;

  @BeforeEach
  void writeFeed() throws IOException {
    feeds = Files.createDirectories(root.resolve("exchanges/feeds"));
    envs = Files.createDirectories(root.resolve("exchanges/environments"));
    Files.writeString(feeds.resolve("kalshi.yaml"), FEED);
  }

  private String envError(String yaml) throws IOException {
    Path file = envs.resolve("kalshi-prod.yaml");
    Files.writeString(file, yaml);
    try {
      ConfigLoader.loadEnvironment(file);
    } catch (ConfigException e) {
      return e.getMessage().replace(file.toString(), "env.yaml");
    }
    throw new AssertionError("no error for:\n" + yaml);
  }

  private String feedError(String yaml) throws IOException {
    Path file = feeds.resolve("kalshi.yaml");
    Files.writeString(file, yaml);
    try {
      ConfigLoader.loadFeed(file);
    } catch (ConfigException e) {
      return e.getMessage().replace(file.toString(), "feed.yaml");
    }
    throw new AssertionError("no error for:\n" + yaml);
  }

  @Test
  void baseFilesLoad() throws IOException {
    Path file = envs.resolve("kalshi-prod.yaml");
    Files.writeString(file, ENV);
    ResolvedEnvironment env = ConfigLoader.loadEnvironment(file);
    assertThat(env.streamName()).isEqualTo("KALSHI_PROD_KALSHI");
    assertThat(env.subjectPrefix()).isEqualTo("kalshi-prod");
    assertThat(env.endpoint()).hasToString("wss://external-api-ws.kalshi.com/trade-api/ws/v2");
  }

  @Test
  void wrongTypeNamesLineColumnKeyPathAndValue() throws IOException {
    assertThat(envError(ENV.replace("replicas: 1", "replicas: three")))
        .isEqualTo("env.yaml:8:5: transport.jetstream.replicas: expected an integer, got \"three\"");
  }

  @Test
  void unknownKeyListsTheKeysThatExist() throws IOException {
    assertThat(envError(ENV.replace("transport:", "transprot:")))
        .isEqualTo("env.yaml:4:1: unknown key 'transprot' (expected one of: name, feed, schema, endpoint, rest_endpoint, "
            + "schedule, keys, transport, storage, cache, subscriptions, archiver)");
  }

  @Test
  void unknownNestedKeyNamesItsFullPath() throws IOException {
    assertThat(envError(ENV.replace("replicas: 1", "replica: 1")))
        .isEqualTo("env.yaml:8:5: unknown key 'transport.jetstream.replica' (expected one of: enabled, stream, max_age, "
            + "replicas, duplicate_window, max_bytes)");
  }

  @Test
  void everyUnknownKeyIsReportedBeforeAnythingElse() throws IOException {
    assertThat(envError(ENV.replace("schema: v2", "schemaa: v2") + "keys:\n  k: {type: api_key, field: [a], source: env:K}\n"))
        .isEqualTo("env.yaml:3:1: unknown key 'schemaa' (expected one of: name, feed, schema, endpoint, rest_endpoint, "
            + "schedule, keys, transport, storage, cache, subscriptions, archiver)\n"
            + "env.yaml:10:22: unknown key 'keys.k.field' (expected one of: type, required, fields, source)");
  }

  @Test
  void natsWithoutUrlIsAMissingConditionalKey() throws IOException {
    assertThat(envError(ENV.replace("  url: nats://localhost:4222\n", "")))
        .isEqualTo("env.yaml:4:1: missing required key 'transport.url' (required when transport.type is nats)");
  }

  @Test
  void missingRequiredKeysAreAllReported() throws IOException {
    assertThat(envError(ENV.replace("feed: kalshi\n", "").replace("schema: v2\n", "")))
        .isEqualTo("env.yaml:1:1: missing required key 'feed'\nenv.yaml:1:1: missing required key 'schema'");
  }

  @Test
  void badDurationSaysWhichFormsAreAccepted() throws IOException {
    assertThat(envError(ENV.replace("replicas: 1", "max_age: 3 days")))
        .isEqualTo("env.yaml:8:5: transport.jetstream.max_age: expected a duration such as 500ms, 10s, 2m, 72h or 1d, got \"3 days\"");
  }

  @Test
  void durationWithoutUnitIsRejected() throws IOException {
    assertThat(envError(ENV.replace("replicas: 1", "max_age: 10")))
        .isEqualTo("env.yaml:8:5: transport.jetstream.max_age: expected a duration such as 500ms, 10s, 2m, 72h or 1d, got 10");
  }

  @Test
  void badEnumListsTheValues() throws IOException {
    assertThat(envError(ENV.replace("type: nats", "type: kafka")))
        .isEqualTo("env.yaml:5:3: transport.type: expected one of nats, memory, got \"kafka\"");
  }

  @Test
  void badTimezoneIsNamed() throws IOException {
    assertThat(envError(ENV + "schedule: {timezone: Mars/Olympus, day_start: \"00:10\"}\n"))
        .isEqualTo("env.yaml:9:12: schedule.timezone: expected a time zone id such as UTC or America/New_York, got \"Mars/Olympus\"");
  }

  @Test
  void badTimeOfDayIsNamed() throws IOException {
    assertThat(envError(ENV + "schedule:\n  day_start: \"24:10\"\n"))
        .isEqualTo("env.yaml:10:3: schedule.day_start: expected a time HH:MM, got \"24:10\"");
  }

  @Test
  void schemaMustBeAVersionOfTheFeed() throws IOException {
    assertThat(envError(ENV.replace("schema: v2", "schema: v3")))
        .isEqualTo("env.yaml:3:1: schema: feed kalshi has no version \"v3\" (expected one of: v2)");
  }

  @Test
  void unknownFeedIsNamed() throws IOException {
    assertThat(envError(ENV.replace("feed: kalshi", "feed: kalshy")))
        .startsWith("env.yaml:2:1: feed: no feed \"kalshy\": ").endsWith("kalshy.yaml does not exist");
  }

  @Test
  void valueChecksAcrossBlocksAreReportedTogether() throws IOException {
    String yaml = ENV.replace("replicas: 1", "replicas: 7")
        + "storage: {type: s3, path: ./data}\ncache: {type: redis}\nsubscriptions:\n  shard: {index: 2, count: 2}\n";
    assertThat(envError(yaml)).isEqualTo(String.join("\n",
        "env.yaml:8:5: transport.jetstream.replicas: expected an integer from 1 to 5, got 7",
        "env.yaml:9:1: missing required key 'storage.endpoint' (required when storage.type is s3)",
        "env.yaml:9:1: missing required key 'storage.credentials' (required when storage.type is s3: the name of a key of type s3_credentials)",
        "env.yaml:9:21: storage.path: not used here (only used when storage.type is local); remove it",
        "env.yaml:10:1: missing required key 'cache.url' (required when cache.type is redis)",
        "env.yaml:12:11: subscriptions.shard.index: expected 0 <= index < count (2), got 2"));
  }

  @Test
  void quotedNumberIsNotAnInteger() throws IOException {
    assertThat(envError(ENV.replace("replicas: 1", "replicas: \"1\"")))
        .isEqualTo("env.yaml:8:5: transport.jetstream.replicas: expected an integer, got \"1\"");
  }

  @Test
  void mappingWhereAScalarIsExpected() throws IOException {
    assertThat(envError(ENV.replace("schema: v2", "schema: {v: 2}")))
        .isEqualTo("env.yaml:3:1: schema: expected a string, got a mapping");
  }

  @Test
  void scalarWhereAMappingIsExpected() throws IOException {
    assertThat(envError(ENV + "cache: redis\n")).isEqualTo("env.yaml:9:1: cache: expected a mapping, got \"redis\"");
  }

  @Test
  void duplicateKeyIsAnError() throws IOException {
    assertThat(envError(ENV + "name: other\n")).startsWith("env.yaml:9:").contains("Duplicate field 'name'");
  }

  @Test
  void yamlSyntaxErrorHasItsPosition() throws IOException {
    assertThat(envError("name: [unclosed\nfeed: kalshi\n")).startsWith("env.yaml:").contains("invalid YAML");
  }

  @Test
  void emptyFileSaysWhatIsExpected() throws IOException {
    assertThat(envError("")).endsWith("the file is empty; expected a mapping with keys: name, feed, schema, endpoint, "
        + "rest_endpoint, schedule, keys, transport, storage, cache, subscriptions, archiver");
  }

  @Test
  void feedErrorsAreLocatedInsideLists() throws IOException {
    assertThat(feedError(FEED.replace("wss://external", "https://external")))
        .isEqualTo("feed.yaml:5:5: versions[0].endpoint: expected a URI ws://host or wss://host, got "
            + "\"https://external-api-ws.kalshi.com/trade-api/ws/v2\"");
    assertThat(feedError(FEED + "limits: {subscribe_pace: fast}\n"))
        .isEqualTo("feed.yaml:6:10: limits.subscribe_pace: expected a duration such as 500ms, 10s, 2m, 72h or 1d, got \"fast\"");
    assertThat(feedError(FEED.replace("feed_type: websocket", "feed_type: rest")))
        .isEqualTo("feed.yaml:2:1: feed_type: expected one of websocket, got \"rest\"");
    assertThat(feedError(FEED + "  - version: v2\n    endpoint: ws://127.0.0.1:9101/x\n    protocol: {transport: wss}\n"))
        .isEqualTo("feed.yaml:6:5: versions[1].version: duplicate version \"v2\"\n"
            + "feed.yaml:8:16: versions[1].protocol.transport: is wss but endpoint uses ws://; make them agree");
  }

  @Test
  void feedNameMustMatchItsFile() throws IOException {
    assertThat(feedError(FEED.replace("name: kalshi", "name: kalshi2")))
        .isEqualTo("feed.yaml:1:1: name: feed \"kalshi2\" must be in a file named kalshi2.yaml");
  }

  @Test
  void programmaticConstructionIsValidatedToo() {
    assertThatThrownBy(() -> new EnvironmentConfig("Prod", "kalshi", "v2", null, null, null, null,
        new TransportConfig(TransportType.NATS, null, null, null, null), null, null, null, null))
        .isInstanceOf(ConfigException.class)
        .hasMessage("name: expected lower-case letters, digits and '-' ([a-z0-9-]+), got \"Prod\"\n"
            + "missing required key 'transport.url' (required when transport.type is nats)");
  }

  @Test
  void archiverBlockIsOptionalAndItsDefaultsFollowTheEnvironment() throws IOException {
    Path file = envs.resolve("kalshi-prod.yaml");
    Files.writeString(file, ENV);
    EnvironmentConfig env = ConfigLoader.loadEnvironment(file).environment();
    assertThat(env.archiverConsumer()).isEqualTo("ssmd-archiver-kalshi");
    assertThat(env.archiverFilter()).isEqualTo("kalshi-prod.kalshi.>");
    assertThat(env.archivePath()).isEqualTo(Path.of("./data"));
    assertThat(env.archiver().rotation()).isEqualTo(java.time.Duration.ofMinutes(15));
    assertThat(env.archiver().fsync()).isEqualTo(ArchiveFsync.BATCH);
    assertThat(env.archiver().batch()).isEqualTo(500);
    Files.writeString(file, ENV + "archiver: {consumer: arch-1, filter: \"kalshi-prod.>\", rotation: 1h, fsync: rotation, "
        + "batch: 100, path: /spool}\n");
    env = ConfigLoader.loadEnvironment(file).environment();
    assertThat(env.archiverConsumer()).isEqualTo("arch-1");
    assertThat(env.archiverFilter()).isEqualTo("kalshi-prod.>");
    assertThat(env.archivePath()).isEqualTo(Path.of("/spool"));
    assertThat(env.archiver().fsync()).isEqualTo(ArchiveFsync.ROTATION);
  }

  @Test
  void archiverValuesAreCheckedTogether() throws IOException {
    assertThat(envError(ENV + "archiver:\n  consumer: a.b\n  filter: \"x.>.y\"\n  rotation: 2h\n  batch: 0\n"))
        .isEqualTo(String.join("\n",
            "env.yaml:10:3: archiver.consumer: expected letters, digits, '_' and '-' only ([A-Za-z0-9_-]+, at most 128), got \"a.b\"",
            "env.yaml:11:3: archiver.filter: expected a NATS subject filter such as prod.kalshi.> (tokens separated by '.', "
                + "'*' for one token, '>' only last), got \"x.>.y\"",
            "env.yaml:12:3: archiver.rotation: expected 15m, 1h or 1d, got 2h",
            "env.yaml:13:3: archiver.batch: expected an integer from 1 to 100000, got 0"));
    assertThat(envError(ENV + "archiver: {fsync: always}\n"))
        .isEqualTo("env.yaml:9:12: archiver.fsync: expected one of batch, rotation, got \"always\"");
  }

  @Test
  void s3StorageTakesItsCredentialsFromAnS3CredentialsKey() throws IOException {
    String s3 = "storage: {type: s3, endpoint: \"http://garage:3900\", credentials: garage}\n";
    String key = "keys:\n  garage: {type: s3_credentials, fields: [access_key, secret_key], source: env:GARAGE}\n";
    Path file = envs.resolve("kalshi-prod.yaml");
    Files.writeString(file, ENV + key + s3);
    EnvironmentConfig env = ConfigLoader.loadEnvironment(file).environment();
    assertThat(env.storage().credentials()).isEqualTo("garage");
    assertThat(env.archivePath()).isEqualTo(EnvironmentConfig.DEFAULT_S3_SPOOL);
    assertThat(env.key("garage").orElseThrow().references().keySet()).containsExactly("access_key", "secret_key");

    assertThat(envError(ENV + s3)).isEqualTo(
        "env.yaml:9:53: storage.credentials: no key \"garage\" in keys; add one of type s3_credentials");
    assertThat(envError(ENV + key.replace("s3_credentials", "api_key") + s3)).isEqualTo(
        "env.yaml:11:53: storage.credentials: key \"garage\" is of type api_key; expected a key of type s3_credentials");
    assertThat(envError(ENV + key.replace("[access_key, secret_key]", "[access_key]") + s3)).isEqualTo(
        "env.yaml:10:34: keys.garage.fields: an s3_credentials key has exactly the fields access_key and secret_key, got [access_key]");
    assertThat(envError(ENV + key + "storage: {type: local, credentials: garage}\n")).isEqualTo(
        "env.yaml:11:24: storage.credentials: not used here (only used when storage.type is s3); remove it");
  }
}
