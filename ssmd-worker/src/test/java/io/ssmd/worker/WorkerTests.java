package io.ssmd.worker;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/** Config directories, an HTTP receiver and waiting, shared by the worker's tests. */
final class WorkerTests {
  private WorkerTests() {}

  /** A config directory with the repository's feed files and no environments yet. */
  static Path configDir(Path tmp) throws IOException {
    Path dir = tmp.resolve("exchanges");
    Files.createDirectories(dir.resolve("environments"));
    Files.createDirectories(dir.resolve("feeds"));
    for (String f : List.of("kalshi.yaml", "kraken.yaml", "polymarket.yaml")) {
      Files.copy(Path.of("..", "exchanges", "feeds", f), dir.resolve("feeds").resolve(f));
    }
    return dir;
  }

  static void writeEnv(Path configDir, String name, String yaml) throws IOException {
    Files.writeString(configDir.resolve("environments").resolve(name + ".yaml"), yaml);
  }

  static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  /** A local HTTP endpoint that records request bodies and answers with a fixed status after an optional delay. */
  static final class Receiver implements AutoCloseable {
    final List<String> bodies = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile Duration delay = Duration.ZERO;
    private final HttpServer server;

    Receiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.createContext("/", ex -> {
        try (InputStream in = ex.getRequestBody()) {
          bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        byte[] b = (status == 200 ? "ok" : "no").getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(b);
        }
      });
      server.start();
    }

    URI url(String path) {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
