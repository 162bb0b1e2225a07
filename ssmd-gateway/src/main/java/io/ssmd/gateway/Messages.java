package io.ssmd.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.data.EventJson;
import io.ssmd.market.MarketEvent;
import io.ssmd.market.MarketEvent.Level;
import io.ssmd.market.Normalized;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;

/** The JSON of every message the gateway sends (protocol reference: ssmd-gateway/README.md). */
final class Messages {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Messages() {}

  @FunctionalInterface
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  static String json(Body body) {
    StringWriter w = new StringWriter(256);
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(w)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return w.toString();
  }

  static void id(JsonGenerator g, JsonNode id) throws IOException {
    if (id != null && !id.isMissingNode()) {
      g.writeFieldName("id");
      g.writeTree(id);
    }
  }

  static String error(JsonNode id, String code, String message) {
    return json(g -> {
      id(g, id);
      g.writeStringField("type", "error");
      g.writeObjectFieldStart("error");
      g.writeStringField("code", code);
      g.writeStringField("message", message);
      g.writeEndObject();
    });
  }

  static String pong(JsonNode id) {
    return json(g -> {
      id(g, id);
      g.writeStringField("type", "pong");
      g.writeNumberField("ts", System.currentTimeMillis() * 1000);
    });
  }

  static String welcome(ApiKey key, Format format, List<String> feeds) {
    return json(g -> {
      g.writeStringField("type", "welcome");
      g.writeStringField("key", key.name());
      g.writeStringField("format", format.name().toLowerCase(java.util.Locale.ROOT));
      strings(g, "feeds", feeds.stream().filter(key::allows).toList());
    });
  }

  static String slowConsumer(SlowClientPolicy policy, long dropped, int queueSize) {
    return json(g -> {
      g.writeStringField("type", "notice");
      g.writeStringField("code", "slow_consumer");
      g.writeStringField("policy", policy.configName());
      g.writeNumberField("dropped", dropped);
      g.writeNumberField("queue_size", queueSize);
      g.writeStringField("message", policy == SlowClientPolicy.DROP_OLDEST
          ? dropped + " oldest messages were dropped because this client reads slower than its subscriptions produce"
          : "queue of " + queueSize + " messages full: disconnecting (read faster or subscribe to less)");
    });
  }

  static void strings(JsonGenerator g, String field, Collection<String> values) throws IOException {
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  /** The events array of a normalized frame; empty when the normalizer rejected or skipped it. */
  static void events(JsonGenerator g, Normalized n) throws IOException {
    g.writeArrayFieldStart("events");
    if (n instanceof Normalized.Events ev) {
      for (MarketEvent e : ev.events()) {
        g.writeRawValue(EventJson.toJson(e));
      }
    }
    g.writeEndArray();
    if (n instanceof Normalized.Rejected r) {
      g.writeStringField("normalize_error", r.reason() + ": " + r.detail());
    }
  }

  static void levels(JsonGenerator g, String field, List<Level> levels) throws IOException {
    g.writeArrayFieldStart(field);
    for (Level l : levels) {
      g.writeStartArray();
      g.writeString(l.price().toPlainString());
      g.writeString(l.size().toPlainString());
      g.writeEndArray();
    }
    g.writeEndArray();
  }

  /** A book snapshot message (sent on subscribe and in {@code /v1/snap}). */
  static void book(JsonGenerator g, String feed, String symbol, String instrument, Book b) throws IOException {
    g.writeStringField("type", "book");
    g.writeStringField("feed", feed);
    g.writeStringField("symbol", symbol);
    g.writeStringField("instrument", instrument);
    g.writeNumberField("seq", b.seq);
    g.writeNumberField("received_at", b.receivedAtMicros);
    g.writeBooleanField("snapshot", true);
    levels(g, "bids", b.bids());
    levels(g, "asks", b.asks());
  }
}
