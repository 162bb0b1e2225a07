package io.ssmd.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;

/** Reads {@code keys.*.fields} as a list of names or a mapping of names to references. */
final class SecretFieldsDeserializer extends StdDeserializer<SecretFields> {
  private static final long serialVersionUID = 1L;

  SecretFieldsDeserializer() {
    super(SecretFields.class);
  }

  @Override
  public SecretFields deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.currentToken() == JsonToken.START_ARRAY) {
      List<String> names = ctxt.readValue(p, ctxt.getTypeFactory().constructType(new TypeReference<List<String>>() {}));
      return new SecretFields.Listed(names);
    }
    if (p.currentToken() == JsonToken.START_OBJECT) {
      LinkedHashMap<String, String> refs = ctxt.readValue(p,
          ctxt.getTypeFactory().constructType(new TypeReference<LinkedHashMap<String, String>>() {}));
      return new SecretFields.Mapped(refs);
    }
    throw Yaml.expected(p, SecretFields.class, "a list of field names or a mapping of field name to secret reference");
  }
}
