package io.ssmd.worker.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Canonical JSON of schedule inputs: sorted keys, compact, so equal inputs compare equal as text. */
final class Json {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private Json() {}

  static ObjectNode sorted(ObjectNode node) {
    ObjectNode out = MAPPER.createObjectNode();
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
    fields.sort(Map.Entry.comparingByKey());
    for (Map.Entry<String, JsonNode> e : fields) {
      JsonNode v = e.getValue();
      out.set(e.getKey(), v instanceof ObjectNode o ? sorted(o) : v.deepCopy());
    }
    return out;
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node instanceof ObjectNode o ? sorted(o) : node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode readObject(String json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (!(node instanceof ObjectNode o)) {
        throw new IllegalArgumentException("expected a JSON object, got " + json);
      }
      return sorted(o);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
