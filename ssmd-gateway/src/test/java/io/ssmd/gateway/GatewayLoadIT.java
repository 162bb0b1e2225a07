package io.ssmd.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 200 clients on loopback with mixed subscriptions (feed-wide, exact symbols, type filters) over
 * one feed: every client receives exactly the messages its subscriptions match, in transport
 * order. Volume is modest here ({@code -Dssmd.gateway.loadMessages} raises it); throughput and
 * latency are measured by {@code scripts/bench.sh gateway}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayLoadIT {
  private static final int CLIENTS = Integer.getInteger("ssmd.gateway.loadClients", 200);
  private static final int MESSAGES = Integer.getInteger("ssmd.gateway.loadMessages", 2000);
  private static final List<String> SYMBOLS = java.util.stream.IntStream.range(0, 20).mapToObj(i -> "S" + i + "/USD").toList();
  private static final List<String> TYPES = List.of("trade", "ticker", "orderbook");

  record Published(int n, String type, String symbol) {}

  record Sub(Set<String> symbols, Set<String> types) {
    boolean matches(Published p) {
      return (symbols.isEmpty() || symbols.contains(p.symbol())) && (types.isEmpty() || types.contains(p.type()));
    }
  }

  @Test
  void everyClientReceivesExactlyWhatItsSubscriptionsMatchInOrder() throws Exception {
    try (TestGateway t = new TestGateway()) {
      List<CompletableFuture<WsClient>> connecting = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        connecting.add(WsClient.connectAsync(t.ws(), java.util.Map.of("Authorization", "Bearer " + t.key)));
      }
      List<WsClient> clients = new ArrayList<>();
      for (CompletableFuture<WsClient> f : connecting) {
        clients.add(f.get(60, TimeUnit.SECONDS));
      }
      List<Sub> subs = new ArrayList<>();
      try {
        for (int i = 0; i < CLIENTS; i++) {
          Sub s = sub(i);
          subs.add(s);
          WsClient c = clients.get(i);
          String symbols = s.symbols().isEmpty() ? "\"kraken:*\""
              : String.join(",", s.symbols().stream().map(x -> "\"kraken:" + x + "\"").sorted().toList());
          String types = s.types().isEmpty() ? "" : ",\"types\":[" + String.join(",", s.types().stream().map(x -> "\"" + x + "\"").toList()) + "]";
          c.send("{\"id\":" + i + ",\"op\":\"subscribe\",\"symbols\":[" + symbols + "]" + types + "}");
        }
        for (WsClient c : clients) {
          assertThat(c.next().path("type").asText()).isEqualTo("welcome");
          assertThat(c.next().path("type").asText()).isEqualTo("ack");
        }
        List<Published> published = new ArrayList<>();
        for (int n = 0; n < MESSAGES; n++) {
          String symbol = SYMBOLS.get(n % SYMBOLS.size());
          String type = TYPES.get((n / SYMBOLS.size()) % TYPES.size());
          String frame = switch (type) {
            case "trade" -> TestGateway.trade(symbol, "10." + n, n);
            case "ticker" -> TestGateway.ticker(symbol, "10", "11", n);
            default -> n < SYMBOLS.size() * TYPES.size() ? TestGateway.bookSnapshot(symbol, n)
                : TestGateway.bookUpdate(symbol, "bids", "100." + (n % 7), "1", n);
          };
          t.publish(type, symbol, frame);
          published.add(new Published(n, type, symbol.replace('/', '-')));
        }
        long total = 0;
        for (int i = 0; i < CLIENTS; i++) {
          Sub s = subs.get(i);
          List<Integer> expected = published.stream().filter(s::matches).map(Published::n).toList();
          List<Integer> got = new ArrayList<>(expected.size());
          WsClient c = clients.get(i);
          long lastSeq = 0;
          while (got.size() < expected.size()) {
            JsonNode m = c.next();
            assertThat(m.path("snapshot").asBoolean()).isFalse();
            long seq = m.path("seq").asLong();
            assertThat(seq).as("client %d: transport order", i).isGreaterThan(lastSeq);
            lastSeq = seq;
            got.add(m.path("data").path("data").get(0).path("n").asInt());
          }
          assertThat(got).as("client %d (%s)", i, s).isEqualTo(expected);
          total += got.size();
        }
        // nothing beyond what was expected arrives (a ping answered next proves the queue is empty)
        for (int i = 0; i < CLIENTS; i += 17) {
          clients.get(i).send("{\"id\":\"end\",\"op\":\"ping\"}");
          assertThat(clients.get(i).next().path("type").asText()).isEqualTo("pong");
        }
        assertThat(t.gateway.clients()).allMatch(c -> c.dropped() == 0);
        assertThat(total).isGreaterThan((long) MESSAGES * CLIENTS / 4);
      } finally {
        clients.forEach(WsClient::close);
      }
    }
  }

  /** Mixed: every 4th client the whole feed; then three exact symbols; then the feed's trades; then one symbol's ticker and book. */
  private static Sub sub(int i) {
    return switch (i % 4) {
      case 0 -> new Sub(Set.of(), Set.of());
      case 1 -> new Sub(Set.of(sym(i), sym(i + 7), sym(i + 13)), Set.of());
      case 2 -> new Sub(Set.of(), Set.of("trade"));
      default -> new Sub(Set.of(sym(i)), Set.of("ticker", "orderbook"));
    };
  }

  private static String sym(int i) {
    return SYMBOLS.get(i % SYMBOLS.size()).replace('/', '-');
  }
}
