package io.ssmd.secmaster.kraken;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP server on a loopback port answering venue REST paths with bodies the test builds
 * (including records the simulators never produce, such as malformed ones), and failing the next
 * requests with a chosen status on demand.
 */
public final class RestFixture implements AutoCloseable {

  private record Failure(int status, String retryAfter) {}

  private final HttpServer server;
  private final Map<String, Function<String, String>> routes = new ConcurrentHashMap<>();
  private final Deque<Failure> failures = new ArrayDeque<>();
  private final AtomicInteger requests = new AtomicInteger();

  public RestFixture() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      Failure f;
      synchronized (failures) {
        f = failures.poll();
      }
      int status;
      String body;
      if (f != null) {
        status = f.status();
        body = "{\"error\":[\"injected " + f.status() + "\"]}";
        if (f.retryAfter() != null) {
          exchange.getResponseHeaders().add("Retry-After", f.retryAfter());
        }
      } else {
        Function<String, String> route = routes.get(exchange.getRequestURI().getPath());
        String query = exchange.getRequestURI().getRawQuery();
        body = route == null ? null : route.apply(query == null ? "" : query);
        status = body == null ? 404 : 200;
        body = body == null ? "{\"error\":\"not found\"}" : body;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
  }

  /** Serves {@code path}: the function gets the raw query string and returns the body (null: 404). */
  public RestFixture route(String path, Function<String, String> body) {
    routes.put(path, body);
    return this;
  }

  /** The next {@code n} requests get {@code status}, with {@code Retry-After} when not null. */
  public void failNext(int n, int status, String retryAfter) {
    synchronized (failures) {
      for (int i = 0; i < n; i++) {
        failures.add(new Failure(status, retryAfter));
      }
    }
  }

  public int requests() {
    return requests.get();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
