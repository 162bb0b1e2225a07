package io.ssmd.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard is well formed, every query is valid PromQL (promtool parses them as
 * recording rules), and every {@code ssmd_} series the dashboard and the alerts query is one a
 * component declares in its metric-name constants, so a renamed metric cannot leave a panel or an
 * alert silently empty.
 */
class DashboardAndMetricNamesTest {
  private static final Path DASHBOARD = PromtoolTest.MONITORING.resolve("dashboards/ssmd-pipeline.json");
  private static final Pattern SSMD_SERIES = Pattern.compile("ssmd_[a-z0-9_]+");
  /**
   * Series the alerts need that no component exports yet, with who provides them. The test fails
   * once a component declares one, so the entry is removed when it lands.
   */
  private static final Map<String, String> REQUESTED = Map.of();
  private static final List<Class<?>> METRIC_CLASSES = List.of(io.ssmd.connector.ConnectorMetrics.class,
      io.ssmd.archiver.ArchiverMetrics.class, io.ssmd.gateway.GatewayMetrics.class, io.ssmd.agent.AgentMetrics.class,
      io.ssmd.worker.WorkerMetrics.class);

  @TempDir Path tmp;

  @Test
  void dashboardIsWellFormedAndCoversThePipeline() throws Exception {
    JsonNode d = new ObjectMapper().readTree(DASHBOARD.toFile());
    assertThat(d.path("uid").asText()).isEqualTo("ssmd-pipeline");
    Set<Integer> ids = new HashSet<>();
    List<String> titles = new ArrayList<>();
    for (JsonNode p : d.path("panels")) {
      assertThat(ids.add(p.path("id").asInt())).as("unique panel id " + p.path("id")).isTrue();
      assertThat(p.path("gridPos").path("w").asInt()).isBetween(1, 24);
      titles.add(p.path("title").asText());
      if (!p.path("type").asText().equals("row")) {
        assertThat(p.path("targets")).as(p.path("title").asText() + " has queries").isNotEmpty();
      }
    }
    assertThat(titles).contains("Messages received per feed", "Connector lag", "Archiver bytes written", "Archive gaps and upload failures",
        "Gateway clients", "Task schedule-to-start (mean)", "Workflows failed", "Day status age");
  }

  @Test
  void everyDashboardQueryIsValidPromql() throws Exception {
    Assumptions.assumeTrue(PromtoolTest.promtool().isPresent(), "promtool is not on PATH: install the prometheus package (./run-tests does)");
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    int n = 0;
    for (String expr : dashboardExprs()) {
      // Grafana variables as a user would select them
      String e = expr.replace("$namespace", "ssmd").replace("$feed", ".*");
      rules.append("      - record: dashboard:query_").append(n++).append('\n')
          .append("        expr: ").append(new ObjectMapper().writeValueAsString(e)).append('\n');
    }
    Files.writeString(tmp.resolve("dashboard-rules.yaml"), rules);
    PromtoolTest.Run r = PromtoolTest.run(tmp, null, "check", "rules", "dashboard-rules.yaml");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(n).isGreaterThanOrEqualTo(15);
  }

  @Test
  void everySsmdSeriesQueriedIsDeclaredByAComponent() throws Exception {
    Set<String> declared = declaredNames();
    assertThat(declared).contains("ssmd_connector_messages_received", "ssmd_archiver_gaps", "ssmd_gateway_dropped");
    Set<String> queried = new TreeSet<>();
    for (String expr : dashboardExprs()) {
      queried.addAll(series(expr));
    }
    queried.addAll(series(Files.readString(PromtoolTest.MONITORING.resolve("prometheus-rules.yaml"))));
    List<String> unknown = queried.stream().filter(s -> !declared.contains(s) && !REQUESTED.containsKey(s)).toList();
    assertThat(unknown).as("queried but declared by no component's metric constants").isEmpty();
    for (String requested : REQUESTED.keySet()) {
      assertThat(declared).as(requested + " is now declared: remove it from REQUESTED").doesNotContain(base(requested));
    }
  }

  private static Set<String> declaredNames() throws IllegalAccessException {
    Set<String> out = new TreeSet<>();
    for (Class<?> c : METRIC_CLASSES) {
      for (Field f : c.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && f.get(null) instanceof String s && s.startsWith("ssmd_")) {
          out.add(base(s));
        }
      }
    }
    return out;
  }

  private static Set<String> series(String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = SSMD_SERIES.matcher(text);
    while (m.find()) {
      out.add(base(m.group()));
    }
    return out;
  }

  /** The metric family: exposition suffixes removed. */
  private static String base(String name) {
    return name.replaceFirst("_(total|bucket|sum|count|max|created)$", "");
  }

  private static List<String> dashboardExprs() throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode p : new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels")) {
      p.path("targets").forEach(t -> out.add(t.path("expr").asText()));
    }
    return out;
  }
}
