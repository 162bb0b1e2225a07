package io.ssmd.observability;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoints every long-running component serves (DESIGN §1): {@code GET /health}
 * (liveness: 200 {@code ok} while the process serves requests), {@code GET /ready} (200 when the
 * {@link ReadinessCheck} has no reasons, else 503 with {@code {"ready":false,"reasons":[...]}}) and
 * {@code GET /metrics} (Prometheus text format 0.0.4 of a {@link PrometheusRegistry}).
 *
 * <p>Built on the JDK HTTP server so it adds no dependency; two daemon threads are enough for
 * probes and scrapes.
 */
public final class HealthServer implements AutoCloseable {
  /** Default port of the health endpoints ({@code --health-port}). */
  public static final int DEFAULT_PORT = 8080;

  private static final Logger LOG = LoggerFactory.getLogger(HealthServer.class);
  private static final JsonFactory JSON = new JsonFactory();
  private static final String TEXT = "text/plain; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;
  private final PrometheusRegistry registry;
  private final ReadinessCheck readiness;
  private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);

  private HealthServer(HttpServer server, ExecutorService executor, PrometheusRegistry registry, ReadinessCheck readiness) {
    this.server = server;
    this.executor = executor;
    this.registry = registry;
    this.readiness = readiness;
  }

  /**
   * Binds all interfaces on {@code port} ({@code 0} picks a free port, see {@link #port()}) and
   * starts serving.
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static HealthServer start(int port, PrometheusRegistry registry, ReadinessCheck readiness) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("health port must be between 0 and 65535, got " + port);
    }
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(readiness, "readiness");
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the health port " + port + ": " + e.getMessage(), e);
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "ssmd-health-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    HealthServer health = new HealthServer(http, executor, registry, readiness);
    http.setExecutor(executor);
    http.createContext("/", health::handle);
    http.start();
    LOG.atInfo().addKeyValue("port", health.port()).log("health server listening");
    return health;
  }

  /** The bound port (the real one when started with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(exchange, 405, TEXT, "method not allowed\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/health" -> respond(exchange, 200, TEXT, "ok\n".getBytes(StandardCharsets.UTF_8));
        case "/ready" -> ready(exchange);
        case "/metrics" -> metrics(exchange);
        default -> respond(exchange, 404, TEXT, "not found\n".getBytes(StandardCharsets.UTF_8));
      }
    } catch (RuntimeException e) {
      // The JDK server swallows handler exceptions and resets the connection; log so a broken
      // collector or readiness check is visible instead of silently failing scrapes.
      LOG.error("health endpoint {} failed", exchange.getRequestURI().getPath(), e);
      throw e;
    }
  }

  private void ready(HttpExchange exchange) throws IOException {
    List<String> reasons;
    try {
      reasons = readiness.notReadyReasons();
    } catch (RuntimeException e) {
      reasons = List.of("readiness check failed: " + e);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(body)) {
      json.writeStartObject();
      json.writeBooleanField("ready", reasons.isEmpty());
      if (!reasons.isEmpty()) {
        json.writeArrayFieldStart("reasons");
        for (String reason : reasons) {
          json.writeString(reason);
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    }
    body.write('\n');
    respond(exchange, reasons.isEmpty() ? 200 : 503, "application/json", body.toByteArray());
  }

  private void metrics(HttpExchange exchange) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
    writer.write(body, registry.scrape());
    respond(exchange, 200, PrometheusTextFormatWriter.CONTENT_TYPE, body.toByteArray());
  }

  private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Stops serving immediately; in-flight probes are cut (a probe retries). */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
