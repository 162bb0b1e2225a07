package io.ssmd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.testkit.FreePorts;
import io.temporal.testserver.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private PrintStream savedErr;

  @BeforeEach
  void capture() {
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(savedOut);
    System.setErr(savedErr);
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    return Main.execute(args);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path file(String yaml) throws IOException {
    Path envs = Files.createDirectories(dir.resolve("environments"));
    Files.copy(Path.of("..", "exchanges", "environments", "kalshi-sim.yaml"), envs.resolve("kalshi-sim.yaml"));
    Path f = Files.createDirectories(dir.resolve("schedules")).resolve("s.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void listPrintsEveryScheduleOfTheDefaultFileWithItsNextFire() {
    assertThat(run("schedule", "list", "--file", DEFAULT.toString())).isEqualTo(0);
    assertThat(stdout().lines().findFirst()).get().asString().matches("ID +WORKFLOW +SPEC +NEXT FIRE +PAUSED");
    assertThat(stdout()).contains("secmaster-kalshi-sim").contains("every 6h/15m").contains("day_start 00:10 UTC")
        .containsPattern("secmaster-kalshi-sim +SecmasterSync +every 6h/15m +\\d{4}-\\d\\d-\\d\\d \\d\\d:15Z +no");
    assertThat(stdout().lines().count()).isEqualTo(10);
  }

  @Test
  void aBadFileExitsTwoNamingFileLineAndField() throws IOException {
    Path f = file("""
        - id: secmaster
          workflow: SecmasterSync
          every: 6h/15m
          input: {env: kalshi-sim, minCloseDayAgo: 3}
        """);
    assertThat(run("schedule", "list", "--file", f.toString())).isEqualTo(2);
    assertThat(stderr().strip()).startsWith("ssmd: " + f + ":4:").contains("[0].input.minCloseDayAgo: unknown field 'minCloseDayAgo'");
    assertThat(run("schedule", "seed", "--dry-run", "--file", f.toString())).isEqualTo(2);
    assertThat(run("schedule", "list", "--file", dir.resolve("missing.yaml").toString())).isEqualTo(2);
    assertThat(stderr()).contains("missing.yaml: file not found");
  }

  @Test
  void describeShowsTheDefinitionAndNextFiresAndAnUnknownIdExitsOne() {
    assertThat(run("schedule", "describe", "day-end-kalshi-sim", "--file", DEFAULT.toString())).isEqualTo(0);
    assertThat(stdout()).contains("workflow:  DayEnd").contains("spec:      day_end 23:55 UTC").contains("input:     {\"env\":\"kalshi-sim\"}")
        .containsPattern("next: +\\d{4}-\\d\\d-\\d\\d 23:55Z, ");
    assertThat(run("schedule", "describe", "nope", "--file", DEFAULT.toString())).isEqualTo(1);
    assertThat(stderr().strip()).startsWith("ssmd: no schedule \"nope\" in " + DEFAULT + " (ids: secmaster-kalshi-sim, ");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run("schedule", "describe")).isEqualTo(2);
    assertThat(stderr()).contains("Missing required parameter: 'ID'");
    assertThat(run("schedule", "seed", "--bogus")).isEqualTo(2);
    assertThat(run("schedule", "trigger", "x", "--address", "not an address")).isEqualTo(2);
    assertThat(stderr()).contains("must be host:port");
  }

  @Test
  void anUnreachableServerExitsOneWithOneLine() {
    int port = FreePorts.pick();
    assertThat(run("schedule", "trigger", "x", "--address", "127.0.0.1:" + port)).isEqualTo(1);
    assertThat(stderr().strip()).startsWith("ssmd: cannot reach Temporal at 127.0.0.1:" + port).doesNotContain("\n");
  }

  @Test
  void seedPrintsThePlanAppliesItAndASecondSeedChangesNothing() throws IOException {
    int port = FreePorts.pick();
    try (TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port)) {
      String address = "127.0.0.1:" + port;
      assertThat(run("schedule", "seed", "--dry-run", "--file", DEFAULT.toString(), "--address", address)).isEqualTo(0);
      assertThat(stdout()).contains("plan for 9 schedules from " + DEFAULT + " into runner workflows at " + address
          + " (namespace default, task queue ssmd)").contains("CREATE    secmaster-kalshi-sim  SecmasterSync every 6h/15m")
          .contains("dry run: nothing changed");

      assertThat(run("schedule", "seed", "--file", DEFAULT.toString(), "--address", address)).isEqualTo(0);
      assertThat(stdout()).contains("9 created, 0 updated, 0 deleted, 0 unchanged, 0 kept");

      assertThat(run("schedule", "seed", "--file", DEFAULT.toString(), "--address", address)).isEqualTo(0);
      assertThat(stdout()).contains("UNCHANGED secmaster-kalshi-sim").contains("0 created, 0 updated, 0 deleted, 9 unchanged, 0 kept");

      Path f = file("""
          - id: secmaster-kalshi-sim
            workflow: SecmasterSync
            every: 6h/30m
            input: {env: kalshi-sim, mode: full}
            paused: true
          """);
      assertThat(run("schedule", "seed", "--prune", "--file", f.toString(), "--address", address)).isEqualTo(0);
      assertThat(stdout()).contains("UPDATE    secmaster-kalshi-sim  spec: every 6h/15m -> every 6h/30m; paused: false -> true")
          .contains("DELETE    day-end-kalshi-sim").contains("0 created, 1 updated, 8 deleted, 0 unchanged, 0 kept");

      assertThat(run("schedule", "describe", "secmaster-kalshi-sim", "--file", f.toString(), "--address", address)).isEqualTo(0);
      assertThat(stdout()).contains("server:    runner workflows at " + address).contains("in sync with the file");

      assertThat(run("schedule", "trigger", "secmaster-kalshi-sim", "--address", address)).isEqualTo(0);
      assertThat(stdout()).contains("triggered secmaster-kalshi-sim on runner workflows at " + address);
      assertThat(run("schedule", "trigger", "day-end-kalshi-sim", "--address", address)).isEqualTo(1);
      assertThat(stderr().strip()).isEqualTo("ssmd: no schedule \"day-end-kalshi-sim\" on the server: run ssmd schedule seed first");
    }
  }
}
