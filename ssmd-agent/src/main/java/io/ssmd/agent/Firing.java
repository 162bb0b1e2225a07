package io.ssmd.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ssmd.transport.Subjects;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One signal firing, the same live and in a backtest. Published as one JSON object:
 *
 * <pre>
 * {"signal":"btc_move","kind":"price_move","feed":"kraken","ticker":"BTC/USD","ts":1763856000123456,
 *  "value":"0.0123","threshold":"0.01","details":{"from":"45000.1","to":"45553.6"}}
 * </pre>
 *
 * {@code ts} is event time (epoch microseconds of the capture receive time of the event that made
 * the signal fire, or the moment in event time a stale feed became stale), never the wall clock.
 * {@code value} and {@code threshold} are decimal strings (never floating point); {@code details}
 * is an object of strings with keys in sorted order, so the JSON of a firing is byte-for-byte
 * deterministic.
 */
public record Firing(String signal, String kind, String feed, String ticker, long ts, BigDecimal value, BigDecimal threshold,
    Map<String, String> details) {
  private static final JsonFactory JSON = new JsonFactory();

  public Firing {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(feed, "feed");
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(value, "value");
    details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(details));
  }

  /** {@code {prefix}.signals.{signal}.{ticker}}, every token sanitised as capture subjects are. */
  public String subject(String subjectPrefix) {
    return Subjects.sanitize(subjectPrefix) + ".signals." + Subjects.sanitize(signal) + '.' + Subjects.sanitize(ticker);
  }

  /** {@code {prefix}.signals.>}: every firing of an environment. */
  public static String wildcard(String subjectPrefix) {
    return Subjects.signalsWildcard(subjectPrefix);
  }

  /**
   * Stable message id: a firing re-emitted after a restart (or by a second agent over the same
   * data) is dropped by JetStream's duplicate window rather than delivered twice.
   */
  public String msgId() {
    return "sig-" + signal + "-" + feed + "-" + Subjects.sanitize(ticker) + "-" + ts;
  }

  /** The firing as one JSON object (no newline). */
  public String toJson() {
    StringWriter w = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("signal", signal);
      g.writeStringField("kind", kind);
      g.writeStringField("feed", feed);
      g.writeStringField("ticker", ticker);
      g.writeNumberField("ts", ts);
      g.writeStringField("value", value.toPlainString());
      g.writeStringField("threshold", threshold == null ? null : threshold.toPlainString());
      g.writeObjectFieldStart("details");
      for (Map.Entry<String, String> e : details.entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return w.toString();
  }
}
