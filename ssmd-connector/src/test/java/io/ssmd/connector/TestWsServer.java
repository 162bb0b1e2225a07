package io.ssmd.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/** In-test venue WebSocket server: records what clients send, answers text pings, can misbehave on demand (public: Jetty calls the endpoint reflectively). */
public final class TestWsServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);
  final List<Peer> peers = new CopyOnWriteArrayList<>();
  final List<Long> upgradeAttemptNanos = new CopyOnWriteArrayList<>();
  final List<Map<String, String>> upgradeHeaders = new CopyOnWriteArrayList<>();
  /** Non-zero: refuse upgrades with this HTTP status. */
  volatile int rejectStatus;
  /** False: stop answering text PING (a half-open socket as seen by the client). */
  volatile boolean answerPings = true;

  TestWsServer() throws Exception {
    connector.setPort(0);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(WebSocketUpgradeHandler.from(server, container -> container.addMapping("/ws", (request, response, callback) -> {
      upgradeAttemptNanos.add(System.nanoTime());
      Map<String, String> headers = new ConcurrentHashMap<>();
      request.getHeaders().forEach(f -> headers.put(f.getName(), f.getValue()));
      upgradeHeaders.add(headers);
      if (rejectStatus != 0) {
        Response.writeError(request, response, callback, rejectStatus);
        return null;
      }
      return new Peer();
    })));
    server.start();
  }

  URI uri() {
    return URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/ws");
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  /** One client connection as seen by the server. */
  public final class Peer implements Session.Listener.AutoDemanding {
    volatile Session session;
    final List<String> received = new CopyOnWriteArrayList<>();

    @Override
    public void onWebSocketOpen(Session s) {
      session = s;
      peers.add(this);
    }

    @Override
    public void onWebSocketText(String message) {
      received.add(message);
      if (message.equals("PING") && answerPings) {
        send("PONG");
      }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
      // Expected when a test drops or the client aborts the connection.
    }

    void send(String text) {
      session.sendText(text, Callback.NOOP);
    }

    /** Cuts the TCP connection without a close handshake. */
    void drop() {
      session.disconnect();
    }

    List<String> markets(String op) {
      List<String> markets = new ArrayList<>();
      for (String message : received) {
        try {
          JsonNode node = JSON.readTree(message);
          if (node.isObject() && op.equals(node.path("op").asText())) {
            node.get("markets").forEach(m -> markets.add(m.asText()));
          }
        } catch (Exception e) {
          // pings and other non-JSON messages
        }
      }
      return markets;
    }

    List<Integer> batchSizes(String op) {
      List<Integer> sizes = new ArrayList<>();
      for (String message : received) {
        try {
          JsonNode node = JSON.readTree(message);
          if (node.isObject() && op.equals(node.path("op").asText())) {
            sizes.add(node.get("markets").size());
          }
        } catch (Exception e) {
          // not a command
        }
      }
      return sizes;
    }
  }
}
