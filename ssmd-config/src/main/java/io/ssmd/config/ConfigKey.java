package io.ssmd.config;

import java.util.Objects;

/**
 * One configuration key, declared once with everything an operator needs to know about it: where
 * it lives, its type, whether it is required, its default and what it does. Records apply defaults
 * through {@link #orDefault}, and {@code docs/config.md} is generated from these declarations, so
 * the documented default and the applied default cannot drift apart.
 *
 * @param scope which file the key belongs to
 * @param path dotted key path; {@code []} marks list elements, {@code *} a name chosen by the user
 * @param type the YAML type expected, as shown in the reference
 * @param required true when the file is invalid without it (conditionally required keys say so in
 *     {@code doc} and are false here)
 * @param defaultValue the value used when the key is absent, or null when there is none or it is
 *     computed from other keys
 * @param defaultText the default as shown in the reference ("" when none)
 * @param doc one sentence, ending with a full stop
 * @param <T> Java type of the value
 */
public record ConfigKey<T>(
    Scope scope, String path, String type, boolean required, T defaultValue, String defaultText, String doc) {

  /** The file a key belongs to. */
  public enum Scope {
    /** {@code exchanges/feeds/<feed>.yaml} */
    FEED,
    /** {@code exchanges/environments/<env>.yaml} */
    ENVIRONMENT
  }

  public ConfigKey {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultText, "defaultText");
    Objects.requireNonNull(doc, "doc");
    if (required && defaultValue != null) {
      throw new IllegalArgumentException(path + ": a required key has no default");
    }
  }

  /** {@code value}, or this key's default when the file leaves it out. */
  public T orDefault(T value) {
    return value != null ? value : defaultValue;
  }

  /** The last segment of the path, as written in YAML. */
  public String name() {
    int dot = path.lastIndexOf('.');
    String last = dot < 0 ? path : path.substring(dot + 1);
    return last.endsWith("[]") ? last.substring(0, last.length() - 2) : last;
  }
}
