package io.ssmd.sim.polymarket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JDK WebSocket client that queues every text message received (fragments joined). */
final class TestClient implements AutoCloseable {
  final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final WebSocket ws;

  TestClient(URI uri) {
    this.ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                uri,
                new WebSocket.Listener() {
                  private final StringBuilder partial = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                      received.add(partial.toString());
                      partial.setLength(0);
                    }
                    w.request(1);
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
                    closed.complete(statusCode);
                    return null;
                  }

                  @Override
                  public void onError(WebSocket w, Throwable error) {
                    closed.complete(-1);
                  }
                })
            .join();
  }

  void send(String text) {
    ws.sendText(text, true).join();
  }

  /** The next message, or null after the timeout. */
  String next(long millis) throws InterruptedException {
    return received.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** The next message that contains {@code fragment} (earlier ones are discarded), or null. */
  String nextContaining(String fragment, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < deadline) {
      String m = next(Math.max(1, deadline - System.currentTimeMillis()));
      if (m != null && m.contains(fragment)) {
        return m;
      }
    }
    return null;
  }

  @Override
  public void close() {
    ws.abort();
  }
}
