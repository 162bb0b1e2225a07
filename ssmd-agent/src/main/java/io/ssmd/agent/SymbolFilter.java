package io.ssmd.agent;

import io.ssmd.transport.Subjects;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which events a signal sees: a list of entries, each {@code [feed:]pattern}. The pattern is an
 * exact instrument ({@code BTC/USD}, or its subject spelling {@code BTC-USD}) or a glob where
 * {@code *} matches any characters ({@code BTC/*}, {@code *}); the optional feed prefix restricts
 * the entry to one feed ({@code kraken:*}, {@code kalshi:KXBTC*}). An event matches when any entry
 * matches.
 */
public final class SymbolFilter {
  private record Entry(String feed, Pattern raw, Pattern sanitized, String text, boolean any) {}

  private final List<Entry> entries;
  private final List<String> text;

  private SymbolFilter(List<Entry> entries, List<String> text) {
    this.entries = entries;
    this.text = text;
  }

  /** Parses entries; {@link IllegalArgumentException} on an empty list or a blank entry. */
  public static SymbolFilter of(List<String> specs) {
    if (specs == null || specs.isEmpty()) {
      throw new IllegalArgumentException("expected at least one symbol, e.g. [\"kraken:BTC/USD\"] or [\"*\"]");
    }
    List<Entry> out = new java.util.ArrayList<>();
    for (String s : specs) {
      if (s == null || s.isBlank()) {
        throw new IllegalArgumentException("expected a symbol such as BTC/USD, kraken:BTC/*, or *, got a blank entry");
      }
      String feed = null;
      String pattern = s.strip();
      int colon = pattern.indexOf(':');
      if (colon > 0) {
        feed = pattern.substring(0, colon);
        pattern = pattern.substring(colon + 1);
        if (pattern.isEmpty()) {
          throw new IllegalArgumentException("expected a symbol after '" + feed + ":', e.g. " + feed + ":*");
        }
      }
      out.add(new Entry(feed, glob(pattern), glob(sanitizeGlob(pattern)), s, pattern.chars().allMatch(c -> c == '*')));
    }
    return new SymbolFilter(List.copyOf(out), List.copyOf(specs));
  }

  /** Every symbol of every feed. */
  public static SymbolFilter all() {
    return of(List.of("*"));
  }

  /** The subject spelling of a glob: as {@link Subjects#sanitize} per character, keeping {@code *}. */
  private static String sanitizeGlob(String p) {
    StringBuilder sb = new StringBuilder(p.length());
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      sb.append(c == '*' ? "*" : Subjects.sanitize(String.valueOf(c)).replace("_", c == '_' ? "_" : ""));
    }
    return sb.toString();
  }

  private static Pattern glob(String p) {
    StringBuilder re = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '*') {
        if (!literal.isEmpty()) {
          re.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        re.append(".*");
      } else {
        literal.append(c);
      }
    }
    if (!literal.isEmpty()) {
      re.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(re.toString());
  }

  /** True when the event of {@code feed} on {@code instrument} is one the signal sees. */
  public boolean matches(String feed, String instrument) {
    String sanitized = null;
    for (Entry e : entries) {
      if (e.feed != null && !e.feed.equals(feed)) {
        continue;
      }
      // "*" is the common case: no regex per event for it
      if (e.any || e.raw.matcher(instrument).matches()) {
        return true;
      }
      if (sanitized == null) {
        sanitized = Subjects.sanitize(instrument);
      }
      if (e.sanitized.matcher(sanitized).matches()) {
        return true;
      }
    }
    return false;
  }

  /** The entries as written. */
  public List<String> entries() {
    return text;
  }

  @Override
  public String toString() {
    return String.join(", ", text);
  }
}
