package io.ssmd.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny venue: {@code {"type":"trade","market":"M1"}} is published as a trade of M1, a JSON array is
 * split into its elements, {@code PONG} answers the text ping, {@code {"type":"boom"}} makes the
 * session throw, anything unparseable is rejected as malformed.
 */
final class TestVenue implements Venue {
  static final String FEED = "testvenue";
  static final String SECRET = "s3cr3t-api-key";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeepAlive keepAlive;
  private final int maxMarkets;
  volatile boolean credentialsBroken;
  final List<SessionContext> contexts = new CopyOnWriteArrayList<>();

  TestVenue(KeepAlive keepAlive, int maxMarkets) {
    this.keepAlive = keepAlive;
    this.maxMarkets = maxMarkets;
  }

  @Override
  public String feed() {
    return FEED;
  }

  @Override
  public Map<String, String> handshakeHeaders(URI endpoint) {
    if (credentialsBroken) {
      throw new AuthException("private key file unreadable");
    }
    return Map.of("X-Api-Key", SECRET);
  }

  @Override
  public int maxMarketsPerConnection() {
    return maxMarkets;
  }

  @Override
  public KeepAlive keepAlive() {
    return keepAlive;
  }

  @Override
  public VenueSession open(SessionContext context) {
    contexts.add(context);
    return new VenueSession() {
      @Override
      public void subscribe(List<String> markets) {
        context.send(command("subscribe", markets));
      }

      @Override
      public void unsubscribe(List<String> markets) {
        context.send(command("unsubscribe", markets));
      }

      @Override
      public List<Routed> onFrame(byte[] frame) {
        String text = new String(frame, StandardCharsets.UTF_8);
        if (text.equals("PONG")) {
          return List.of(Routed.PONG);
        }
        JsonNode node;
        try {
          node = JSON.readTree(frame);
        } catch (Exception e) {
          return Routed.rejected("malformed", "not JSON");
        }
        if (node instanceof ArrayNode array) {
          List<Routed> out = new ArrayList<>();
          for (JsonNode element : array) {
            out.addAll(route(element, element.toString().getBytes(StandardCharsets.UTF_8)));
          }
          return out;
        }
        if (node.path("type").asText().equals("boom")) {
          throw new IllegalStateException("venue session bug");
        }
        return route(node, frame);
      }
    };
  }

  private static List<Routed> route(JsonNode node, byte[] payload) {
    String type = node.path("type").asText();
    return switch (type) {
      case "trade", "ticker", "orderbook", "weird" -> Routed.publish(type, node.path("market").asText(), payload);
      case "ack" -> Routed.control("ack");
      default -> Routed.rejected("unknown_type", "type " + type);
    };
  }

  private static String command(String op, List<String> markets) {
    var node = JSON.createObjectNode().put("op", op);
    var array = node.putArray("markets");
    markets.forEach(array::add);
    return node.toString();
  }
}
