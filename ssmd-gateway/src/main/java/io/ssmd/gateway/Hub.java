package io.ssmd.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.ssmd.market.MarketEvent;
import io.ssmd.market.MarketEvent.BookDelta;
import io.ssmd.market.MarketEvent.BookSnapshot;
import io.ssmd.market.Normalized;
import io.ssmd.market.Normalizer;
import io.ssmd.observability.RateLimitedLogger;
import io.ssmd.transport.Delivered;
import io.ssmd.transport.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fan-out core: latest values per symbol and the subscription index, behind one lock.
 *
 * <p>Why one lock: a subscribe must send the snapshot of a symbol and then exactly the live
 * messages after it. Taking the same lock for "update the latest value and enqueue to the
 * subscribers" and for "register the subscription and enqueue its snapshot" makes the two
 * atomic with respect to each other: no message is lost or duplicated between a snapshot and
 * the live stream. Work under the lock is bounded and non-blocking (map updates and appends to
 * per-client bounded queues); the sending happens on each client's own writer thread.
 */
final class Hub {
  static final List<String> TYPES = List.of("trade", "ticker", "orderbook", "lifecycle", "event_lifecycle");
  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

  /** What is known of one symbol (subject ticker). */
  private static final class SymbolState {
    Live ticker;
    /** By instrument: a Polymarket market's subject carries the books of its outcome tokens. */
    final Map<String, Book> books = new LinkedHashMap<>();
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Normalizer> normalizers;
  private final GatewayMetrics metrics;
  private final int maxSymbols;
  private final RateLimitedLogger warn = new RateLimitedLogger(LOG);
  private final Map<String, Map<String, SymbolState>> state = new HashMap<>();
  private int trackedSymbols;
  private final Map<SymbolPattern, Set<ClientSession>> index = new HashMap<>();
  private final List<ClientSession> recipients = new ArrayList<>();
  private final Set<ClientSession> seen = Collections.newSetFromMap(new IdentityHashMap<>());

  Hub(Map<String, Normalizer> normalizers, GatewayMetrics metrics, int maxSymbols) {
    this.normalizers = Map.copyOf(normalizers);
    this.metrics = metrics;
    this.maxSymbols = maxSymbols;
  }

  Set<String> feeds() {
    return normalizers.keySet();
  }

  /** One transport message of {@code feed}; {@code typeAndSymbol} is the subject after {@code {env}.{feed}.json.}. */
  void onMessage(String feed, String typeAndSymbol, Delivered d) {
    metrics.transport.labelValues(feed).inc();
    int dot = typeAndSymbol.indexOf('.');
    if (dot <= 0 || dot == typeAndSymbol.length() - 1) {
      warn.warn("subject", "gateway: ignoring message with unexpected subject {}", d.subject());
      return;
    }
    String type = typeAndSymbol.substring(0, dot);
    String symbol = typeAndSymbol.substring(dot + 1);
    if (!isJson(d.payload())) {
      // a client message embeds the frame as JSON: a non-JSON payload would corrupt the client's stream
      metrics.dropped.labelValues(GatewayMetrics.Reasons.UNPARSABLE).inc();
      warn.warn("unparsable", "gateway: {} seq {} is not JSON; not forwarded", d.subject(), d.seq());
      return;
    }
    long receivedAtNanos = receivedAt(d);
    Live live = new Live(feed, symbol, type, d.seq(), receivedAtNanos, d.payload(), new String(d.payload(), StandardCharsets.UTF_8),
        normalizers.get(feed));
    lock.lock();
    try {
      remember(live);
      collect(feed, symbol);
      for (ClientSession c : recipients) {
        if (c.wants(feed, symbol, type)) {
          c.enqueue(live.out(c.format()));
        }
      }
    } finally {
      recipients.clear();
      seen.clear();
      lock.unlock();
    }
  }

  private void collect(String feed, String symbol) {
    add(index.get(new SymbolPattern(feed, symbol)));
    add(index.get(new SymbolPattern(feed, SymbolPattern.ANY)));
    add(index.get(new SymbolPattern(SymbolPattern.ANY, SymbolPattern.ANY)));
  }

  private void add(Set<ClientSession> clients) {
    if (clients != null) {
      for (ClientSession c : clients) {
        if (seen.add(c)) {
          recipients.add(c);
        }
      }
    }
  }

  /** Latest ticker and current books; bounded by {@code maxSymbols}. */
  private void remember(Live live) {
    boolean ticker = live.type.equals("ticker");
    if (!ticker && !live.type.equals("orderbook")) {
      return;
    }
    Map<String, SymbolState> symbols = state.computeIfAbsent(live.feed, f -> new HashMap<>());
    SymbolState s = symbols.get(live.symbol);
    if (s == null) {
      if (trackedSymbols >= maxSymbols) {
        warn.warn("max-symbols", "gateway: {} symbols tracked (max-symbols); no snapshot kept for {}:{}", trackedSymbols, live.feed,
            live.symbol);
        return;
      }
      s = new SymbolState();
      symbols.put(live.symbol, s);
      trackedSymbols++;
    }
    if (ticker) {
      s.ticker = live;
    }
    // Polymarket price_change (type ticker) moves book levels too, so both types feed the books
    if (live.normalized() instanceof Normalized.Events events) {
      for (MarketEvent e : events.events()) {
        String instrument = e.header().instrument();
        if (e instanceof BookSnapshot snap) {
          s.books.computeIfAbsent(instrument, i -> new Book(live.feed.equals("kraken"))).apply(snap, live.seq, live.receivedAtMicros());
        } else if (e instanceof BookDelta delta) {
          Book b = s.books.get(instrument);
          if (b != null) {
            b.apply(delta, live.seq, live.receivedAtMicros());
          }
        }
      }
    }
  }

  /**
   * Registers the client's patterns and enqueues, atomically with respect to live dispatch: the
   * ack, then the latest ticker and book of every matched symbol, after which live messages follow.
   */
  void subscribe(ClientSession c, JsonNode id, List<SymbolPattern> patterns, Set<String> types, int maxPerClient) {
    lock.lock();
    try {
      for (SymbolPattern p : patterns) {
        if (!p.isAll() && !normalizers.containsKey(p.feed())) {
          c.error(id, ErrorCode.UNKNOWN_FEED, "feed '" + p.feed() + "' is not served here (served: " + String.join(", ", new TreeMap<>(normalizers).keySet()) + ")");
          return;
        }
        if (!p.isAll() && !c.key().allows(p.feed())) {
          c.error(id, ErrorCode.FORBIDDEN_FEED, "API key '" + c.key().name() + "' may not read feed '" + p.feed() + "' (allowed: "
              + String.join(", ", c.key().feeds()) + ")");
          return;
        }
      }
      long added = patterns.stream().distinct().filter(p -> !c.subscriptions().containsKey(p)).count();
      if (c.subscriptions().size() + added > maxPerClient) {
        c.error(id, ErrorCode.TOO_MANY_SUBSCRIPTIONS, "at most " + maxPerClient + " subscriptions per connection (holding "
            + c.subscriptions().size() + "); use feed:* patterns or unsubscribe first");
        return;
      }
      for (SymbolPattern p : patterns) {
        if (c.subscriptions().put(p, types) == null) {
          index.computeIfAbsent(p, k -> new LinkedHashSet<>()).add(c);
          metrics.subscribed(p.toString());
        }
      }
      c.enqueue(Out.control(Messages.json(g -> {
        Messages.id(g, id);
        g.writeStringField("type", "ack");
        g.writeStringField("op", "subscribe");
        Messages.strings(g, "symbols", patterns.stream().map(SymbolPattern::toString).distinct().toList());
        Messages.strings(g, "types", types.isEmpty() ? TYPES : types);
      })));
      for (SymbolPattern p : patterns.stream().distinct().toList()) {
        snapshots(c, p, types);
      }
    } finally {
      lock.unlock();
    }
  }

  private void snapshots(ClientSession c, SymbolPattern p, Set<String> types) {
    boolean tickers = types.isEmpty() || types.contains("ticker");
    boolean books = types.isEmpty() || types.contains("orderbook");
    state.forEach((feed, symbols) -> {
      if (!c.key().allows(feed) || (!p.isAll() && !p.feed().equals(feed))) {
        return;
      }
      if (p.isAll() || p.isFeedWide()) {
        symbols.forEach((symbol, s) -> snapshot(c, feed, symbol, s, tickers, books));
      } else {
        SymbolState s = symbols.get(p.symbol());
        if (s != null) {
          snapshot(c, feed, p.symbol(), s, tickers, books);
        }
      }
    });
  }

  private static void snapshot(ClientSession c, String feed, String symbol, SymbolState s, boolean tickers, boolean books) {
    if (tickers && s.ticker != null) {
      c.enqueue(s.ticker.snapshot(c.format()));
    }
    if (books) {
      s.books.forEach((instrument, b) -> {
        if (b.known()) {
          c.enqueue(new Out("book", Messages.json(g -> Messages.book(g, feed, symbol, instrument, b)), b.seq, 0));
        }
      });
    }
  }

  /** Removes the patterns; the ack lists what was removed and what was not subscribed. */
  void unsubscribe(ClientSession c, JsonNode id, List<SymbolPattern> patterns) {
    lock.lock();
    try {
      List<String> removed = new ArrayList<>();
      List<String> notSubscribed = new ArrayList<>();
      for (SymbolPattern p : patterns) {
        if (c.subscriptions().remove(p) != null) {
          drop(c, p);
          removed.add(p.toString());
        } else if (!removed.contains(p.toString())) {
          notSubscribed.add(p.toString());
        }
      }
      c.enqueue(Out.control(Messages.json(g -> {
        Messages.id(g, id);
        g.writeStringField("type", "ack");
        g.writeStringField("op", "unsubscribe");
        Messages.strings(g, "symbols", removed);
        Messages.strings(g, "not_subscribed", notSubscribed);
      })));
    } finally {
      lock.unlock();
    }
  }

  /** The client's subscriptions. */
  void list(ClientSession c, JsonNode id) {
    lock.lock();
    try {
      c.enqueue(Out.control(Messages.json(g -> {
        Messages.id(g, id);
        g.writeStringField("type", "ack");
        g.writeStringField("op", "list");
        g.writeArrayFieldStart("subscriptions");
        for (Map.Entry<SymbolPattern, Set<String>> e : c.subscriptions().entrySet()) {
          g.writeStartObject();
          g.writeStringField("symbol", e.getKey().toString());
          Messages.strings(g, "types", e.getValue().isEmpty() ? TYPES : e.getValue());
          g.writeEndObject();
        }
        g.writeEndArray();
      })));
    } finally {
      lock.unlock();
    }
  }

  /** Symbols with a latest value on a feed, sorted, at most {@code limit}. */
  List<String> symbols(String feed, int limit) {
    lock.lock();
    try {
      return state.getOrDefault(feed, Map.of()).keySet().stream().sorted().limit(limit).toList();
    } finally {
      lock.unlock();
    }
  }

  /** {@code {"feed","symbol","ticker":<latest ticker message, both formats>|null,"books":[...]}}, or null when unknown. */
  String snap(String feed, String symbol) {
    lock.lock();
    try {
      SymbolState s = state.getOrDefault(feed, Map.of()).get(symbol);
      if (s == null) {
        return null;
      }
      return Messages.json(g -> {
        g.writeStringField("feed", feed);
        g.writeStringField("symbol", symbol);
        g.writeFieldName("ticker");
        if (s.ticker == null) {
          g.writeNull();
        } else {
          g.writeRawValue(s.ticker.snapshot(Format.BOTH).text());
        }
        g.writeArrayFieldStart("books");
        for (Map.Entry<String, Book> e : s.books.entrySet()) {
          if (e.getValue().known()) {
            g.writeStartObject();
            Messages.book(g, feed, symbol, e.getKey(), e.getValue());
            g.writeEndObject();
          }
        }
        g.writeEndArray();
      });
    } finally {
      lock.unlock();
    }
  }

  /** Forgets a closed client. */
  void remove(ClientSession c) {
    lock.lock();
    try {
      for (SymbolPattern p : c.subscriptions().keySet()) {
        drop(c, p);
      }
      c.subscriptions().clear();
    } finally {
      lock.unlock();
    }
  }

  private void drop(ClientSession c, SymbolPattern p) {
    Set<ClientSession> set = index.get(p);
    if (set != null && set.remove(c)) {
      metrics.unsubscribed(p.toString());
      if (set.isEmpty()) {
        index.remove(p);
      }
    }
  }

  private static long receivedAt(Delivered d) {
    String h = d.headers() == null ? null : d.headers().get(Headers.RECEIVED_AT);
    if (h != null) {
      try {
        return Long.parseLong(h);
      } catch (NumberFormatException ignored) {
        // fall through: a frame without a usable capture time gets the gateway's receive time
      }
    }
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** One complete JSON value and nothing after it. */
  static boolean isJson(byte[] payload) {
    try (JsonParser p = Messages.MAPPER.getFactory().createParser(payload)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }
}
