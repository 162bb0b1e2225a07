package io.ssmd.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ssmd.worker.workflows.WorkflowCatalog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schedules each overlay seeds: every input binds strictly to its workflow's input record
 * (WorkflowCatalog, unknown fields rejected: the seed's minCloseDaysAgo was dropped silently
 * between a schedule and the worker) and names an environment the same overlay deploys.
 */
class ScheduleFileTest {
  private static final Set<String> KEYS = Set.of("id", "workflow", "every", "input", "paused");

  @ParameterizedTest
  @ValueSource(strings = {"overlays/prod", "overlays/staging", "overlays/vault"})
  void everyScheduleInputBindsToItsWorkflowAndNamesADeployedEnvironment(String dir) throws Exception {
    Rendered r = Rendered.of(dir);
    JsonNode data = r.objects().stream().filter(o -> o.path("metadata").path("name").asText().startsWith("ssmd-schedules-"))
        .findFirst().orElseThrow().path("data");
    JsonNode schedules = Yaml.MAPPER.readTree(data.path("schedules.yaml").asText());
    Set<String> environments = new HashSet<>();
    r.objects().stream().filter(o -> o.path("metadata").path("name").asText().startsWith("ssmd-environments-"))
        .findFirst().orElseThrow().path("data").fieldNames()
        .forEachRemaining(f -> environments.add(f.replaceFirst("\\.yaml$", "")));
    List<String> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    assertThat(schedules.isArray() && !schedules.isEmpty()).isTrue();
    for (JsonNode s : schedules) {
      String id = s.path("id").asText();
      s.fieldNames().forEachRemaining(k -> {
        if (!KEYS.contains(k)) {
          problems.add(id + ": unknown key " + k);
        }
      });
      if (!ids.add(id)) {
        problems.add(id + ": duplicate id");
      }
      if (!s.path("every").asText().matches("\\d+[mhd](/\\d+[smhd])?")) {
        problems.add(id + ": every must be INTERVAL[/OFFSET] such as 6h/15m, got " + s.path("every"));
      }
      try {
        WorkflowCatalog.parseInput(s.path("workflow").asText(), s.path("input"));
      } catch (IllegalArgumentException e) {
        problems.add(id + ": " + e.getMessage());
      }
      String env = s.path("input").path("env").asText(null);
      if (env != null && !environments.contains(env)) {
        problems.add(id + ": input.env " + env + " is not an environment of " + dir + " " + environments);
      }
    }
    assertThat(problems).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"minCloseDays", "min_close_days_ago"})
  void aMisspelledInputFieldIsRejectedNotDropped(String field) {
    JsonNode input = Yaml.MAPPER.createObjectNode().put("env", "kalshi-prod").put(field, 7);
    assertThatThrownBy(() -> WorkflowCatalog.parseInput("SecmasterSync", input)).hasMessageContaining(field);
  }
}
