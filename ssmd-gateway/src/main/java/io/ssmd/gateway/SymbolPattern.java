package io.ssmd.gateway;

import io.ssmd.transport.Subjects;

/**
 * What a client subscribes to: {@code feed:symbol} (one symbol), {@code feed:*} (every symbol of
 * a feed) or {@code *} (everything). The symbol is the subject token (DESIGN §3): {@code BTC/USD}
 * given by a client is {@code BTC-USD}, as in every message it receives.
 *
 * @param feed the feed, or {@code *}
 * @param symbol the sanitised symbol, or {@code *}
 */
record SymbolPattern(String feed, String symbol) {
  static final String ANY = "*";

  /** Parses a client pattern; {@link IllegalArgumentException} with what is expected. */
  static SymbolPattern parse(String s) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException("symbol pattern must be feed:SYMBOL, feed:* or *, got an empty string");
    }
    String t = s.trim();
    if (t.equals(ANY) || t.equals("*:*")) {
      return new SymbolPattern(ANY, ANY);
    }
    int colon = t.indexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new IllegalArgumentException("symbol pattern must be feed:SYMBOL, feed:* or *, got '" + abbreviate(t) + "'");
    }
    String feed = t.substring(0, colon);
    String symbol = t.substring(colon + 1);
    if (feed.equals(ANY)) {
      throw new IllegalArgumentException("a symbol needs its feed: use kalshi:" + abbreviate(symbol) + " (or * for everything)");
    }
    return new SymbolPattern(Subjects.sanitize(feed), symbol.equals(ANY) ? ANY : Subjects.sanitize(symbol));
  }

  boolean isAll() {
    return feed.equals(ANY);
  }

  boolean isFeedWide() {
    return !isAll() && symbol.equals(ANY);
  }

  boolean matches(String f, String s) {
    return isAll() || (feed.equals(f) && (symbol.equals(ANY) || symbol.equals(s)));
  }

  @Override
  public String toString() {
    return isAll() ? ANY : feed + ':' + symbol;
  }

  static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }
}
