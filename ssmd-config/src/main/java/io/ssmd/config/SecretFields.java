package io.ssmd.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;
import java.util.Map;

/**
 * The secret fields of a key ({@code keys.*.fields}), in one of two forms: a list of names read
 * through the key's {@code source}, or a mapping of each name to its own reference.
 */
@JsonDeserialize(using = SecretFieldsDeserializer.class)
public sealed interface SecretFields permits SecretFields.Listed, SecretFields.Mapped {

  /** Field names, in file order. */
  List<String> names();

  /** {@code fields: [api_key, private_key]} with {@code source: env:KALSHI}. */
  record Listed(List<String> names) implements SecretFields {
    public Listed {
      names = Checks.list(names);
    }
  }

  /** {@code fields: {api_key: env:KALSHI_API_KEY, private_key: file:/etc/ssmd/kalshi.pem}}. */
  record Mapped(Map<String, String> references) implements SecretFields {
    public Mapped {
      references = Checks.map(references);
    }

    @Override
    public List<String> names() {
      return List.copyOf(references.keySet());
    }
  }
}
