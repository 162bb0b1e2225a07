package io.ssmd.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class JsonLayoutTest {
  private final ObjectMapper mapper = new ObjectMapper();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  // The SLF4J-bound context: its MDC adapter is the one org.slf4j.MDC writes to.
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private JsonLayout layout;
  private Logger logger;

  @BeforeEach
  void setUp() {
    layout = new JsonLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    Logger parent = context.getLogger("jsonlayouttest.connector");
    parent.detachAndStopAllAppenders();
    parent.setAdditive(false);
    parent.addAppender(appender);
    parent.setLevel(Level.INFO);
    logger = context.getLogger("jsonlayouttest.connector.Connector");
  }

  private Logger parent() {
    return context.getLogger("jsonlayouttest.connector");
  }

  private List<JsonNode> lines() throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      nodes.add(mapper.readTree(line));
    }
    return nodes;
  }

  @Test
  void writesOneJsonObjectPerLineWithKeyValuesAsTypedFields() throws IOException {
    MDC.put("component", "connector");
    try {
      logger.atInfo().addKeyValue("symbols", 42).addKeyValue("fraction", 0.5).addKeyValue("live", true)
          .addKeyValue("feed", "kalshi").log("connected to {}", "kalshi");
    } finally {
      MDC.remove("component");
    }
    logger.warn("second line");

    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n");
    List<JsonNode> lines = lines();
    assertThat(lines).hasSize(2);
    JsonNode first = lines.get(0);
    assertThat(first.get("level").asText()).isEqualTo("info");
    assertThat(first.get("ts").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    assertThat(first.get("component").asText()).isEqualTo("connector");
    assertThat(first.get("msg").asText()).isEqualTo("connected to kalshi");
    assertThat(first.get("symbols").isInt()).isTrue();
    assertThat(first.get("symbols").asInt()).isEqualTo(42);
    assertThat(first.get("fraction").asDouble()).isEqualTo(0.5);
    assertThat(first.get("live").isBoolean()).isTrue();
    assertThat(first.get("feed").asText()).isEqualTo("kalshi");
    assertThat(text.split("\n")[0]).startsWith("{\"level\":\"info\",\"ts\":\"");

    JsonNode second = lines.get(1);
    assertThat(second.get("level").asText()).isEqualTo("warn");
    assertThat(second.get("component").asText()).as("falls back to the logger's short name").isEqualTo("Connector");
  }

  @Test
  void keyClashingWithAFixedFieldIsPrefixed() throws IOException {
    logger.atInfo().addKeyValue("msg", "sneaky").log("real message");
    JsonNode line = lines().get(0);
    assertThat(line.get("msg").asText()).isEqualTo("real message");
    assertThat(line.get("_msg").asText()).isEqualTo("sneaky");
  }

  @Test
  void throwableGivesErrorAlwaysAndStackOnlyWhenVerbose() throws IOException {
    IllegalStateException failure = new IllegalStateException("boom", new java.io.IOException("disk full"));
    logger.error("write failed", failure);
    parent().setLevel(Level.DEBUG);
    logger.error("write failed again", failure);

    List<JsonNode> lines = lines();
    assertThat(lines.get(0).get("error").asText())
        .isEqualTo("java.lang.IllegalStateException: boom (caused by java.io.IOException: disk full)");
    assertThat(lines.get(0).has("stack")).isFalse();
    assertThat(lines.get(1).get("stack").asText()).contains("JsonLayoutTest").contains("disk full");
  }

  @Test
  void includeStackForcesTheStack() throws IOException {
    layout.setIncludeStack(true);
    logger.warn("oops", new RuntimeException("x"));
    assertThat(lines().get(0).get("stack").asText()).contains("java.lang.RuntimeException: x");
  }
}
