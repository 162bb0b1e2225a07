package io.ssmd.agent;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One signal as declared in a signals file.
 *
 * @param name unique in the file; {@code [A-Za-z0-9_-]+} (it is a subject token and a metric label)
 * @param kind a built-in kind ({@link SignalKinds#BUILT_IN}) or {@code java}
 * @param symbols which events the signal sees
 * @param cooldown after a firing for a (feed, ticker), further firings within this much event time are held back
 * @param maxSymbols per-symbol state entries kept at most (least recently used evicted, counted)
 * @param javaClass fully qualified class name for {@code kind: java}, else null
 * @param params the kind's parameters as written (strings), read with the typed getters below
 */
public record SignalDefinition(String name, String kind, SymbolFilter symbols, Duration cooldown, int maxSymbols, String javaClass,
    Map<String, String> params) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  /** Default of {@code max_symbols}. */
  public static final int DEFAULT_MAX_SYMBOLS = 10_000;

  public SignalDefinition {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(symbols, "symbols");
    Objects.requireNonNull(cooldown, "cooldown");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ParamException("name", "expected 1-64 letters, digits, '_' or '-' (a subject token and metric label), got \"" + name + "\"");
    }
    if (cooldown.isNegative()) {
      throw new ParamException("cooldown", "expected zero or a positive duration, got " + cooldown);
    }
    if (maxSymbols < 1) {
      throw new ParamException("max_symbols", "expected a whole number >= 1, got " + maxSymbols);
    }
    params = Map.copyOf(params);
  }

  /** A required duration parameter. */
  public Duration duration(String key) {
    String v = required(key);
    try {
      return io.ssmd.config.Durations.parse(v);
    } catch (IllegalArgumentException e) {
      throw new ParamException(key, e.getMessage());
    }
  }

  /** An optional duration parameter. */
  public Duration duration(String key, Duration dflt) {
    return params.containsKey(key) ? duration(key) : dflt;
  }

  /** A required decimal parameter. */
  public BigDecimal decimal(String key) {
    String v = required(key);
    try {
      return new BigDecimal(v.strip());
    } catch (NumberFormatException e) {
      throw new ParamException(key, "expected a decimal number such as 0.5, got \"" + v + "\"");
    }
  }

  /** An optional decimal parameter. */
  public BigDecimal decimal(String key, BigDecimal dflt) {
    return params.containsKey(key) ? decimal(key) : dflt;
  }

  /** An optional whole-number parameter, at least {@code min}. */
  public int integer(String key, int dflt, int min) {
    if (!params.containsKey(key)) {
      return dflt;
    }
    String v = params.get(key);
    try {
      int n = Integer.parseInt(v.strip());
      if (n < min) {
        throw new ParamException(key, "expected a whole number >= " + min + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ParamException(key, "expected a whole number >= " + min + ", got \"" + v + "\"");
    }
  }

  /** An optional parameter from a fixed vocabulary. */
  public String choice(String key, List<String> allowed, String dflt) {
    String v = params.getOrDefault(key, dflt);
    if (!allowed.contains(v)) {
      throw new ParamException(key, "expected one of " + String.join(", ", allowed) + ", got \"" + v + "\"");
    }
    return v;
  }

  /** A required string parameter. */
  public String required(String key) {
    String v = params.get(key);
    if (v == null) {
      throw new ParamException(key, "missing required key '" + key + "' for kind " + kind);
    }
    return v;
  }
}
