package io.ssmd.config;

import java.util.Map;
import java.util.Objects;

/**
 * The resolved secrets of one key. Printing it shows field names and {@code ****} only.
 *
 * @param name key name ({@code keys.<name>})
 * @param type kind of credential
 * @param fields secret per field, in file order
 */
public record KeyMaterial(String name, KeyType type, Map<String, Secret> fields) {
  public KeyMaterial {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    fields = Checks.map(fields);
  }

  /**
   * The secret of {@code field}.
   *
   * @throws IllegalArgumentException when the key has no such field
   */
  public Secret field(String field) {
    Secret s = fields.get(field);
    if (s == null) {
      throw new IllegalArgumentException("key " + name + " has no field " + field + " (fields: " + fields.keySet() + ")");
    }
    return s;
  }
}
