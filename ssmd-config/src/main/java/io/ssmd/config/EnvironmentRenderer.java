package io.ssmd.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Renders the effective configuration of an environment as YAML ({@code ssmd env show}): every
 * default made explicit, overrides applied, secrets shown as their references (values are never
 * read here). The output is itself a valid environment file describing the same environment.
 */
public final class EnvironmentRenderer {
  private static final YAMLMapper WRITER = YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
      .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private EnvironmentRenderer() {}

  /** The effective environment, preceded by comments on what was derived from the feed. */
  public static String show(ResolvedEnvironment r) {
    EnvironmentConfig e = r.environment();
    FeedLimits l = r.limits();
    StringBuilder sb = new StringBuilder();
    sb.append("# environment ").append(e.name());
    if (r.environmentFile() != null) {
      sb.append(" (").append(r.environmentFile()).append(')');
    }
    sb.append('\n');
    sb.append("# feed ").append(r.feedName()).append(" version ").append(r.version().version());
    if (r.feedFile() != null) {
      sb.append(" (").append(r.feedFile()).append(')');
    }
    sb.append('\n');
    sb.append("# subjects ").append(r.subjectPrefix()).append('.').append(r.feedName()).append(".json.{type}.{ticker}")
        .append(", stream ").append(r.streamName()).append('\n');
    sb.append("# limits markets_per_connection=").append(l.marketsPerConnection())
        .append(" client_ping_interval=").append(Durations.format(l.clientPingInterval()))
        .append(" pong_timeout=").append(Durations.format(l.pongTimeout()))
        .append(" no_data_timeout=").append(Durations.format(l.noDataTimeout()))
        .append(" max_frame_bytes=").append(l.maxFrameBytes())
        .append(" subscribe_batch=").append(l.subscribeBatch())
        .append(" subscribe_pace=").append(Durations.format(l.subscribePace())).append('\n');
    ObjectNode root = NODES.objectNode();
    root.put("name", e.name());
    root.put("feed", e.feed());
    root.put("schema", e.schema());
    root.put("endpoint", r.endpoint().toString());
    r.restEndpoint().ifPresent(u -> root.put("rest_endpoint", u.toString()));
    root.set("schedule", schedule(e.schedule()));
    if (!e.keys().isEmpty()) {
      root.set("keys", keys(e.keys()));
    }
    root.set("transport", transport(e));
    root.set("storage", storage(e.storage()));
    root.set("cache", cache(e.cache()));
    root.set("subscriptions", subscriptions(e.subscriptions()));
    root.set("archiver", archiver(e));
    return sb.append(write(root)).toString();
  }

  static String write(ObjectNode root) {
    try {
      return WRITER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render configuration", e);
    }
  }

  private static ObjectNode schedule(ScheduleConfig s) {
    ObjectNode n = NODES.objectNode();
    n.put("timezone", s.timezone().getId());
    n.put("day_start", s.dayStart().toString());
    n.put("day_end", s.dayEnd().toString());
    n.put("auto_roll", s.autoRoll());
    return n;
  }

  private static ObjectNode keys(Map<String, KeySpec> keys) {
    ObjectNode n = NODES.objectNode();
    keys.forEach((name, k) -> {
      ObjectNode key = n.putObject(name);
      key.put("type", k.type().configName());
      key.put("required", k.required());
      switch (k.fields()) {
        case SecretFields.Listed listed -> {
          key.set("fields", strings(listed.names()));
          key.put("source", k.source());
        }
        case SecretFields.Mapped mapped -> {
          ObjectNode fields = key.putObject("fields");
          mapped.references().forEach(fields::put);
        }
      }
    });
    return n;
  }

  private static ObjectNode transport(EnvironmentConfig e) {
    TransportConfig t = e.transport();
    ObjectNode n = NODES.objectNode();
    n.put("type", t.type().configName());
    putUri(n, "url", t.url());
    n.put("subject_prefix", e.subjectPrefix());
    JetStreamConfig j = t.jetstream();
    ObjectNode js = n.putObject("jetstream");
    js.put("enabled", j.enabled());
    js.put("stream", e.streamName());
    js.put("max_age", Durations.format(j.maxAge()));
    js.put("replicas", j.replicas());
    js.put("duplicate_window", Durations.format(j.duplicateWindow()));
    js.put("max_bytes", j.maxBytes());
    PublishConfig p = t.publish();
    ObjectNode pub = n.putObject("publish");
    pub.put("max_in_flight", p.maxInFlight());
    pub.put("buffer_messages", p.bufferMessages());
    pub.put("ack_timeout", Durations.format(p.ackTimeout()));
    return n;
  }

  private static ObjectNode storage(StorageConfig s) {
    ObjectNode n = NODES.objectNode();
    n.put("type", s.type().configName());
    if (s.path() != null) {
      n.put("path", s.path().toString());
    }
    putUri(n, "endpoint", s.endpoint());
    if (s.region() != null) {
      n.put("region", s.region());
    }
    if (s.buckets() != null) {
      ObjectNode b = n.putObject("buckets");
      b.put("raw", s.buckets().raw());
      b.put("normalized", s.buckets().normalized());
    }
    if (s.credentials() != null) {
      n.put("credentials", s.credentials());
    }
    return n;
  }

  private static ObjectNode archiver(EnvironmentConfig e) {
    ObjectNode n = NODES.objectNode();
    n.put("consumer", e.archiverConsumer());
    n.put("filter", e.archiverFilter());
    n.put("rotation", Durations.format(e.archiver().rotation()));
    n.put("fsync", e.archiver().fsync().configName());
    n.put("batch", e.archiver().batch());
    n.put("path", e.archivePath().toString());
    return n;
  }

  private static ObjectNode cache(CacheConfig c) {
    ObjectNode n = NODES.objectNode();
    n.put("type", c.type().configName());
    putUri(n, "url", c.url());
    return n;
  }

  private static ObjectNode subscriptions(SubscriptionsConfig s) {
    ObjectNode n = NODES.objectNode();
    n.set("markets", strings(s.markets()));
    n.set("channels", strings(s.channels()));
    ObjectNode shard = n.putObject("shard");
    shard.put("index", s.shard().index());
    shard.put("count", s.shard().count());
    n.put("follow_secmaster", s.followSecmaster());
    n.set("follow_prefixes", strings(s.followPrefixes()));
    return n;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode a = NODES.arrayNode();
    values.forEach(a::add);
    return a;
  }

  private static void putUri(ObjectNode n, String key, URI uri) {
    if (uri != null) {
      n.put(key, uri.toString());
    }
  }
}
