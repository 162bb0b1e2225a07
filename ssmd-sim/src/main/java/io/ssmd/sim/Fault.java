package io.ssmd.sim;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A fault to inject into a simulated venue, from a test or {@code POST /_sim/fault/{kind}?k=v}.
 *
 * @param kind what to break; each venue accepts the kinds that make sense for its protocol and
 *     rejects the others with {@link IllegalArgumentException}
 * @param params optional parameters (e.g. {@code seconds} for {@link Kind#STALL}, {@code bytes}
 *     for {@link Kind#OVERSIZE}, {@code market} to aim at one market)
 */
public record Fault(Kind kind, Map<String, String> params) {

  /** The fault vocabulary shared by all venues. */
  public enum Kind {
    /** Close every open connection (graceful close frame after the data already sent). */
    DROP,
    /** Drop every open connection abruptly (TCP close without a close frame). */
    ABORT,
    /** Stop sending data and pings, and stop answering pings, for {@code seconds} (default 30). */
    STALL,
    /** Kalshi: skip one sequence number on an orderbook subscription. */
    SKIP_SEQ,
    /** Kraken: send one book update with a wrong checksum. */
    BAD_CHECKSUM,
    /** Polymarket: send a best_bid_ask that disagrees with the book. */
    BBO_MISMATCH,
    /** Send one frame that is not valid JSON. */
    MALFORMED,
    /** Send one frame of {@code bytes} bytes (default 2 MiB). */
    OVERSIZE,
    /** Send one well-formed frame of a message type the venue does not document. */
    UNKNOWN_TYPE;

    /** Parses {@code skip_seq}, {@code SKIP-SEQ}, ... */
    public static Kind parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown fault '" + s + "' (expected one of drop, abort, stall, skip_seq, bad_checksum, bbo_mismatch, malformed, oversize, unknown_type)");
      }
    }
  }

  public Fault {
    Objects.requireNonNull(kind, "kind");
    params = params == null ? Map.of() : Map.copyOf(params);
  }

  public static Fault of(Kind kind) {
    return new Fault(kind, Map.of());
  }

  public static Fault of(Kind kind, String key, String value) {
    return new Fault(kind, Map.of(key, value));
  }

  public int intParam(String key, int dflt) {
    String v = params.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("fault parameter '" + key + "' must be an integer, got '" + v + "'");
    }
  }

  public String param(String key) {
    return params.get(key);
  }
}
