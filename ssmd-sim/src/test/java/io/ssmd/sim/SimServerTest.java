package io.ssmd.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SimServerTest {

  /** Echoes each client message back as journaled data; refuses upgrades without X-Key. */
  static final class EchoVenue extends SimVenue {
    EchoVenue(ScheduledExecutorService s) {
      super(new Journal(100), s);
    }

    @Override
    public String name() {
      return "echo";
    }

    @Override
    public String wsPath() {
      return "/ws";
    }

    @Override
    public SimConnection accept(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
      if (request.getHeaders().get("X-Key") == null) {
        Response.writeError(request, response, callback, 401, "missing key");
        return null;
      }
      return new SimConnection(this) {
        @Override
        protected void onText(String message) {
          sendData("trade", "T1", "{\"echo\":\"" + message + "\"}");
        }
      };
    }

    @Override
    public void start() {}

    @Override
    public void inject(Fault fault) {
      if (!injectCommon(fault)) {
        throw new IllegalArgumentException("echo does not support " + fault.kind());
      }
    }

    @Override
    public Map<String, Object> status() {
      return Map.of("connections", connections().size());
    }
  }

  @Test
  void servesWebSocketJournalsDataAndRefusesUnauthenticatedUpgrades() throws Exception {
    ScheduledExecutorService sched = Executors.newSingleThreadScheduledExecutor();
    try (SimServer server = new SimServer(new EchoVenue(sched), "127.0.0.1", 0, 1 << 20).start()) {
      HttpClient http = HttpClient.newHttpClient();
      LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
      WebSocket ws =
          http.newWebSocketBuilder()
              .header("X-Key", "k")
              .buildAsync(
                  server.wsUri(),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                      got.add(data.toString());
                      webSocket.request(1);
                      return null;
                    }
                  })
              .join();
      ws.sendText("hi", true).join();
      assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("{\"echo\":\"hi\"}");
      Thread.sleep(100);
      assertThat(server.venue().journal().entries()).extracting(Journal.Entry::text).containsExactly("{\"echo\":\"hi\"}");

      assertThatThrownBy(() -> http.newWebSocketBuilder().buildAsync(server.wsUri(), new WebSocket.Listener() {}).join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(WebSocketHandshakeException.class)
          .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));

      HttpResponse<String> bad =
          http.send(
              HttpRequest.newBuilder(URI.create(server.httpUri() + "/_sim/fault/skip_seq")).POST(HttpRequest.BodyPublishers.noBody()).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(400);
      HttpResponse<String> drop =
          http.send(
              HttpRequest.newBuilder(URI.create(server.httpUri() + "/_sim/fault/drop")).POST(HttpRequest.BodyPublishers.noBody()).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(drop.statusCode()).isEqualTo(200);
    } finally {
      sched.shutdownNow();
    }
  }
}
