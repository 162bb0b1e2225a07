package io.ssmd.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NatsServerProcessIT {

  @Test
  void startsJetStreamServerOnLoopbackAndStopsIt() throws Exception {
    Path tempDir;
    try (NatsServerProcess nats = NatsServerProcess.start()) {
      tempDir = nats.storeDir().getParent();
      assertThat(nats.url()).isEqualTo("nats://127.0.0.1:" + nats.port());
      assertThat(info(nats.port())).contains("\"jetstream\":true");
      assertThat(nats.logFile()).exists();
      assertThat(Files.readString(nats.logFile())).contains("Server is ready");

      nats.stop();
      assertThat(nats.isRunning()).isFalse();
      assertThat(FreePorts.isListening(nats.port())).isFalse();
    }
    assertThat(tempDir).doesNotExist();
  }

  @Test
  void restartKeepsPortAndJetStreamStore() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.start()) {
      int port = nats.port();
      createStream(port, "KEEP");
      assertThat(Files.list(nats.storeDir()).toList()).isNotEmpty();

      nats.restart();
      assertThat(nats.port()).isEqualTo(port);
      assertThat(nats.isRunning()).isTrue();
      assertThat(streamNames(port)).contains("KEEP");

      nats.kill();
      assertThat(FreePorts.isListening(port)).isFalse();
      nats.startAgain();
      assertThat(streamNames(port)).contains("KEEP");
    }
  }

  @Test
  void reportsStartupFailureWithTheServerLog() {
    assertThatThrownBy(() -> NatsServerProcess.start(List.of("--no-such-flag")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited");
  }

  @Test
  void missingBinaryGivesInstallHint(@TempDir Path empty) {
    assertThat(NatsServerProcess.findBinary(List.of(empty))).isEmpty();
    assertThat(NatsServerProcess.findBinary(NatsServerProcess.searchPath())).isPresent();
    assertThat(NatsServerProcess.NOT_FOUND).isEqualTo("nats-server not found; run ./run-tests which installs it");
  }

  private static String info(int port) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }
  }

  /** Speaks the plain NATS text protocol so the testkit needs no client library. */
  private static String request(int port, String subject, String body) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      in.readLine();
      byte[] payload = body.getBytes(StandardCharsets.UTF_8);
      String cmd = "CONNECT {\"verbose\":false}\r\nSUB _INBOX.t 1\r\nPUB " + subject + " _INBOX.t " + payload.length + "\r\n" + body + "\r\n";
      out.write(cmd.getBytes(StandardCharsets.UTF_8));
      out.flush();
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("MSG ")) {
          return in.readLine();
        }
      }
      throw new IllegalStateException("no reply to " + subject);
    }
  }

  private static void createStream(int port, String name) throws Exception {
    String reply = request(port, "$JS.API.STREAM.CREATE." + name,
        "{\"name\":\"" + name + "\",\"subjects\":[\"keep.>\"],\"storage\":\"file\"}");
    assertThat(reply).contains("\"name\":\"" + name + "\"").doesNotContain("\"error\"");
  }

  private static String streamNames(int port) throws Exception {
    return request(port, "$JS.API.STREAM.NAMES", "{}");
  }
}
