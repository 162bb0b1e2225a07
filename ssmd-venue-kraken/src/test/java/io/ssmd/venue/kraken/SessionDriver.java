package io.ssmd.venue.kraken;

import io.ssmd.connector.Routed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Drives one {@link KrakenSession} over a JDK WebSocket, on a single thread as the connector
 * does: every frame is routed, every {@link Routed} result recorded.
 */
final class SessionDriver implements AutoCloseable {
  /** One routed frame. */
  record Result(String frame, Routed routed) {}

  final List<Result> results = new CopyOnWriteArrayList<>();
  final RecordingContext ctx;
  final KrakenSession session;
  private final ExecutorService thread = Executors.newSingleThreadExecutor();
  private final WebSocket ws;
  private final StringBuilder partial = new StringBuilder();
  volatile boolean closed;

  SessionDriver(URI uri, KrakenVenueOptions options) throws Exception {
    this.ctx = new RecordingContext(this::sendNow);
    this.session = new KrakenVenue(options).open(ctx);
    this.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(uri, new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              String frame = partial.toString();
              partial.setLength(0);
              thread.execute(() -> session.onFrame(frame.getBytes(StandardCharsets.UTF_8)).forEach(r -> results.add(new Result(frame, r))));
            }
            webSocket.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed = true;
            return null;
          }

          @Override
          public void onError(WebSocket webSocket, Throwable error) {
            closed = true;
          }
        }).get(5, TimeUnit.SECONDS);
  }

  private void sendNow(String text) {
    if (!closed) {
      ws.sendText(text, true).join();
    }
  }

  /** Runs {@code r} on the session thread and waits for it. */
  void onSessionThread(Runnable r) throws Exception {
    thread.submit(r).get(5, TimeUnit.SECONDS);
  }

  List<Routed.Publish> published() {
    return results.stream().map(Result::routed).filter(Routed.Publish.class::isInstance).map(Routed.Publish.class::cast).toList();
  }

  List<Routed.Rejected> rejected() {
    return results.stream().map(Result::routed).filter(Routed.Rejected.class::isInstance).map(Routed.Rejected.class::cast).toList();
  }

  @Override
  public void close() throws Exception {
    if (!closed) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }
    thread.shutdown();
    thread.awaitTermination(5, TimeUnit.SECONDS);
  }
}
