package io.ssmd.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * Logback layout writing one JSON object per line (DESIGN §5):
 *
 * <pre>{"level":"info","ts":"2025-12-14T00:10:00.123Z","component":"connector","msg":"connected to kalshi","symbols":42}</pre>
 *
 * <ul>
 *   <li>{@code level} lower case; {@code ts} UTC ISO-8601 with milliseconds;
 *   <li>{@code component} from the MDC key {@code component}, else the process-wide {@link
 *       #setComponent component} (MDC does not follow work onto other threads), else the logger's
 *       short name;
 *   <li>{@code msg} the formatted message;
 *   <li>SLF4J 2 key-value pairs and the other MDC entries as top-level fields (numbers and booleans
 *       keep their JSON type); a key clashing with a fixed field is written with a leading {@code _};
 *   <li>{@code error}: exception class and message (with the root cause's when different), always;
 *       {@code stack}: the full stack trace, only when verbose: the event is DEBUG or TRACE, its
 *       logger is DEBUG-enabled, or {@code <includeStack>true</includeStack>} is configured.
 * </ul>
 *
 * <p>Configure in logback.xml with a {@code LayoutWrappingEncoder} around this class.
 */
public class JsonLayout extends LayoutBase<ILoggingEvent> {
  /** MDC key naming the component (connector, archiver, ...). */
  public static final String COMPONENT_KEY = "component";

  private static final Set<String> RESERVED = Set.of("level", "ts", COMPONENT_KEY, "msg", "error", "stack");
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final JsonFactory JSON = new JsonFactory();

  private boolean includeStack;
  private String component;

  /** The component this process runs ({@code connector}, {@code sim}, ...), for events without one in the MDC. */
  public void setComponent(String component) {
    this.component = component;
  }

  public String getComponent() {
    return component;
  }

  /** Always include the full stack trace of a throwable, whatever the level. */
  public void setIncludeStack(boolean includeStack) {
    this.includeStack = includeStack;
  }

  public boolean isIncludeStack() {
    return includeStack;
  }

  @Override
  public String getContentType() {
    return "application/json";
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("level", event.getLevel().toString().toLowerCase(Locale.ROOT));
      json.writeStringField("ts", TS.format(event.getInstant()));
      Map<String, String> mdc = event.getMDCPropertyMap();
      String fromMdc = mdc == null ? null : mdc.get(COMPONENT_KEY);
      json.writeStringField(
          COMPONENT_KEY,
          fromMdc != null ? fromMdc : component != null ? component : shortName(event.getLoggerName()));
      json.writeStringField("msg", event.getFormattedMessage());
      Set<String> written = new HashSet<>(RESERVED);
      List<KeyValuePair> pairs = event.getKeyValuePairs();
      if (pairs != null) {
        for (KeyValuePair pair : pairs) {
          if (pair != null && pair.key != null) {
            writeField(json, written, pair.key, pair.value);
          }
        }
      }
      if (mdc != null) {
        for (Map.Entry<String, String> e : mdc.entrySet()) {
          if (!e.getKey().equals(COMPONENT_KEY)) {
            writeField(json, written, e.getKey(), e.getValue());
          }
        }
      }
      IThrowableProxy error = event.getThrowableProxy();
      if (error != null) {
        json.writeStringField("error", describe(error));
        if (verbose(event)) {
          json.writeStringField("stack", ThrowableProxyUtil.asString(error));
        }
      }
      json.writeEndObject();
    } catch (IOException e) {
      // StringWriter never fails; reaching here is a Jackson bug, which must not be swallowed.
      throw new UncheckedIOException(e);
    }
    return out.append('\n').toString();
  }

  private boolean verbose(ILoggingEvent event) {
    if (includeStack || event.getLevel().toInt() <= Level.DEBUG_INT) {
      return true;
    }
    return getContext() instanceof LoggerContext lc && lc.getLogger(event.getLoggerName()).isDebugEnabled();
  }

  private static String describe(IThrowableProxy error) {
    String top = error.getClassName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    IThrowableProxy root = error;
    // Bounded walk: a cyclic cause chain must not hang the logger.
    for (int i = 0; i < 32 && root.getCause() != null; i++) {
      root = root.getCause();
    }
    if (root == error) {
      return top;
    }
    return top + " (caused by " + root.getClassName() + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
  }

  private static void writeField(JsonGenerator json, Set<String> written, String key, Object value) throws IOException {
    String name = key;
    while (!written.add(name)) {
      name = "_" + name;
    }
    json.writeFieldName(name);
    switch (value) {
      case null -> json.writeNull();
      case Integer i -> json.writeNumber(i);
      case Long l -> json.writeNumber(l);
      case Short s -> json.writeNumber(s);
      case Byte b -> json.writeNumber(b);
      case BigInteger bi -> json.writeNumber(bi);
      case BigDecimal bd -> json.writeNumber(bd);
      case Double d when Double.isFinite(d) -> json.writeNumber(d);
      case Float f when Float.isFinite(f) -> json.writeNumber(f);
      case Boolean b -> json.writeBoolean(b);
      default -> json.writeString(String.valueOf(value));
    }
  }

  private static String shortName(String loggerName) {
    if (loggerName == null) {
      return "";
    }
    int dot = loggerName.lastIndexOf('.');
    return dot < 0 ? loggerName : loggerName.substring(dot + 1);
  }
}
