package io.ssmd.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * {@code ssmd run connector} or {@code ssmd run archiver} in its own JVM, as it is deployed: its
 * resident set size is read from {@code /proc/<pid>/status} and its counters from its {@code /metrics}.
 */
final class CliProcess implements AutoCloseable {
  static final String CONNECTOR_PUBLISHED = "ssmd_connector_messages_published_total";

  private final Process process;
  private final Path log;
  private final int healthPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private CliProcess(Process process, Path log, int healthPort) {
    this.process = process;
    this.log = log;
    this.healthPort = healthPort;
  }

  /**
   * Starts {@code ssmd run <service>} ({@code connector} or {@code archiver}) with the CLI's
   * classpath ({@code ssmd-cli/target/ssmd-cli.jar} and {@code target/lib/*}; this JVM's classpath
   * when the CLI is not packaged). Output goes to {@code log}.
   */
  static CliProcess start(
      Path repoRoot, String service, String heap, Path envFile, Path feedFile, int healthPort, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>(List.of(
        java, "-Xmx" + heap, "-cp", classpath(repoRoot), "io.ssmd.cli.Main",
        "run", service, "--env", envFile.toString(), "--feed", feedFile.toString(),
        "--health-port", Integer.toString(healthPort)));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new CliProcess(p, log, healthPort);
  }

  static String classpath(Path repoRoot) {
    Path target = repoRoot.resolve("ssmd-cli").resolve("target");
    Path jar = target.resolve("ssmd-cli.jar");
    if (Files.isRegularFile(jar) && Files.isDirectory(target.resolve("lib"))) {
      return jar + java.io.File.pathSeparator + target.resolve("lib") + java.io.File.separator + "*";
    }
    return System.getProperty("java.class.path");
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** VmRSS in bytes; {@link IllegalStateException} once the process is gone. */
  long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/" + process.pid() + "/status");
  }

  /** Messages the connector has had acknowledged, from its /metrics; empty while it is not serving. */
  OptionalLong published() {
    return counter(CONNECTOR_PUBLISHED);
  }

  /** The sum of every series of {@code metric} in its /metrics; empty while it is not serving. */
  OptionalLong counter(String metric) {
    try {
      HttpResponse<String> r = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/metrics")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return OptionalLong.empty();
      }
      double sum = 0;
      for (String line : r.body().split("\n")) {
        if (line.length() > metric.length() && line.startsWith(metric) && (line.charAt(metric.length()) == '{' || line.charAt(metric.length()) == ' ')) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return OptionalLong.of((long) sum);
    } catch (IOException e) {
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalLong.empty();
    }
  }

  /** The last lines of the child's output, for error messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM (the service's shutdown hook flushes), then SIGKILL after 10 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
