package io.ssmd.transport;

import java.util.Locale;

/** Subject and stream naming (DESIGN §3). */
public final class Subjects {
  public static final int MAX_TOKEN_LENGTH = 128;

  private Subjects() {}

  /** {@code {env}.{feed}.json.{type}.{ticker}} with every token sanitised. */
  public static String subject(String env, String feed, String type, String ticker) {
    return sanitize(env) + '.' + sanitize(feed) + ".json." + sanitize(type) + '.' + sanitize(ticker);
  }

  /** {@code {env}.{feed}.>}: everything a feed publishes in an environment. */
  public static String feedWildcard(String env, String feed) {
    return sanitize(env) + '.' + sanitize(feed) + ".>";
  }

  /** {@code {ENV}_{FEED}} upper case, e.g. {@code PROD_KALSHI}; '-' becomes '_' (stream names allow no '.'). */
  public static String streamName(String env, String feed) {
    return (sanitize(env) + '_' + sanitize(feed)).replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** {@code {prefix}.secmaster.changes.{feed}}: the security master's change events of one feed. */
  public static String secmasterChanges(String prefix, String feed) {
    return sanitize(prefix) + ".secmaster.changes." + sanitize(feed);
  }

  /** {@code {prefix}.secmaster.>}: everything the security master publishes in an environment. */
  public static String secmasterWildcard(String prefix) {
    return sanitize(prefix) + ".secmaster.>";
  }

  /** {@code {PREFIX}_SECMASTER}: the stream of the security master's change events. */
  public static String secmasterStream(String prefix) {
    return (sanitize(prefix) + "_SECMASTER").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** {@code {prefix}.signals.>}: everything the signal agent publishes in an environment. */
  public static String signalsWildcard(String prefix) {
    return sanitize(prefix) + ".signals.>";
  }

  /** {@code {PREFIX}_SIGNALS}: the stream of the signal agent's output. */
  public static String signalsStream(String prefix) {
    return (sanitize(prefix) + "_SIGNALS").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /**
   * Makes one subject token: {@code /} becomes {@code -}, only {@code [A-Za-z0-9_-]} is kept, at
   * most 128 characters. An empty result becomes {@code _} so a subject never has an empty token.
   */
  public static String sanitize(String token) {
    if (token == null) {
      return "_";
    }
    StringBuilder sb = new StringBuilder(Math.min(token.length(), MAX_TOKEN_LENGTH));
    for (int i = 0; i < token.length() && sb.length() < MAX_TOKEN_LENGTH; i++) {
      char c = token.charAt(i);
      if (c == '/') {
        sb.append('-');
      } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
        sb.append(c);
      }
    }
    return sb.isEmpty() ? "_" : sb.toString();
  }

  /**
   * True when every subject matched by {@code pattern} is also matched by {@code filter} (NATS
   * wildcard rules: {@code *} one token, {@code >} one or more trailing tokens).
   */
  public static boolean covers(String filter, String pattern) {
    String[] f = filter.split("\\.", -1);
    String[] p = pattern.split("\\.", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals(">")) {
        return p.length > i;
      }
      if (i >= p.length) {
        return false;
      }
      if (p[i].equals(">")) {
        return false;
      }
      if (f[i].equals("*")) {
        continue;
      }
      if (p[i].equals("*") || !f[i].equals(p[i])) {
        return false;
      }
    }
    return f.length == p.length;
  }

  /** True when the concrete subject matches the pattern. */
  public static boolean matches(String pattern, String subject) {
    return covers(pattern, subject);
  }
}
