package io.ssmd.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedisServerProcessIT {

  @Test
  void startsServerOnLoopbackWithoutPersistenceAndRemovesItOnClose() throws Exception {
    Path tempDir;
    int port;
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      port = redis.port();
      tempDir = redis.logFile().getParent();
      assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + port);
      assertThat(redis.isRunning()).isTrue();
      assertThat(command(port, "SET k v")).isEqualTo("+OK");
      assertThat(command(port, "GET k")).isEqualTo("$1");
      assertThat(command(port, "CONFIG GET save")).isEqualTo("*2");
    }
    assertThat(FreePorts.isListening(port)).isFalse();
    assertThat(tempDir).doesNotExist();
  }

  @Test
  void findsNoBinaryInDirectoriesWithoutIt(@TempDir Path empty) {
    assertThat(RedisServerProcess.findBinary(List.of(empty))).isEmpty();
  }

  /** First line of the server's reply to an inline command. */
  private static String command(int port, String line) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }
  }
}
