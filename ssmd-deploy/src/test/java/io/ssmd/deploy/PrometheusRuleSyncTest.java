package io.ssmd.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The PrometheusRule (deploy/monitoring/prometheusrule.yaml) carries exactly the groups of the
 * plain rule file promtool checks; {@code -Dssmd.regenerate-rules=true} rewrites it.
 */
class PrometheusRuleSyncTest {
  private static final Path PLAIN = PromtoolTest.MONITORING.resolve("prometheus-rules.yaml");
  private static final Path WRAPPED = PromtoolTest.MONITORING.resolve("prometheusrule.yaml");

  static List<String> alertNames() {
    List<String> out = new ArrayList<>();
    for (JsonNode g : Kustomize.read(PLAIN).getFirst().path("groups")) {
      g.path("rules").forEach(r -> out.add(r.path("alert").asText()));
    }
    return out;
  }

  @Test
  void prometheusRuleWrapsExactlyThePlainRuleFile() throws Exception {
    if (Boolean.getBoolean("ssmd.regenerate-rules")) {
      Files.writeString(WRAPPED, render(Files.readString(PLAIN)));
    }
    JsonNode plain = Kustomize.read(PLAIN).getFirst().path("groups");
    JsonNode wrapped = Kustomize.read(WRAPPED).getFirst().path("spec").path("groups");
    assertThat(wrapped).as(WRAPPED + " is out of date: run mvn -pl ssmd-deploy test -Dtest=PrometheusRuleSyncTest "
        + "-Dssmd.regenerate-rules=true").isEqualTo(plain);
    assertThat(Files.readString(WRAPPED)).isEqualTo(render(Files.readString(PLAIN)));
    assertThat(alertNames()).contains("ConnectorNoData", "ConnectorHighLag", "ArchiverLagging", "ArchiverGaps",
        "ArchiverUploadFailures", "GatewayDroppingMessages", "WorkerTaskBacklog", "WorkflowFailed", "DayStatusStale");
  }

  /** The wrapper: header, metadata, then the plain file's body indented under spec. */
  static String render(String plain) {
    StringBuilder body = new StringBuilder();
    for (String line : plain.strip().split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      body.append(line.isBlank() ? "" : "  " + line).append('\n');
    }
    return """
        # Generated from prometheus-rules.yaml for the Prometheus Operator; PrometheusRuleSyncTest fails
        # when the two differ (regenerate: mvn -pl ssmd-deploy test -Dtest=PrometheusRuleSyncTest -Dssmd.regenerate-rules=true).
        apiVersion: monitoring.coreos.com/v1
        kind: PrometheusRule
        metadata:
          name: ssmd
          labels:
            app.kubernetes.io/name: ssmd
            app.kubernetes.io/component: monitoring
            # the label the Prometheus Operator's ruleSelector usually matches; adjust to your install
            release: prometheus
        spec:
        """ + body;
  }
}
