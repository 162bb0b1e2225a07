package io.ssmd.sim.polymarket;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.function.ToLongFunction;

/**
 * The simulator's Gamma catalogue: every market and event of the reference universe, generated
 * from its number on demand (nothing is stored per market), plus a sparse map of the changes made
 * since start (closed, reopened, renamed, added). Renders Gamma's {@code /markets} and
 * {@code /events} with offset paging and filters. Thread-safe: every method synchronizes on this.
 *
 * <p>Initial state: markets 1..{@code wsMarkets} are open; of the reference-only markets after
 * them every seventh (index divisible by 7) is closed, so closed-market queries have something to
 * find. {@code outcomePrices} are the universe's starting mid (the WebSocket books move, the
 * reference data does not), or 1/0 once resolved.
 */
final class Gamma {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 500;

  private static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant END_BASE = Instant.parse("2027-01-01T00:00:00Z");
  private static final String[][] TAGS = {
    {"2", "Politics", "politics"}, {"21", "Crypto", "crypto"}, {"100639", "Sports", "sports"},
    {"1013", "Economy", "economy"}, {"596", "Culture", "culture"}};

  /** What changed about one market since start. */
  private static final class Change {
    Boolean closed;
    Boolean yesWon;
    String question;
    long updatedMs;
  }

  private final int wsMarkets;
  private final int initialSize;
  private int size;
  private final Map<Integer, Change> changes = new HashMap<>();
  private Map<String, Integer> byCondition; // built on the first condition_ids query

  Gamma(int wsMarkets, int referenceMarkets) {
    this.wsMarkets = wsMarkets;
    this.initialSize = referenceMarkets;
    this.size = referenceMarkets;
  }

  synchronized int size() {
    return size;
  }

  synchronized int events() {
    return PolymarketUniverse.eventOf(size);
  }

  /** Appends a market to the universe, open; returns its number. */
  synchronized int add(long nowMs) {
    if (size >= PolymarketUniverse.MAX_REFERENCE_MARKETS) {
      throw new IllegalStateException("the universe is full: " + size + " markets");
    }
    size++;
    change(size, nowMs).closed = false;
    if (byCondition != null) {
      byCondition.put(PolymarketUniverse.conditionId(size), size);
    }
    return size;
  }

  /** Closes market {@code i} with a winner; false when it already was closed. */
  synchronized boolean close(int i, boolean yesWins, long nowMs) {
    check(i);
    if (closed(i)) {
      return false;
    }
    Change c = change(i, nowMs);
    c.closed = true;
    c.yesWon = yesWins;
    return true;
  }

  /** Opens market {@code i}; false when it already was open. */
  synchronized boolean open(int i, long nowMs) {
    check(i);
    if (!closed(i)) {
      return false;
    }
    Change c = change(i, nowMs);
    c.closed = false;
    c.yesWon = null;
    return true;
  }

  synchronized void rename(int i, String question, long nowMs) {
    check(i);
    if (question == null || question.isBlank()) {
      throw new IllegalArgumentException("question must not be blank");
    }
    if (!question.equals(question(i))) {
      change(i, nowMs).question = question;
    }
  }

  synchronized boolean closed(int i) {
    Change c = changes.get(i);
    if (c != null && c.closed != null) {
      return c.closed;
    }
    return i > wsMarkets && i <= initialSize && i % 7 == 0;
  }

  synchronized String question(int i) {
    Change c = changes.get(i);
    return c != null && c.question != null ? c.question : PolymarketUniverse.market(i).question();
  }

  private void check(int i) {
    if (i < 1 || i > size) {
      throw new IllegalArgumentException("market must be between 1 and " + size + ", got " + i);
    }
  }

  private Change change(int i, long nowMs) {
    Change c = changes.computeIfAbsent(i, k -> new Change());
    c.updatedMs = nowMs;
    return c;
  }

  // ---------------------------------------------------------------- queries

  /** Parsed query parameters common to both endpoints; multi-valued ones already split on commas. */
  record Query(
      int limit, int offset, Boolean active, Boolean closed, Boolean archived, String tagId, List<String> slugs,
      List<String> ids, List<String> tokenIds, List<String> conditionIds, String order, boolean ascending) {}

  /** One page of {@code /markets}: a JSON array. */
  synchronized String markets(Query q) {
    Set<Integer> explicit = explicitMarkets(q);
    IntPredicate match = i -> (explicit == null || explicit.contains(i))
        && (q.active() == null || q.active())
        && (q.closed() == null || q.closed() == closed(i))
        && (q.archived() == null || !q.archived())
        && (q.tagId() == null || q.tagId().equals(tag(PolymarketUniverse.eventOf(i))[0]));
    List<Integer> page = page(size, explicit, match, marketKey(q.order()), q);
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (int i : page) {
      out.add(market(i, true));
    }
    return out.toString();
  }

  /** One page of {@code /events}: a JSON array, each event with its nested markets. */
  synchronized String events(Query q) {
    if (!q.tokenIds().isEmpty() || !q.conditionIds().isEmpty()) {
      throw new IllegalArgumentException("/events does not filter by clob_token_ids or condition_ids");
    }
    Set<Integer> explicit = null;
    if (!q.ids().isEmpty() || !q.slugs().isEmpty()) {
      explicit = new HashSet<>();
      for (String id : q.ids()) {
        int e = number(id, 900_000);
        if (e >= 1 && e <= events()) {
          explicit.add(e);
        }
      }
      Set<Integer> bySlug = new HashSet<>();
      for (String s : q.slugs()) {
        int e = s.startsWith("ssmd-sim-event-") ? number(s.substring("ssmd-sim-event-".length()), 0) : -1;
        if (e >= 1 && e <= events()) {
          bySlug.add(e);
        }
      }
      if (q.ids().isEmpty()) {
        explicit = bySlug;
      } else if (!q.slugs().isEmpty()) {
        explicit.retainAll(bySlug);
      }
    }
    Set<Integer> chosen = explicit;
    IntPredicate match = e -> (chosen == null || chosen.contains(e))
        && (q.active() == null || q.active())
        && (q.closed() == null || q.closed() == eventClosed(e))
        && (q.archived() == null || !q.archived())
        && (q.tagId() == null || q.tagId().equals(tag(e)[0]));
    List<Integer> page = page(events(), explicit, match, eventKey(q.order()), q);
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (int e : page) {
      out.add(event(e));
    }
    return out.toString();
  }

  /** {@code /markets/slug/{slug}}: one market object, or null when no market has that slug. */
  synchronized String marketBySlug(String slug) {
    int i = slug.startsWith("ssmd-sim-market-") ? number(slug.substring("ssmd-sim-market-".length()), 0) : -1;
    return i >= 1 && i <= size ? market(i, true).toString() : null;
  }

  /** {@code /events/slug/{slug}}: one event object with its markets, or null when no event has that slug. */
  synchronized String eventBySlug(String slug) {
    int e = slug.startsWith("ssmd-sim-event-") ? number(slug.substring("ssmd-sim-event-".length()), 0) : -1;
    return e >= 1 && e <= events() ? event(e).toString() : null;
  }

  private static int number(String s, int base) {
    try {
      return Integer.parseInt(s.trim()) - base;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Markets named by id, slug, clob_token_ids or condition_ids (intersected), or null when none is given. */
  private Set<Integer> explicitMarkets(Query q) {
    Set<Integer> out = null;
    if (!q.ids().isEmpty()) {
      out = retain(out, q.ids().stream().map(s -> number(s, 500_000)).toList());
    }
    if (!q.slugs().isEmpty()) {
      out = retain(out, q.slugs().stream()
          .map(s -> s.startsWith("ssmd-sim-market-") ? number(s.substring("ssmd-sim-market-".length()), 0) : -1).toList());
    }
    if (!q.tokenIds().isEmpty()) {
      out = retain(out, q.tokenIds().stream().map(PolymarketUniverse::marketOfToken).toList());
    }
    if (!q.conditionIds().isEmpty()) {
      if (byCondition == null) {
        // one SHA-256 per market, once: later lookups are map hits
        byCondition = new HashMap<>(size * 2);
        for (int i = 1; i <= size; i++) {
          byCondition.put(PolymarketUniverse.conditionId(i), i);
        }
      }
      out = retain(out, q.conditionIds().stream().map(c -> byCondition.getOrDefault(c.toLowerCase(Locale.ROOT), -1)).toList());
    }
    return out;
  }

  private Set<Integer> retain(Set<Integer> sofar, List<Integer> found) {
    Set<Integer> valid = new TreeSet<>();
    for (int i : found) {
      if (i >= 1 && i <= size) {
        valid.add(i);
      }
    }
    if (sofar != null) {
      valid.retainAll(sofar);
    }
    return valid;
  }

  /**
   * The matching items {@code offset .. offset+limit} in the requested order. Id order walks the
   * numbers and stops after the page (no list of the whole universe); other orders sort the matches.
   */
  private static List<Integer> page(int count, Set<Integer> explicit, IntPredicate match, ToLongFunction<Integer> key, Query q) {
    List<Integer> out = new ArrayList<>(Math.min(q.limit(), 1024));
    if (key == null) {
      int skipped = 0;
      Iterable<Integer> candidates = explicit != null
          ? (q.ascending() ? new TreeSet<>(explicit) : new TreeSet<>(explicit).descendingSet())
          : () -> new java.util.PrimitiveIterator.OfInt() {
              int next = q.ascending() ? 1 : count;

              @Override
              public boolean hasNext() {
                return next >= 1 && next <= count;
              }

              @Override
              public int nextInt() {
                int v = next;
                next += q.ascending() ? 1 : -1;
                return v;
              }
            };
      for (int i : candidates) {
        if (out.size() >= q.limit()) {
          break;
        }
        if (match.test(i)) {
          if (skipped < q.offset()) {
            skipped++;
          } else {
            out.add(i);
          }
        }
      }
      return out;
    }
    List<Integer> all = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      if (match.test(i)) {
        all.add(i);
      }
    }
    // ties broken by number so pages never overlap
    Comparator<Integer> cmp = Comparator.comparingLong(key).thenComparingInt(i -> i);
    all.sort(q.ascending() ? cmp : cmp.reversed());
    return all.subList(Math.min(all.size(), q.offset()), Math.min(all.size(), q.offset() + q.limit()));
  }

  private ToLongFunction<Integer> marketKey(String order) {
    return switch (order) {
      case "id" -> null;
      case "volume", "volumeNum" -> i -> volumeCents(i);
      case "volume24hr" -> i -> volumeCents(i) / 30;
      case "liquidity", "liquidityNum" -> i -> volumeCents(i) / 10;
      case "startDate", "createdAt" -> i -> (long) i;
      case "endDate" -> i -> endHours(i) * 10_000_000L + i;
      case "updatedAt" -> this::updatedMs;
      default -> throw new IllegalArgumentException("unsupported order '" + order + "'");
    };
  }

  private ToLongFunction<Integer> eventKey(String order) {
    return switch (order) {
      case "id" -> null;
      case "volume", "volume24hr" -> e -> eventMarkets(e).stream().mapToLong(Gamma::volumeCents).sum();
      case "liquidity" -> e -> eventMarkets(e).stream().mapToLong(Gamma::volumeCents).sum() / 10;
      case "startDate", "createdAt" -> e -> (long) e;
      case "endDate" -> e -> endHours(PolymarketUniverse.firstMarketOf(e)) * 10_000_000L + e;
      default -> throw new IllegalArgumentException("unsupported order '" + order + "'");
    };
  }

  // ---------------------------------------------------------------- rendering

  private static long volumeCents(int i) {
    return ((long) i * 7919L) % 100_000_000L + 100_000L;
  }

  private static long endHours(int i) {
    return (i * 13L) % 8760;
  }

  private long updatedMs(int i) {
    Change c = changes.get(i);
    return c != null ? c.updatedMs : created(i).toEpochMilli();
  }

  private static Instant created(int i) {
    return EPOCH.plusSeconds(60L * i);
  }

  private static String[] tag(int e) {
    return TAGS[e % TAGS.length];
  }

  private List<Integer> eventMarkets(int e) {
    int first = PolymarketUniverse.firstMarketOf(e);
    List<Integer> out = new ArrayList<>(3);
    for (int i = first; i < first + PolymarketUniverse.eventSize(e) && i <= size; i++) {
      out.add(i);
    }
    return out;
  }

  private boolean eventClosed(int e) {
    return eventMarkets(e).stream().allMatch(this::closed);
  }

  private static String money(long cents) {
    return BigDecimal.valueOf(cents, 2).toPlainString();
  }

  private ObjectNode market(int i, boolean withEvent) {
    PolymarketUniverse.Market m = PolymarketUniverse.market(i);
    Change c = changes.get(i);
    boolean closed = closed(i);
    Boolean yesWon = c == null ? null : c.yesWon;
    int yesCents = 10 + (i * 37) % 80; // the starting mid of the WebSocket book (PolymarketSim.seedBook)
    String yesPrice = yesWon != null ? (yesWon ? "1" : "0") : BigDecimal.valueOf(yesCents, 2).toPlainString();
    String noPrice = yesWon != null ? (yesWon ? "0" : "1") : BigDecimal.valueOf(100 - yesCents, 2).toPlainString();
    long volume = volumeCents(i);
    Instant end = END_BASE.plus(endHours(i), ChronoUnit.HOURS);
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", Integer.toString(500_000 + i));
    o.put("question", question(i));
    o.put("conditionId", m.conditionId());
    o.put("slug", m.slug());
    o.put("resolutionSource", "");
    o.put("description", "Resolves Yes if simulated event " + i + " happens.");
    o.put("image", "https://sim.ssmd.invalid/img/" + i + ".png");
    o.put("icon", "https://sim.ssmd.invalid/img/" + i + ".png");
    o.put("startDate", created(i).toString());
    o.put("endDate", end.toString());
    o.put("startDateIso", created(i).toString().substring(0, 10));
    o.put("endDateIso", end.toString().substring(0, 10));
    o.put("createdAt", created(i).toString());
    o.put("updatedAt", Instant.ofEpochMilli(updatedMs(i)).toString());
    // Gamma sends these three as JSON text inside a string: clients parse them twice
    o.put("outcomes", "[\"Yes\", \"No\"]");
    o.put("outcomePrices", "[\"" + yesPrice + "\", \"" + noPrice + "\"]");
    o.put("clobTokenIds", "[\"" + m.yesToken() + "\", \"" + m.noToken() + "\"]");
    o.put("volume", money(volume));
    o.put("volumeNum", new BigDecimal(money(volume)));
    o.put("liquidity", money(volume / 10));
    o.put("liquidityNum", new BigDecimal(money(volume / 10)));
    o.put("volume24hr", new BigDecimal(money(volume / 30)));
    o.put("volume1wk", new BigDecimal(money(volume / 4)));
    o.put("volume1mo", new BigDecimal(money(volume / 2)));
    o.put("volume1yr", new BigDecimal(money(volume)));
    o.put("volumeClob", new BigDecimal(money(volume)));
    o.put("volume24hrClob", new BigDecimal(money(volume / 30)));
    o.put("liquidityClob", new BigDecimal(money(volume / 10)));
    o.put("active", true);
    o.put("closed", closed);
    o.put("archived", false);
    o.put("new", i > initialSize);
    o.put("featured", false);
    o.put("restricted", true);
    o.put("hasReviewedDates", true);
    o.put("enableOrderBook", true);
    o.put("acceptingOrders", !closed);
    o.put("orderPriceMinTickSize", new BigDecimal("0.01"));
    o.put("orderMinSize", 5);
    int e = PolymarketUniverse.eventOf(i);
    o.put("negRisk", PolymarketUniverse.eventSize(e) > 1);
    o.put("groupItemThreshold", "0");
    // deterministic and distinct from the condition id, like the venue's question hash
    o.put("questionID", "0x" + new StringBuilder(m.conditionId().substring(2)).reverse());
    o.put("marketMakerAddress", "");
    o.put("makerBaseFee", 0);
    o.put("takerBaseFee", 0);
    if (withEvent) {
      o.putArray("events").add(eventHeader(e));
    }
    return o;
  }

  private ObjectNode eventHeader(int e) {
    int first = PolymarketUniverse.firstMarketOf(e);
    List<Integer> ms = eventMarkets(e);
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", Integer.toString(900_000 + e));
    o.put("ticker", "ssmd-sim-event-" + e);
    o.put("slug", "ssmd-sim-event-" + e);
    o.put("title", "Simulated event " + e);
    o.put("description", "A simulated event with " + ms.size() + " market(s).");
    o.put("startDate", created(first).toString());
    o.put("endDate", END_BASE.plus(endHours(first), ChronoUnit.HOURS).toString());
    o.put("creationDate", created(first).toString());
    o.put("createdAt", created(first).toString());
    o.put("updatedAt", Instant.ofEpochMilli(ms.stream().mapToLong(this::updatedMs).max().orElse(0)).toString());
    o.put("active", true);
    o.put("closed", eventClosed(e));
    o.put("archived", false);
    o.put("new", first > initialSize);
    o.put("featured", false);
    o.put("restricted", true);
    long volume = ms.stream().mapToLong(Gamma::volumeCents).sum();
    o.put("liquidity", new BigDecimal(money(volume / 10)));
    o.put("volume", new BigDecimal(money(volume)));
    o.put("openInterest", 0);
    o.put("negRisk", PolymarketUniverse.eventSize(e) > 1);
    o.put("enableOrderBook", true);
    int s = e % 10;
    ObjectNode series = o.putArray("series").addObject();
    series.put("id", Integer.toString(700 + s));
    series.put("ticker", "ssmd-sim-series-" + s);
    series.put("slug", "ssmd-sim-series-" + s);
    series.put("title", "Simulated series " + s);
    series.put("recurrence", "weekly");
    String[] t = tag(e);
    ObjectNode tag = o.putArray("tags").addObject();
    tag.put("id", t[0]);
    tag.put("label", t[1]);
    tag.put("slug", t[2]);
    return o;
  }

  private ObjectNode event(int e) {
    ObjectNode o = eventHeader(e);
    ArrayNode markets = o.putArray("markets");
    for (int i : eventMarkets(e)) {
      markets.add(market(i, false));
    }
    return o;
  }

  /** Parses the shared query parameters; IllegalArgumentException names a bad one. */
  static Query query(Map<String, List<String>> params) {
    int limit = integer(params, "limit", DEFAULT_LIMIT);
    int offset = integer(params, "offset", 0);
    if (limit < 0 || offset < 0) {
      throw new IllegalArgumentException("limit and offset must be >= 0");
    }
    return new Query(
        Math.min(limit, MAX_LIMIT), offset, bool(params, "active"), bool(params, "closed"), bool(params, "archived"),
        single(params, "tag_id"), multi(params, "slug"), multi(params, "id"), multi(params, "clob_token_ids"),
        multi(params, "condition_ids"), single(params, "order") == null ? "id" : single(params, "order"),
        bool(params, "ascending") == null || bool(params, "ascending"));
  }

  private static String single(Map<String, List<String>> p, String name) {
    List<String> v = p.get(name);
    return v == null || v.isEmpty() || v.get(0).isBlank() ? null : v.get(0).trim();
  }

  private static List<String> multi(Map<String, List<String>> p, String name) {
    List<String> out = new ArrayList<>();
    for (String v : p.getOrDefault(name, List.of())) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }

  private static int integer(Map<String, List<String>> p, String name, int dflt) {
    String v = single(p, name);
    try {
      return v == null ? dflt : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'");
    }
  }

  private static Boolean bool(Map<String, List<String>> p, String name) {
    String v = single(p, name);
    if (v == null) {
      return null;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
    };
  }
}
