package io.ssmd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.testkit.FreePorts;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssmd schedule} in process: parsing, exit codes and messages; seed and trigger against a
 * port-bound Java test server (which has no Schedules API, so the seeder manages runner workflows).
 */
@Timeout(60)
class ScheduleCommandTest {
  private static final Path DEFAULT = Path.of("..", "exchanges", "schedules", "default.yaml");

  @TempDir Path dir;

  @RegisterExtension final ConsoleCapture cli = new ConsoleCapture();

  private Path file(String yaml) throws IOException {
    Path envs = Files.createDirectories(dir.resolve("environments"));
    Files.copy(Path.of("..", "exchanges", "environments", "kalshi-sim.yaml"), envs.resolve("kalshi-sim.yaml"));
    Path f = Files.createDirectories(dir.resolve("schedules")).resolve("s.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void listPrintsEveryScheduleOfTheDefaultFileWithItsNextFire() {
    assertThat(cli.run("schedule", "list", "--file", DEFAULT.toString())).isEqualTo(0);
    assertThat(cli.stdout().lines().findFirst()).get().asString().matches("ID +WORKFLOW +SPEC +NEXT FIRE +PAUSED");
    assertThat(cli.stdout()).contains("secmaster-kalshi-sim").contains("every 6h/15m").contains("day_start 00:10 UTC")
        .containsPattern("secmaster-kalshi-sim +SecmasterSync +every 6h/15m +\\d{4}-\\d\\d-\\d\\d \\d\\d:15Z +no");
    assertThat(cli.stdout().lines().count()).isEqualTo(10);
  }

  @Test
  void aBadFileExitsTwoNamingFileLineAndField() throws IOException {
    Path f = file("""
        - id: secmaster
          workflow: SecmasterSync
          every: 6h/15m
          input: {env: kalshi-sim, minCloseDayAgo: 3}
        """);
    assertThat(cli.run("schedule", "list", "--file", f.toString())).isEqualTo(2);
    assertThat(cli.stderr().strip()).startsWith("ssmd: " + f + ":4:").contains("[0].input.minCloseDayAgo: unknown field 'minCloseDayAgo'");
    assertThat(cli.run("schedule", "seed", "--dry-run", "--file", f.toString())).isEqualTo(2);
    assertThat(cli.run("schedule", "list", "--file", dir.resolve("missing.yaml").toString())).isEqualTo(2);
    assertThat(cli.stderr()).contains("missing.yaml: file not found");
  }

  @Test
  void describeShowsTheDefinitionAndNextFiresAndAnUnknownIdExitsOne() {
    assertThat(cli.run("schedule", "describe", "day-end-kalshi-sim", "--file", DEFAULT.toString())).isEqualTo(0);
    assertThat(cli.stdout()).contains("workflow:  DayEnd").contains("spec:      day_end 23:55 UTC").contains("input:     {\"env\":\"kalshi-sim\"}")
        .containsPattern("next: +\\d{4}-\\d\\d-\\d\\d 23:55Z, ");
    assertThat(cli.run("schedule", "describe", "nope", "--file", DEFAULT.toString())).isEqualTo(1);
    assertThat(cli.stderr().strip()).startsWith("ssmd: no schedule \"nope\" in " + DEFAULT + " (ids: secmaster-kalshi-sim, ");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(cli.run("schedule", "describe")).isEqualTo(2);
    assertThat(cli.stderr()).contains("Missing required parameter: 'ID'");
    assertThat(cli.run("schedule", "seed", "--bogus")).isEqualTo(2);
    assertThat(cli.run("schedule", "trigger", "x", "--address", "not an address")).isEqualTo(2);
    assertThat(cli.stderr()).contains("must be host:port");
  }

  @Test
  void anUnreachableServerExitsOneWithOneLine() {
    int port = FreePorts.pick();
    assertThat(cli.run("schedule", "trigger", "x", "--address", "127.0.0.1:" + port)).isEqualTo(1);
    assertThat(cli.stderr().strip()).startsWith("ssmd: cannot reach Temporal at 127.0.0.1:" + port).doesNotContain("\n");
  }

  @Test
  void seedPrintsThePlanAppliesItAndASecondSeedChangesNothing() throws IOException {
    int port = FreePorts.pick();
    try (TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port)) {
      String address = "127.0.0.1:" + port;
      assertThat(cli.run("schedule", "seed", "--dry-run", "--file", DEFAULT.toString(), "--address", address)).isEqualTo(0);
      assertThat(cli.stdout()).contains("plan for 9 schedules from " + DEFAULT + " into runner workflows at " + address
          + " (namespace default, task queue ssmd)").contains("CREATE    secmaster-kalshi-sim  SecmasterSync every 6h/15m")
          .contains("dry run: nothing changed");

      assertThat(cli.run("schedule", "seed", "--file", DEFAULT.toString(), "--address", address)).isEqualTo(0);
      assertThat(cli.stdout()).contains("9 created, 0 updated, 0 deleted, 0 unchanged, 0 kept");

      assertThat(cli.run("schedule", "seed", "--file", DEFAULT.toString(), "--address", address)).isEqualTo(0);
      assertThat(cli.stdout()).contains("UNCHANGED secmaster-kalshi-sim").contains("0 created, 0 updated, 0 deleted, 9 unchanged, 0 kept");

      Path f = file("""
          - id: secmaster-kalshi-sim
            workflow: SecmasterSync
            every: 6h/30m
            input: {env: kalshi-sim, mode: full}
            paused: true
          """);
      assertThat(cli.run("schedule", "seed", "--prune", "--file", f.toString(), "--address", address)).isEqualTo(0);
      assertThat(cli.stdout()).contains("UPDATE    secmaster-kalshi-sim  spec: every 6h/15m -> every 6h/30m; paused: false -> true")
          .contains("DELETE    day-end-kalshi-sim").contains("0 created, 1 updated, 8 deleted, 0 unchanged, 0 kept");

      assertThat(cli.run("schedule", "describe", "secmaster-kalshi-sim", "--file", f.toString(), "--address", address)).isEqualTo(0);
      assertThat(cli.stdout()).contains("server:    runner workflows at " + address).contains("in sync with the file");

      assertThat(cli.run("schedule", "trigger", "secmaster-kalshi-sim", "--address", address)).isEqualTo(0);
      assertThat(cli.stdout()).contains("triggered secmaster-kalshi-sim on runner workflows at " + address);
      assertThat(cli.run("schedule", "trigger", "day-end-kalshi-sim", "--address", address)).isEqualTo(1);
      assertThat(cli.stderr().strip()).isEqualTo("ssmd: no schedule \"day-end-kalshi-sim\" on the server: run ssmd schedule seed first");
    }
  }
}
