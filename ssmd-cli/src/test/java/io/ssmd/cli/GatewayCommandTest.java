package io.ssmd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssmd gateway key add|revoke|list} and the usage errors of {@code ssmd run gateway}. */
class GatewayCommandTest {
  @RegisterExtension final ConsoleCapture cli = new ConsoleCapture();

  @TempDir Path dir;

  @Test
  void keysAreAddedListedAndRevokedAndNeverPrintedAgain() throws Exception {
    Path file = dir.resolve("keys.yaml");
    assertThat(cli.run("gateway", "key", "add", "alice", "--file", file.toString(), "--feeds", "kalshi,kraken")).isZero();
    String key = cli.stdout().trim();
    assertThat(key).startsWith("ssmd_");
    assertThat(Files.readString(file)).doesNotContain(key);
    assertThat(cli.run("gateway", "key", "add", "alice", "--file", file.toString())).isEqualTo(2);
    assertThat(cli.stderr()).contains("already exists");
    assertThat(cli.run("gateway", "key", "list", "--file", file.toString())).isZero();
    assertThat(cli.stdout()).contains("alice").contains("kalshi,kraken").doesNotContain(key);
    assertThat(cli.run("gateway", "key", "revoke", "alice", "--file", file.toString())).isZero();
    assertThat(cli.run("gateway", "key", "list", "--file", file.toString())).isZero();
    assertThat(cli.stdout()).doesNotContain(" - ");
    assertThat(cli.run("gateway", "key", "revoke", "bob", "--file", file.toString())).isEqualTo(2);
  }

  @Test
  void runGatewayNeedsAnExistingKeysFileWithAValidKey() throws Exception {
    Path missing = dir.resolve("none.yaml");
    assertThat(cli.run("run", "gateway", "--env", "kraken-sim", "--api-keys", missing.toString())).isEqualTo(2);
    assertThat(cli.stderr()).contains("ssmd gateway key add");
    Path file = dir.resolve("keys.yaml");
    cli.run("gateway", "key", "add", "alice", "--file", file.toString());
    cli.run("gateway", "key", "revoke", "alice", "--file", file.toString());
    assertThat(cli.run("run", "gateway", "--env", "kraken-sim", "--api-keys", file.toString())).isEqualTo(2);
    assertThat(cli.stderr()).contains("no valid key");
  }

  @Test
  void runGatewayRejectsBadOptions() throws Exception {
    Path file = dir.resolve("keys.yaml");
    cli.run("gateway", "key", "add", "alice", "--file", file.toString());
    assertThat(cli.run("run", "gateway", "--env", "kraken-sim", "--api-keys", file.toString(), "--slow-client", "wait")).isEqualTo(2);
    assertThat(cli.stderr()).contains("drop_oldest or disconnect");
    assertThat(cli.run("run", "gateway", "--env", "kraken-sim", "--api-keys", file.toString(), "--queue-size", "0")).isEqualTo(2);
    assertThat(cli.stderr()).contains("queue size");
    assertThat(cli.run("run", "gateway", "--env", "kraken-sim", "--api-keys", file.toString(), "--auth-timeout", "soon")).isEqualTo(2);
    assertThat(cli.stderr()).contains("--auth-timeout");
  }
}
