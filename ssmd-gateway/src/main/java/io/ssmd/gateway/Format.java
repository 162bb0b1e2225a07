package io.ssmd.gateway;

import java.util.Locale;

/** How market messages carry their content, chosen per connection ({@code ?format=} on the WebSocket URL). */
enum Format {
  /** {@code "data"}: the venue's frame exactly as captured. */
  RAW,
  /** {@code "events"}: the normalized events (ssmd-market, {@code EventJson} shape). */
  NORMALIZED,
  /** both fields. */
  BOTH;

  static Format parse(String s) {
    if (s == null || s.isBlank()) {
      return RAW;
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "raw" -> RAW;
      case "normalized" -> NORMALIZED;
      case "both" -> BOTH;
      default -> throw new IllegalArgumentException("format must be raw, normalized or both, got '" + SymbolPattern.abbreviate(s) + "'");
    };
  }
}
