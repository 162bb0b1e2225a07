package io.ssmd.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code nats-server} with JetStream, started as a child process for tests and benchmarks.
 *
 * <p>Listens on 127.0.0.1 at a free port and stores JetStream data in a private temporary
 * directory. {@link #restart()} reuses the same port and store directory, so streams and their
 * messages survive it, which is what reconnect tests need. The server's own log goes to {@code
 * nats-server.log} in the temporary directory ({@link #logFile()}).
 *
 * <pre>{@code
 * try (NatsServerProcess nats = NatsServerProcess.start()) {
 *   connect(nats.url());
 *   nats.restart();
 * }
 * }</pre>
 */
public final class NatsServerProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NatsServerProcess.class);
  static final String BINARY = "nats-server";
  static final String NOT_FOUND = "nats-server not found; run ./run-tests which installs it";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Path binary;
  private final Path tempDir;
  private final Path storeDir;
  private final Path logFile;
  private final int port;
  private final List<String> extraArgs;
  private Process process;

  private NatsServerProcess(Path binary, Path tempDir, int port, List<String> extraArgs) {
    this.binary = binary;
    this.tempDir = tempDir;
    this.storeDir = tempDir.resolve("jetstream");
    this.logFile = tempDir.resolve("nats-server.log");
    this.port = port;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /** Starts a JetStream-enabled server on a free loopback port and waits until it accepts clients. */
  public static NatsServerProcess start() {
    return start(List.of());
  }

  /**
   * Starts a server with additional command-line arguments (e.g. {@code --max_payload}) appended
   * after {@code -js -sd <dir> -a 127.0.0.1 -p <port>}.
   */
  public static NatsServerProcess start(List<String> extraArgs) {
    Path binary = findBinary(searchPath()).orElseThrow(() -> new IllegalStateException(NOT_FOUND));
    Path tempDir;
    try {
      tempDir = Files.createTempDirectory("ssmd-nats-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for nats-server", e);
    }
    NatsServerProcess server = new NatsServerProcess(binary, tempDir, FreePorts.pick(), extraArgs);
    try {
      server.launch();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * Where {@code nats-server} is looked for: every {@code PATH} entry, then {@code /usr/sbin},
   * {@code /usr/bin}, {@code /usr/local/bin} (Debian installs it in /usr/sbin, which is often not
   * on a non-root PATH).
   */
  static List<Path> searchPath() {
    List<Path> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (!dir.isBlank()) {
          dirs.add(Paths.get(dir));
        }
      }
    }
    dirs.add(Paths.get("/usr/sbin"));
    dirs.add(Paths.get("/usr/bin"));
    dirs.add(Paths.get("/usr/local/bin"));
    return dirs;
  }

  /** The first executable {@code nats-server} in {@code dirs}. */
  static Optional<Path> findBinary(List<Path> dirs) {
    return ServerProcesses.findBinary(BINARY, dirs);
  }

  /** {@code nats://127.0.0.1:<port>}. */
  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** JetStream store directory ({@code -sd}); kept across {@link #restart()}. */
  public Path storeDir() {
    return storeDir;
  }

  /** The server's log (stdout and stderr of every run, appended). */
  public Path logFile() {
    return logFile;
  }

  /** True while the server process is alive. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Graceful stop (SIGTERM), escalating to SIGKILL if the server has not exited within 10 s. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    ServerProcesses.terminate(process, "nats-server on port " + port, LOG);
    process = null;
  }

  /** Abrupt stop (SIGKILL), as in a crash: JetStream recovers from its store on the next start. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    try {
      process.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("nats-server on port {} killed", port);
    process = null;
  }

  /** Stops (if running) and starts again on the same port and store directory. */
  public synchronized void restart() {
    stop();
    launch();
  }

  /** Starts the server again after {@link #stop()} or {@link #kill()}; no-op if running. */
  public synchronized void startAgain() {
    if (!isRunning()) {
      launch();
    }
  }

  /** Kills the server and deletes its temporary directory (store and log). */
  @Override
  public synchronized void close() {
    kill();
    ServerProcesses.deleteTree(tempDir, LOG);
  }

  private void launch() {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.addAll(
        List.of("-js", "-sd", storeDir.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port)));
    cmd.addAll(extraArgs);
    try {
      process =
          new ProcessBuilder(cmd)
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
            "nats-server exited with code " + process.exitValue() + " at start-up: " + logTail());
      }
      if (readsInfoLine()) {
        LOG.info("nats-server {} ready (pid {}, store {}, log {})", url(), process.pid(), storeDir, logFile);
        return;
      }
      sleep(20);
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "nats-server did not accept connections on port " + port + " within " + START_TIMEOUT + ": " + logTail());
  }

  /**
   * A NATS server greets every client with an INFO line; reading it (rather than only opening a
   * socket) proves that our server, and not some other process, owns the port.
   */
  private boolean readsInfoLine() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      socket.setSoTimeout(1000);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String line = in.readLine();
      return line != null && line.startsWith("INFO ");
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
      throw new IllegalStateException("interrupted while waiting for nats-server", e);
    }
  }
}
