package io.ssmd.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code redis-server}, started as a child process for tests and benchmarks.
 *
 * <p>Listens on 127.0.0.1 at a free port with persistence off ({@code --save "" --appendonly no})
 * and its working directory in a private temporary directory, removed on {@link #close()}. The
 * server's own log goes to {@code redis-server.log} there ({@link #logFile()}).
 *
 * <pre>{@code
 * try (RedisServerProcess redis = RedisServerProcess.start()) {
 *   connect(redis.url());
 * }
 * }</pre>
 */
public final class RedisServerProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisServerProcess.class);
  static final String BINARY = "redis-server";
  static final String NOT_FOUND = "redis-server not found; run ./run-tests which installs it";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Path binary;
  private final Path tempDir;
  private final Path logFile;
  private final int port;
  private Process process;

  private RedisServerProcess(Path binary, Path tempDir, int port) {
    this.binary = binary;
    this.tempDir = tempDir;
    this.logFile = tempDir.resolve("redis-server.log");
    this.port = port;
  }

  /** Starts a server on a free loopback port and waits until it answers {@code PING}. */
  public static RedisServerProcess start() {
    Path binary = findBinary(NatsServerProcess.searchPath()).orElseThrow(() -> new IllegalStateException(NOT_FOUND));
    Path tempDir;
    try {
      tempDir = Files.createTempDirectory("ssmd-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for redis-server", e);
    }
    RedisServerProcess server = new RedisServerProcess(binary, tempDir, FreePorts.pick());
    try {
      server.launch();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** The first executable {@code redis-server} in {@code dirs}. */
  static Optional<Path> findBinary(List<Path> dirs) {
    return ServerProcesses.findBinary(BINARY, dirs);
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The server's log (stdout and stderr). */
  public Path logFile() {
    return logFile;
  }

  /** True while the server process is alive. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops the server (SIGTERM, SIGKILL after 10 s) and deletes its temporary directory. */
  @Override
  public synchronized void close() {
    if (process != null) {
      ServerProcesses.terminate(process, "redis-server on port " + port, LOG);
      process = null;
    }
    ServerProcesses.deleteTree(tempDir, LOG);
  }

  private void launch() {
    List<String> cmd = List.of(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", tempDir.toString());
    try {
      process = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd, e);
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited with code " + process.exitValue() + " at start-up: " + logTail());
      }
      if (answersPing()) {
        LOG.info("redis-server {} ready (pid {}, log {})", url(), process.pid(), logFile);
        return;
      }
      sleep(20);
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "redis-server did not answer PING on port " + port + " within " + START_TIMEOUT + ": " + logTail());
  }

  /**
   * An open port alone is not enough: Redis answers {@code -LOADING} while it starts, and another
   * process may own the port. Only {@code +PONG} proves our server is ready.
   */
  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write(PING);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[7];
      int n = 0;
      while (n < reply.length) {
        int r = in.read(reply, n, reply.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
      return new String(reply, 0, n, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for redis-server", e);
    }
  }
}
