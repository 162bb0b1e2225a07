package io.ssmd.sim.kraken;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A minimal JDK WebSocket client that queues every text frame it receives. */
final class WsClient implements AutoCloseable {
  final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  private final WebSocket ws;
  private final StringBuilder partial = new StringBuilder();

  WsClient(URI uri) throws Exception {
    ws = HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .buildAsync(uri, new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              frames.add(partial.toString());
              partial.setLength(0);
            }
            webSocket.request(1);
            return null;
          }
        })
        .get(5, TimeUnit.SECONDS);
  }

  void send(String text) throws Exception {
    ws.sendText(text, true).get(5, TimeUnit.SECONDS);
  }

  /** The next frame matching {@code p}, skipping others; fails after {@code timeoutMs}. */
  String await(Predicate<String> p, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (true) {
      long left = deadline - System.nanoTime();
      String f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
      if (f == null) {
        throw new AssertionError("no matching frame within " + timeoutMs + " ms");
      }
      if (p.test(f)) {
        return f;
      }
    }
  }

  String next(long timeoutMs) throws InterruptedException {
    String f = frames.poll(timeoutMs, TimeUnit.MILLISECONDS);
    if (f == null) {
      throw new AssertionError("no frame within " + timeoutMs + " ms");
    }
    return f;
  }

  @Override
  public void close() {
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
  }
}
