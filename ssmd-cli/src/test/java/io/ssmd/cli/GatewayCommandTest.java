package io.ssmd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ssmd gateway key add|revoke|list} and the usage errors of {@code ssmd run gateway}. */
class GatewayCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private PrintStream savedErr;

  @TempDir Path dir;

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

  @Test
  void keysAreAddedListedAndRevokedAndNeverPrintedAgain() throws Exception {
    Path file = dir.resolve("keys.yaml");
    assertThat(run("gateway", "key", "add", "alice", "--file", file.toString(), "--feeds", "kalshi,kraken")).isZero();
    String key = out.toString(StandardCharsets.UTF_8).trim();
    assertThat(key).startsWith("ssmd_");
    assertThat(Files.readString(file)).doesNotContain(key);
    assertThat(run("gateway", "key", "add", "alice", "--file", file.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("already exists");
    assertThat(run("gateway", "key", "list", "--file", file.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("alice").contains("kalshi,kraken").doesNotContain(key);
    assertThat(run("gateway", "key", "revoke", "alice", "--file", file.toString())).isZero();
    assertThat(run("gateway", "key", "list", "--file", file.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain(" - ");
    assertThat(run("gateway", "key", "revoke", "bob", "--file", file.toString())).isEqualTo(2);
  }

  @Test
  void runGatewayNeedsAnExistingKeysFileWithAValidKey() throws Exception {
    Path missing = dir.resolve("none.yaml");
    assertThat(run("run", "gateway", "--env", "kraken-sim", "--api-keys", missing.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("ssmd gateway key add");
    Path file = dir.resolve("keys.yaml");
    run("gateway", "key", "add", "alice", "--file", file.toString());
    run("gateway", "key", "revoke", "alice", "--file", file.toString());
    assertThat(run("run", "gateway", "--env", "kraken-sim", "--api-keys", file.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no valid key");
  }

  @Test
  void runGatewayRejectsBadOptions() throws Exception {
    Path file = dir.resolve("keys.yaml");
    run("gateway", "key", "add", "alice", "--file", file.toString());
    assertThat(run("run", "gateway", "--env", "kraken-sim", "--api-keys", file.toString(), "--slow-client", "wait")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("drop_oldest or disconnect");
    assertThat(run("run", "gateway", "--env", "kraken-sim", "--api-keys", file.toString(), "--queue-size", "0")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("queue size");
    assertThat(run("run", "gateway", "--env", "kraken-sim", "--api-keys", file.toString(), "--auth-timeout", "soon")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--auth-timeout");
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    CommandLine cl = Main.commandLine();
    if (!cl.getSubcommands().containsKey("gateway")) {
      // until Main registers it (integration), the test mounts the command itself
      cl.addSubcommand("gateway", new GatewayCommand());
    }
    return cl.execute(args);
  }
}
