package io.ssmd.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmd.agent.SignalsFile;
import io.ssmd.worker.schedule.InputTypes;
import io.ssmd.worker.schedule.ScheduleDefinition;
import io.ssmd.worker.schedule.ScheduleFile;
import io.ssmd.worker.workflows.WorkflowCatalog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The files the seeder and the agent read, as their pods see them, loaded by the components' own
 * strict loaders: each overlay's schedules by the worker's {@link ScheduleFile} (inputs bound to
 * the workflow input records, {@code at: day_start} resolved from the mounted environments; the
 * seed's minCloseDaysAgo was dropped silently between a schedule and the worker) and the signals
 * by the agent's {@link SignalsFile}.
 */
class ScheduleFileTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"overlays/prod", "overlays/staging", "overlays/vault"})
  void seederSchedulesLoadWithTheWorkersLoaderAgainstTheDeployedEnvironments(String dir) {
    Rendered r = Rendered.of(dir);
    PodView seeder = podOf(r, "ssmd-schedule-seed", tmp.resolve("seed"));
    String file = seeder.args().stream().filter(a -> a.startsWith("--file=")).findFirst().orElseThrow().substring(7);
    List<ScheduleDefinition> schedules = ScheduleFile.load(seeder.at(file), InputTypes.catalog());
    String suffix = dir.equals("overlays/staging") ? "-staging" : "-prod";
    assertThat(schedules).hasSizeGreaterThanOrEqualTo(9)
        .allSatisfy(s -> assertThat(s.input().path("env").asText()).endsWith(suffix))
        .anySatisfy(s -> assertThat(s.workflow()).isEqualTo("DayStart"))
        .anySatisfy(s -> assertThat(s.workflow()).isEqualTo("DayEnd"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/prod", "overlays/staging"})
  void agentSignalsLoadWithTheAgentsLoader(String dir) {
    Rendered r = Rendered.of(dir);
    PodView agent = podOf(r, "ssmd-agent", tmp.resolve("agent"));
    String file = agent.args().stream().filter(a -> a.startsWith("--signals=")).findFirst().orElseThrow().substring(10);
    assertThat(SignalsFile.load(agent.at(file))).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"minCloseDays", "min_close_days_ago"})
  void aMisspelledInputFieldIsRejectedNotDropped(String field) {
    JsonNode input = Yaml.MAPPER.createObjectNode().put("env", "kalshi-prod").put(field, 7);
    assertThatThrownBy(() -> WorkflowCatalog.parseInput("SecmasterSync", input)).hasMessageContaining(field);
  }

  private static PodView podOf(Rendered r, String name, Path root) {
    ObjectNode w = r.workloads().stream().filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst().orElseThrow();
    PodView p = new PodView(r, w, Rendered.containers(w).getFirst(), new ExternalSecrets(), root);
    assertThat(p.problems).isEmpty();
    return p;
  }
}
