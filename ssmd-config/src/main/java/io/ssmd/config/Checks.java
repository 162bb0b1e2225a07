package io.ssmd.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Field checks shared by the configuration records; each reports into {@link Problems}. */
final class Checks {
  static final Pattern NAME = Pattern.compile("[a-z0-9-]+");
  /** A NATS subject token or stream name as ssmd writes them (DESIGN §3). */
  static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  private Checks() {}

  static void name(Problems p, String key, String value) {
    if (value != null && !NAME.matcher(value).matches()) {
      p.invalid(key, "expected lower-case letters, digits and '-' ([a-z0-9-]+), got \"" + value + "\"");
    }
  }

  static void token(Problems p, String key, String value) {
    if (value != null && !TOKEN.matcher(value).matches()) {
      p.invalid(key, "expected letters, digits, '_' and '-' only ([A-Za-z0-9_-]+, at most 128), got \"" + value + "\"");
    }
  }

  /** An absolute URI with one of {@code schemes} and a host. */
  static void uri(Problems p, String key, URI value, String... schemes) {
    if (value == null) {
      return;
    }
    String scheme = value.getScheme() == null ? "" : value.getScheme().toLowerCase(Locale.ROOT);
    if (!List.of(schemes).contains(scheme) || value.getHost() == null) {
      p.invalid(key, "expected a URI " + String.join(" or ", List.of(schemes).stream().map(s -> s + "://host").toList())
          + ", got \"" + value + "\"");
    }
  }

  static void positive(Problems p, String key, Number value) {
    if (value != null && value.longValue() <= 0) {
      p.invalid(key, "expected an integer > 0, got " + value);
    }
  }

  static void positive(Problems p, String key, Duration value) {
    if (value != null && (value.isZero() || value.isNegative())) {
      p.invalid(key, "expected a duration > 0, got " + Durations.format(value));
    }
  }

  /** Each element present, not blank and not repeated. */
  static void distinctStrings(Problems p, String key, List<String> values) {
    Set<String> seen = new HashSet<>();
    Problems list = p.at(key);
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      if (v == null || v.isBlank()) {
        list.index(i).invalid("", "expected a non-empty string");
      } else if (!seen.add(v)) {
        list.index(i).invalid("", "duplicate entry \"" + v + "\"");
      }
    }
  }

  /** An immutable copy that keeps nulls (so validation can name them) and order. */
  static <T> List<T> list(List<T> values) {
    return values == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(values));
  }

  /** An immutable copy that keeps insertion order, i.e. file order. */
  static <K, V> Map<K, V> map(Map<K, V> values) {
    return values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }
}
