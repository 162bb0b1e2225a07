package io.ssmd.worker.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ssmd.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleFileTest {
  private static final Path EXCHANGES = Path.of("..", "exchanges");

  @TempDir Path dir;
  private Path file;

  @BeforeEach
  void environments() throws IOException {
    Path envs = Files.createDirectories(dir.resolve("environments"));
    Files.createDirectories(dir.resolve("schedules"));
    String prod = Files.readString(EXCHANGES.resolve("environments/kalshi-prod.yaml"));
    Files.writeString(envs.resolve("kalshi-prod.yaml"), prod);
    Files.writeString(envs.resolve("late-prod.yaml"), prod.replace("name: kalshi-prod", "name: late-prod")
        .replace("day_start: \"00:10\", day_end: \"23:55\"", "day_start: \"02:30\", day_end: \"18:00\""));
    file = dir.resolve("schedules/test.yaml");
  }

  private List<ScheduleDefinition> load(String yaml) throws IOException {
    Files.writeString(file, yaml);
    return ScheduleFile.load(file, InputTypes.catalog());
  }

  private String error(String yaml) throws IOException {
    Files.writeString(file, yaml);
    try {
      ScheduleFile.load(file, InputTypes.catalog());
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected the file to be rejected:\n" + yaml);
  }

  @Test
  void readsEveryCronAndAtSchedulesWithTheirInputs() throws IOException {
    List<ScheduleDefinition> defs = load("""
        - id: secmaster
          workflow: SecmasterSync
          every: 6h/15m
          input: {env: kalshi-prod, mode: active, minCloseDaysAgo: 3, minVolume: 10.50}
        - id: fees
          workflow: FeesSync
          cron: "0 5 * * 1-5"
          timezone: America/New_York
          input: {env: kalshi-prod}
          paused: true
        - id: start
          workflow: DayStart
          at: day_start
          input: {env: late-prod}
        """);
    assertThat(defs).extracting(ScheduleDefinition::id).containsExactly("secmaster", "fees", "start");
    assertThat(defs.get(0).spec()).isEqualTo(ScheduleSpec.parseEvery("6h/15m"));
    assertThat(defs.get(0).inputJson()).isEqualTo("{\"env\":\"kalshi-prod\",\"minCloseDaysAgo\":3,\"minVolume\":10.50,\"mode\":\"active\"}");
    assertThat(defs.get(1).spec()).isEqualTo(new ScheduleSpec.Cron(CronExpression.parse("0 5 * * 1-5"), ZoneId.of("America/New_York")));
    assertThat(defs.get(1).paused()).isTrue();
    assertThat(defs.get(2).spec()).isEqualTo(new ScheduleSpec.Daily(LocalTime.of(2, 30), ZoneId.of("America/New_York"), "day_start"));
  }

  @Test
  void anUnknownInputFieldIsAnErrorNamingTheFieldAndItsLine() throws IOException {
    String msg = error("""
        - id: secmaster
          workflow: SecmasterSync
          every: 6h/15m
          input:
            env: kalshi-prod
            minCloseDayAgo: 3
        """);
    assertThat(msg).isEqualTo(file + ":6:5: [0].input.minCloseDayAgo: unknown field 'minCloseDayAgo' of SecmasterSync's input "
        + "SecmasterSyncInput (expected one of: env, mode, series, category, tags, minVolume, minCloseDaysAgo, incremental)");
  }

  @Test
  void aWrongInputTypeNamesTheFieldAndWhatWasExpected() throws IOException {
    assertThat(error("""
        - id: secmaster
          workflow: SecmasterSync
          every: 6h/15m
          input: {env: kalshi-prod, minCloseDaysAgo: "3"}
        """)).startsWith(file + ":4:").endsWith("[0].input.minCloseDaysAgo: expected an integer, got \"3\"");
    assertThat(error("""
        - id: secmaster
          workflow: SecmasterSync
          every: 6h/15m
          input: {env: kalshi-prod, tags: beta}
        """)).endsWith("[0].input.tags: expected a list, got \"beta\"");
  }

  @Test
  void aValueTheInputRecordRejectsIsReportedWithItsMessage() throws IOException {
    assertThat(error("""
        - id: secmaster
          workflow: SecmasterSync
          every: 6h/15m
          input: {env: kalshi-prod, mode: everything}
        """)).isEqualTo(file + ":4:3: [0].input: SecmasterSyncInput.mode must be one of full, active, series; got 'everything'");
  }

  @Test
  void unknownKeysWorkflowsAndSpecsAreAllReportedAtOnce() throws IOException {
    String msg = error("""
        - id: a
          workflow: SecmasterSink
          every: 6h/15m
        - id: b
          workflow: FeesSync
          evry: 6h
          input: {env: kalshi-prod}
        - id: c
          workflow: FeesSync
          every: 6h
          cron: "0 * * * *"
          input: {env: kalshi-prod}
        - id: d
          workflow: FeesSync
          cron: "0 25 * * *"
          input: {env: kalshi-prod}
        """);
    assertThat(msg.lines().toList()).containsExactly(
        file + ":2:3: [0].workflow: unknown workflow \"SecmasterSink\" (expected one of: DataQuality, DayEnd, DayStart, "
            + "ExchangeSync, FeesSync, Notify, SecmasterSync)",
        file + ":4:3: [1]: missing when it fires: give one of every (\"6h/15m\"), cron (\"M H DoM Mon DoW\") or at (day_start, day_end)",
        file + ":6:3: [1].evry: unknown key 'evry' (expected one of: id, workflow, every, cron, at, timezone, input, paused)",
        file + ":11:3: [2].cron: give only one of every, cron, at (found every and cron)",
        file + ":15:3: [3].cron: cron: hour 25 is outside 0-23");
  }

  @Test
  void atNeedsAnExistingEnvironmentAndTakesNoTimezone() throws IOException {
    assertThat(error("""
        - id: start
          workflow: DayStart
          at: day_start
          input: {env: nowhere-prod}
        """)).startsWith(file + ":4:").contains("[0].input.env: no environment \"nowhere-prod\"");
    assertThat(error("""
        - id: start
          workflow: DayStart
          at: noon
          input: {env: kalshi-prod}
        """)).endsWith("[0].at: expected one of: day_start, day_end, got \"noon\"");
    assertThat(error("""
        - id: start
          workflow: DayStart
          at: day_end
          timezone: UTC
          input: {env: kalshi-prod}
        """)).endsWith("[0].timezone: not used with at: the environment's schedule.timezone applies; remove it");
  }

  @Test
  void duplicateIdsAndBadShapesAreRejected() throws IOException {
    assertThat(error("""
        - {id: a, workflow: FeesSync, every: 1h, input: {env: kalshi-prod}}
        - {id: a, workflow: FeesSync, every: 2h, input: {env: kalshi-prod}}
        """)).isEqualTo(file + ":2:4: [1].id: duplicate id \"a\" (also [0]); ids must be unique in a file");
    assertThat(error("id: a\n")).isEqualTo(file + ":1:1: expected a list of schedules (\"- id: ...\"), got a mapping");
    assertThat(error("")).contains("the file is empty");
    assertThat(error("- {id: a, workflow: FeesSync, every: 1h, paused: \"yes\", input: {env: kalshi-prod}}\n"))
        .endsWith("[0].paused: expected true or false, got \"yes\"");
    assertThat(error("- {id: a, workflow: FeesSync, every: 1h, every: 2h}\n")).contains("invalid YAML").contains("every");
  }

  @Test
  void aMissingFileSaysSo() {
    assertThatThrownBy(() -> ScheduleFile.load(dir.resolve("none.yaml"), InputTypes.catalog()))
        .isInstanceOf(ConfigException.class).hasMessageEndingWith("none.yaml: file not found");
  }

  @Test
  void theShippedScheduleFilesLoadAgainstTheShippedEnvironments() {
    List<ScheduleDefinition> defs = ScheduleFile.load(EXCHANGES.resolve("schedules/default.yaml"), InputTypes.catalog());
    assertThat(defs).hasSize(9);
    ScheduleDefinition secmaster = defs.stream().filter(d -> d.workflow().equals("SecmasterSync")).findFirst().orElseThrow();
    assertThat(secmaster.spec().encode()).isEqualTo("every 6h/15m");
    assertThat(defs).filteredOn(d -> d.workflow().equals("DayStart")).hasSize(3)
        .allSatisfy(d -> assertThat(d.spec()).isInstanceOf(ScheduleSpec.Daily.class));
    assertThat(defs).filteredOn(d -> d.workflow().equals("ExchangeSync")).extracting(d -> d.input().get("env").asText())
        .containsExactlyInAnyOrder("kraken-sim", "polymarket-sim");
    List<ScheduleDefinition> prod = ScheduleFile.load(EXCHANGES.resolve("schedules/prod.yaml"), InputTypes.catalog());
    ScheduleDefinition dayEnd = prod.stream().filter(d -> d.id().equals("day-end-kalshi-prod")).findFirst().orElseThrow();
    // kalshi-prod: 23:55 America/New_York
    assertThat(dayEnd.spec().nextAfter(Instant.parse("2026-11-22T12:00:00Z"))).isEqualTo(Instant.parse("2026-11-23T04:55:00Z"));
  }
}
