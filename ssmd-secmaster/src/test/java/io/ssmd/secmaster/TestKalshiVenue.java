package io.ssmd.secmaster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A small Kalshi REST venue over a real HTTP server for the sync tests: a generated universe of
 * {@code markets} markets (10 per event, events spread over 5 series) served lazily page by page
 * with Kalshi's cursor paging, status and series filters, plus venue changes (add, close, rename,
 * future open time), injected HTTP failures and malformed records. Every request's query is
 * recorded so tests can check what the sync asked for.
 */
final class TestKalshiVenue implements AutoCloseable {
  static final int SERIES = 5;
  static final Instant OPEN = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant CLOSE = Instant.parse("2030-01-01T00:00:00Z");

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private volatile int markets;
  private final Set<Integer> closed = ConcurrentHashMap.newKeySet();
  private final Map<Integer, String> titles = new ConcurrentHashMap<>();
  private final Map<Integer, Instant> openTimes = new ConcurrentHashMap<>();
  private final Map<Integer, String> malformed = new ConcurrentHashMap<>();
  private final Deque<Integer> faults = new ArrayDeque<>();
  final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  TestKalshiVenue(int markets) throws IOException {
    this.markets = markets;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/trade-api/v2/", this::handle);
    server.start();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/trade-api/v2");
  }

  static String series(int s) {
    return "TST" + s;
  }

  static String event(int e) {
    return series(e % SERIES) + "-EV" + String.format("%05d", e);
  }

  static String ticker(int i) {
    return event(i / 10) + "-M" + String.format("%06d", i);
  }

  void addMarket() {
    markets++;
  }

  void close(int i) {
    closed.add(i);
  }

  void rename(int i, String title) {
    titles.put(i, title);
  }

  void openAt(int i, Instant open) {
    openTimes.put(i, open);
  }

  /** The market's record gets {@code field} replaced by a JSON object (a wrong type). */
  void breakField(int i, String field) {
    malformed.put(i, field);
  }

  /** The next requests answer with these statuses (429 with Retry-After: 1). */
  synchronized void failNext(int... statuses) {
    for (int s : statuses) {
      faults.add(s);
    }
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath().substring("/trade-api/v2".length());
      Map<String, String> q = query(x.getRequestURI().getRawQuery());
      requests.add(path + " " + new java.util.TreeMap<>(q));
      Integer fault;
      synchronized (this) {
        fault = faults.poll();
      }
      if (fault != null) {
        if (fault == 429) {
          x.getResponseHeaders().add("Retry-After", "1");
        }
        send(x, fault, "{\"error\":{\"code\":\"injected\",\"message\":\"injected fault\"}}");
        return;
      }
      switch (path) {
        case "/series" -> {
          ObjectNode o = json.createObjectNode();
          ArrayNode arr = o.putArray("series");
          for (int s = 0; s < SERIES; s++) {
            String category = s % 2 == 0 ? "Economics" : "Politics";
            if (q.containsKey("category") && !q.get("category").equals(category)) {
              continue;
            }
            ObjectNode n = arr.addObject();
            n.put("ticker", series(s)).put("title", "Series " + s).put("category", category).put("frequency", "daily");
            n.putArray("tags").add("tag" + s);
            n.put("fee_type", "quadratic").put("fee_multiplier", "1");
          }
          o.put("cursor", "");
          send(x, 200, o.toString());
        }
        case "/series/fee_changes" -> {
          ObjectNode o = json.createObjectNode();
          ObjectNode n = o.putArray("series_fee_change_arr").addObject();
          n.put("id", "fc-1").put("series_ticker", series(0)).put("fee_type", "flat").put("fee_multiplier", "0.5")
              .put("scheduled_ts", "2030-01-01T00:00:00Z");
          send(x, 200, o.toString());
        }
        case "/events" -> page(x, q, "events", (markets + 9) / 10, 200, this::eventJson);
        case "/markets" -> page(x, q, "markets", markets, 1000, this::marketJson);
        default -> send(x, 404, "{\"error\":{\"code\":\"not_found\"}}");
      }
    }
  }

  private interface Render {
    ObjectNode render(int i);
  }

  private void page(HttpExchange x, Map<String, String> q, String field, int size, int max, Render render) throws IOException {
    int limit = Math.min(max, Integer.parseInt(q.getOrDefault("limit", "100")));
    int from = q.containsKey("cursor") ? Integer.parseInt(q.get("cursor")) : 0;
    String status = q.get("status");
    String seriesFilter = q.get("series_ticker");
    ObjectNode o = json.createObjectNode();
    ArrayNode arr = o.putArray(field);
    int i = from;
    while (i < size && arr.size() < limit) {
      ObjectNode n = render.render(i);
      i++;
      if (seriesFilter != null && !seriesFilter.equals(n.path("_series").asText())) {
        continue;
      }
      if (status != null && !status.equals(n.path("_filter_status").asText())) {
        continue;
      }
      n.remove("_filter_status");
      n.remove("_series");
      arr.add(n);
    }
    o.put("cursor", i < size ? Integer.toString(i) : "");
    send(x, 200, o.toString());
  }

  private ObjectNode eventJson(int e) {
    ObjectNode n = json.createObjectNode();
    n.put("event_ticker", event(e)).put("series_ticker", series(e % SERIES)).put("title", "Event " + e).put("sub_title", "sub " + e);
    n.put("mutually_exclusive", true).put("collateral_return_type", "binary");
    n.put("_filter_status", "open").put("_series", series(e % SERIES));
    return n;
  }

  private ObjectNode marketJson(int i) {
    ObjectNode n = json.createObjectNode();
    boolean isClosed = closed.contains(i);
    Instant open = openTimes.getOrDefault(i, OPEN);
    n.put("ticker", ticker(i)).put("event_ticker", event(i / 10)).put("market_type", "binary");
    n.put("title", titles.getOrDefault(i, "Market " + i)).put("yes_sub_title", "Yes " + i).put("no_sub_title", "No " + i);
    n.put("status", isClosed ? "closed" : open.isAfter(Instant.now()) ? "initialized" : "active");
    n.put("open_time", open.toString()).put("close_time", (isClosed ? OPEN.plusSeconds(86_400) : CLOSE).toString());
    n.put("latest_expiration_time", CLOSE.plusSeconds(86_400).toString());
    n.put("volume_fp", (i % 100) + ".00").put("open_interest_fp", "5.00").put("yes_bid_dollars", "0.4500");
    n.put("price_level_structure", "linear_cent").put("rules_primary", "Resolves yes if " + i);
    n.put("result", "").put("unknown_new_field", "venues add fields");
    n.put("_series", series((i / 10) % SERIES));
    n.put("_filter_status", isClosed ? "closed" : open.isAfter(Instant.now()) ? "unopened" : "open");
    String bad = malformed.get(i);
    if (bad != null) {
      n.putObject(bad).put("surprise", true);
    }
    return n;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      q.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return q;
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

}
