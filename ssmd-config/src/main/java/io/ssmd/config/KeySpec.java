package io.ssmd.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A credential an environment needs ({@code keys.<name>}): its kind and where each secret field is
 * read. Holds references only; {@link SecretResolver} reads the values.
 *
 * @param type kind of credential
 * @param required when true a missing secret is an error; when false the key is skipped
 * @param fields the secret fields, listed or mapped to references
 * @param source where listed fields are read; only with a listed {@code fields}
 */
public record KeySpec(KeyType type, Boolean required, SecretFields fields, String source) {
  private static final Pattern FIELD = Pattern.compile("[a-z0-9_]+");

  public KeySpec {
    required = ConfigKeys.KEY_REQUIRED.orDefault(required);
  }

  /** Each field's reference, in file order. Only call on a validated key. */
  public Map<String, SecretRef> references() {
    Map<String, SecretRef> refs = new LinkedHashMap<>();
    if (fields instanceof SecretFields.Mapped mapped) {
      mapped.references().forEach((f, r) -> refs.put(f, SecretRef.forField(r, f)));
    } else {
      fields.names().forEach(f -> refs.put(f, SecretRef.fromSource(source, f)));
    }
    return Collections.unmodifiableMap(refs);
  }

  void validate(Problems p) {
    p.require("type", type);
    if (!p.require("fields", fields)) {
      return;
    }
    if (fields.names().isEmpty()) {
      p.invalid("fields", "expected at least one field name");
    } else if (type == KeyType.S3_CREDENTIALS
        && !new java.util.TreeSet<>(fields.names()).equals(new java.util.TreeSet<>(KeyType.S3_FIELDS))) {
      p.invalid("fields", "an s3_credentials key has exactly the fields access_key and secret_key, got " + fields.names());
    }
    Problems f = p.at("fields");
    switch (fields) {
      case SecretFields.Listed listed -> {
        for (int i = 0; i < listed.names().size(); i++) {
          fieldName(f.index(i), listed.names().get(i));
        }
        if (source == null) {
          p.missing("source", "required when fields is a list; or map each field to a reference");
        } else {
          try {
            SecretRef.fromSource(source, "x");
          } catch (IllegalArgumentException e) {
            p.invalid("source", e.getMessage());
          }
        }
      }
      case SecretFields.Mapped mapped -> {
        mapped.references().forEach((name, ref) -> {
          fieldName(f.at(name), name);
          try {
            SecretRef.forField(ref, name);
          } catch (IllegalArgumentException e) {
            f.invalid(name, e.getMessage());
          }
        });
        p.unused("source", source, "fields is a list");
      }
    }
  }

  private static void fieldName(Problems p, String name) {
    if (name == null || !FIELD.matcher(name).matches()) {
      p.invalid("", "expected a field name of [a-z0-9_]+, got \"" + name + "\"");
    }
  }
}
