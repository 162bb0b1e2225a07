package io.ssmd.sim.kalshi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kalshi Trade API v2 REST (the security-master part) over the {@link KalshiReference} universe:
 * {@code /series}, {@code /series/{ticker}}, {@code /series/fee_changes}, {@code /events},
 * {@code /events/{ticker}}, {@code /markets}, {@code /markets/{ticker}}, {@code /exchange/status}.
 * Lists page with an opaque cursor that is empty on the last page. Errors use Kalshi's shape
 * {@code {"error":{"code","message","details","service"}}}.
 *
 * <p>Faults: the next N requests fail with 429 ({@code Retry-After: 1}) or a 5xx, and the next
 * market record can be malformed (a missing {@code status}, {@code close_time} as a number).
 */
final class KalshiRest {
  private static final Logger LOG = LoggerFactory.getLogger(KalshiRest.class);
  static final String BASE = "/trade-api/v2";
  static final String CONTROL = "/_sim/rest-fault";
  private static final JsonFactory JF = new JsonFactory();
  private static final int EVENTS_DEFAULT = 200;
  private static final int EVENTS_MAX = 200;
  private static final int MARKETS_DEFAULT = 100;
  private static final int MARKETS_MAX = 1000;

  private final KalshiReference ref;
  private final AtomicInteger failRemaining = new AtomicInteger();
  private volatile int failStatus = 429;
  private final AtomicInteger malformRemaining = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();

  KalshiRest(KalshiReference ref) {
    this.ref = ref;
  }

  /** A request error with its HTTP status and Kalshi error code. */
  private static final class HttpError extends Exception {
    final int status;
    final String code;

    HttpError(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  private static HttpError badRequest(String message) {
    return new HttpError(400, "bad_request", message);
  }

  // ---------------------------------------------------------------- faults

  void failNextRequests(int n, int status) {
    if (n < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + n);
    }
    if (status != 429 && (status < 500 || status > 599)) {
      throw new IllegalArgumentException("status must be 429 or 5xx, got " + status);
    }
    failStatus = status;
    failRemaining.set(n);
    LOG.info("sim kalshi: the next {} REST requests fail with HTTP {}", n, status);
  }

  void malformNextMarket() {
    malformRemaining.incrementAndGet();
  }

  Map<String, Object> status() {
    Map<String, Object> s = new java.util.LinkedHashMap<>();
    s.put("reference_markets", ref.size());
    s.put("reference_events", ref.events());
    s.put("rest_requests", requests.get());
    s.put("rest_failed", failed.get());
    s.put("rest_malformed_markets", malformed.get());
    return s;
  }

  // ---------------------------------------------------------------- routing

  boolean handle(Request request, Response response, Callback callback) throws IOException {
    String path = Request.getPathInContext(request);
    if (path.equals(CONTROL)) {
      return control(request, response, callback);
    }
    if (!path.startsWith(BASE + "/")) {
      return false;
    }
    requests.incrementAndGet();
    if (failRemaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      failed.incrementAndGet();
      int status = failStatus;
      if (status == 429) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        return error(response, callback, new HttpError(429, "too_many_requests", "too many requests"));
      }
      return error(response, callback, new HttpError(status, "internal_server_error", "simulated server error"));
    }
    if (!HttpMethod.GET.is(request.getMethod())) {
      return error(response, callback, new HttpError(405, "method_not_allowed", "method not allowed: " + request.getMethod()));
    }
    Map<String, String> q = query(request);
    String route = path.substring(BASE.length());
    try {
      byte[] body =
          switch (route) {
            case "/series" -> seriesList(q);
            case "/series/fee_changes" -> feeChanges(q);
            case "/events" -> events(q);
            case "/markets" -> markets(q);
            case "/exchange/status" -> exchangeStatus();
            default -> {
              if (route.startsWith("/series/")) {
                yield oneSeries(route.substring("/series/".length()), q);
              } else if (route.startsWith("/events/")) {
                yield oneEvent(route.substring("/events/".length()), q);
              } else if (route.startsWith("/markets/")) {
                yield oneMarket(route.substring("/markets/".length()));
              }
              throw new HttpError(404, "not_found", "not found: " + path);
            }
          };
      return write(response, callback, 200, body);
    } catch (HttpError e) {
      return error(response, callback, e);
    }
  }

  private boolean control(Request request, Response response, Callback callback) throws IOException {
    if (!HttpMethod.POST.is(request.getMethod())) {
      return error(response, callback, new HttpError(405, "method_not_allowed", "POST " + CONTROL + "?status=429&count=3 or ?malform=1"));
    }
    Map<String, String> q = query(request);
    try {
      Map<String, Object> reply = new java.util.LinkedHashMap<>();
      if (q.containsKey("malform")) {
        int n = Integer.parseInt(q.get("malform"));
        for (int i = 0; i < n; i++) {
          malformNextMarket();
        }
        reply.put("malform", n);
      }
      if (q.containsKey("status") || q.containsKey("count")) {
        int status = Integer.parseInt(q.getOrDefault("status", "429"));
        int count = Integer.parseInt(q.getOrDefault("count", "1"));
        failNextRequests(count, status);
        reply.put("status", status);
        reply.put("count", count);
      }
      if (reply.isEmpty()) {
        throw new IllegalArgumentException("give status and count (e.g. ?status=429&count=3) or malform=N");
      }
      return write(response, callback, 200, KalshiSim.JSON.writeValueAsBytes(reply));
    } catch (IllegalArgumentException e) {
      return error(response, callback, badRequest(e.getMessage()));
    }
  }

  private static Map<String, String> query(Request request) {
    Fields fields = Request.extractQueryParameters(request);
    Map<String, String> q = new HashMap<>();
    fields.forEach(f -> q.put(f.getName(), f.getValue()));
    return q;
  }

  private static boolean write(Response response, Callback callback, int status, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  private static boolean error(Response response, Callback callback, HttpError e) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JF.createGenerator(out)) {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeStringField("code", e.code);
      g.writeStringField("message", e.getMessage());
      g.writeStringField("details", e.getMessage());
      g.writeStringField("service", "exchange");
      g.writeEndObject();
      g.writeEndObject();
    }
    return write(response, callback, e.status, out.toByteArray());
  }

  // ---------------------------------------------------------------- parameters

  private static int limit(Map<String, String> q, int dflt, int max) throws HttpError {
    String s = q.get("limit");
    if (s == null || s.isEmpty()) {
      return dflt;
    }
    int n = integer("limit", s);
    if (n < 1 || n > max) {
      throw badRequest("limit must be 1.." + max + ", got " + n);
    }
    return n;
  }

  private static int integer(String name, String s) throws HttpError {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw badRequest(name + " must be an integer, got " + s);
    }
  }

  private static Long ts(Map<String, String> q, String name) throws HttpError {
    String s = q.get(name);
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw badRequest(name + " must be a Unix timestamp in seconds, got " + s);
    }
  }

  private static boolean bool(Map<String, String> q, String name) {
    return "true".equalsIgnoreCase(q.get(name));
  }

  /** Opaque cursor: the next index to consider, tagged with the list it belongs to. */
  static String cursor(char kind, int next) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + ":" + next).getBytes(StandardCharsets.UTF_8));
  }

  private static int fromCursor(Map<String, String> q, char kind) throws HttpError {
    String c = q.get("cursor");
    if (c == null || c.isEmpty()) {
      return 0;
    }
    try {
      String s = new String(Base64.getUrlDecoder().decode(c), StandardCharsets.UTF_8);
      if (s.length() < 3 || s.charAt(0) != kind || s.charAt(1) != ':') {
        throw badRequest("invalid cursor");
      }
      int n = Integer.parseInt(s.substring(2));
      if (n < 0) {
        throw badRequest("invalid cursor");
      }
      return n;
    } catch (IllegalArgumentException e) {
      throw badRequest("invalid cursor");
    }
  }

  /** Filter vocabulary (unopened|open|paused|closed|settled) to a predicate over market status. */
  private static java.util.function.Predicate<String> statusFilter(String filter) throws HttpError {
    if (filter == null || filter.isEmpty()) {
      return s -> true;
    }
    return switch (filter) {
      case "unopened" -> KalshiReference.INITIALIZED::equals;
      case "open" -> KalshiReference.ACTIVE::equals;
      case "paused" -> KalshiReference.INACTIVE::equals;
      // any market past close_time that is not yet finalized
      case "closed" -> s -> Set.of(KalshiReference.CLOSED, KalshiReference.DETERMINED, "disputed", "amended").contains(s);
      case "settled" -> KalshiReference.FINALIZED::equals;
      default -> throw badRequest("status must be one of unopened, open, paused, closed, settled; got " + filter);
    };
  }

  // ---------------------------------------------------------------- series

  private byte[] seriesList(Map<String, String> q) throws IOException, HttpError {
    String category = q.get("category");
    Set<String> tags = q.containsKey("tags") && !q.get("tags").isEmpty() ? Set.of(q.get("tags").split(",")) : null;
    Long minUpdated = ts(q, "min_updated_ts");
    boolean volume = bool(q, "include_volume");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JF.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("series");
      for (KalshiReference.Series s : KalshiReference.SERIES) {
        if (category != null && !category.isEmpty() && !category.equals(s.category())) {
          continue;
        }
        if (tags != null && s.tags().stream().noneMatch(tags::contains)) {
          continue;
        }
        if (minUpdated != null && ref.t0 - 2 * 86_400 < minUpdated) {
          continue;
        }
        series(g, s, volume);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private byte[] oneSeries(String ticker, Map<String, String> q) throws IOException, HttpError {
    int s = KalshiReference.seriesIndexOf(ticker);
    if (s < 0) {
      throw new HttpError(404, "not_found", "series not found: " + ticker);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JF.createGenerator(out)) {
      g.writeStartObject();
      g.writeFieldName("series");
      series(g, KalshiReference.SERIES.get(s), bool(q, "include_volume"));
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private void series(JsonGenerator g, KalshiReference.Series s, boolean volume) throws IOException {
    g.writeStartObject();
    g.writeStringField("ticker", s.ticker());
    g.writeStringField("frequency", s.frequency());
    g.writeStringField("title", s.title());
    g.writeStringField("category", s.category());
    g.writeArrayFieldStart("tags");
    for (String t : s.tags()) {
      g.writeString(t);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("settlement_sources");
    g.writeStartObject();
    g.writeStringField("name", "ssmd simulator");
    g.writeStringField("url", "https://example.invalid/ssmd-sim");
    g.writeEndObject();
    g.writeEndArray();
    g.writeStringField("contract_url", "https://example.invalid/ssmd-sim/" + s.ticker() + ".pdf");
    g.writeStringField("contract_terms_url", "https://example.invalid/ssmd-sim/terms.pdf");
    g.writeStringField("fee_type", s.feeType());
    g.writeNumberField("fee_multiplier", new java.math.BigDecimal(s.feeMultiplier()));
    g.writeArrayFieldStart("additional_prohibitions");
    g.writeEndArray();
    g.writeNullField("product_metadata");
    if (volume) {
      g.writeStringField("volume_fp", KalshiSim.count(Math.floorMod(KalshiReference.mix(ref.t0, s.ticker().hashCode()), 100_000_000L) * 100));
    }
    g.writeStringField("last_updated_ts", rfc3339(ref.t0 - 2 * 86_400));
    g.writeEndObject();
  }

  private byte[] feeChanges(Map<String, String> q) throws IOException {
    String seriesTicker = q.get("series_ticker");
    boolean historical = bool(q, "show_historical");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JF.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("series_fee_change_arr");
      for (KalshiReference.Series s : KalshiReference.SERIES) {
        if (seriesTicker != null && !seriesTicker.isEmpty() && !seriesTicker.equals(s.ticker())) {
          continue;
        }
        // one past change per series (history) and, for the weather series, one scheduled change
        if (historical) {
          feeChange(g, s.ticker(), "past", s.feeType(), s.feeMultiplier(), ref.t0 - 30 * 86_400);
        }
        if (s.ticker().equals("SIMWX")) {
          feeChange(g, s.ticker(), "next", "quadratic", "1", ref.t0 + 7 * 86_400);
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private static void feeChange(JsonGenerator g, String series, String which, String type, String multiplier, long ts) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", UUID.nameUUIDFromBytes(("kalshi-sim/fee/" + series + "/" + which).getBytes(StandardCharsets.UTF_8)).toString());
    g.writeStringField("series_ticker", series);
    g.writeStringField("fee_type", type);
    g.writeNumberField("fee_multiplier", new java.math.BigDecimal(multiplier));
    g.writeStringField("scheduled_ts", rfc3339(ts));
    g.writeEndObject();
  }

  private byte[] exchangeStatus() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JF.createGenerator(out)) {
      g.writeStartObject();
      g.writeBooleanField("exchange_active", true);
      g.writeBooleanField("trading_active", true);
      g.writeNullField("exchange_estimated_resume_time");
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  // ---------------------------------------------------------------- events

  private byte[] events(Map<String, String> q) throws IOException, HttpError {
    int limit = limit(q, EVENTS_DEFAULT, EVENTS_MAX);
    int from = fromCursor(q, 'e');
    boolean nested = bool(q, "with_nested_markets");
    java.util.function.Predicate<String> status = statusFilter(q.get("status"));
    int series = seriesParam(q);
    Long minClose = ts(q, "min_close_ts");
    Long minUpdated = ts(q, "min_updated_ts");
    int[] only = null;
    if (q.containsKey("tickers") && !q.get("tickers").isEmpty()) {
      TreeSet<Integer> set = new TreeSet<>();
      for (String t : q.get("tickers").split(",")) {
        int e = ref.eventIndexOf(t.trim());
        if (e >= 0) {
          set.add(e);
        }
      }
      only = set.stream().mapToInt(Integer::intValue).toArray();
    }
    int events = ref.events();
    int[] changed = minUpdated == null ? null : ref.changedIndexes();
    ByteArrayOutputStream out = new ByteArrayOutputStream(nested ? limit * 16_000 : limit * 600);
    int next = -1;
    try (JsonGenerator g = JF.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("events");
      int written = 0;
      IntCursor it = only != null ? IntCursor.of(only, from) : IntCursor.range(from, events);
      for (int e = it.next(); e >= 0; e = it.next()) {
        KalshiReference.State first = ref.state(e * KalshiSim.MARKETS_PER_EVENT);
        if (series >= 0 && first.seriesIndex() != series) {
          continue;
        }
        if (!status.test(first.status())) {
          continue;
        }
        if (minClose != null && first.closeTs() < minClose) {
          continue;
        }
        long updated = eventUpdated(e);
        if (minUpdated != null && updated < minUpdated && !anyChangedInEvent(changed, e, minUpdated)) {
          continue;
        }
        if (written == limit) {
          next = e;
          break;
        }
        event(g, e, first, updated, nested);
        written++;
      }
      g.writeEndArray();
      g.writeStringField("cursor", next < 0 ? "" : cursor('e', next));
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private boolean anyChangedInEvent(int[] changed, int e, long minUpdated) {
    for (int i : changed) {
      if (i / KalshiSim.MARKETS_PER_EVENT == e && ref.updatedTs(i) >= minUpdated) {
        return true;
      }
    }
    return false;
  }

  /** An event's last_updated_ts: the latest change of any of its markets. */
  private long eventUpdated(int e) {
    long u = ref.t0 - 86_400;
    int lo = e * KalshiSim.MARKETS_PER_EVENT;
    int hi = Math.min(lo + KalshiSim.MARKETS_PER_EVENT, ref.size());
    for (int i = lo; i < hi; i++) {
      u = Math.max(u, ref.updatedTs(i));
    }
    return u;
  }

  private int seriesParam(Map<String, String> q) throws HttpError {
    String s = q.get("series_ticker");
    if (s == null || s.isEmpty()) {
      return -1;
    }
    int i = KalshiReference.seriesIndexOf(s);
    // an unknown series simply matches nothing, as on the venue
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  private byte[] oneEvent(String ticker, Map<String, String> q) throws IOException, HttpError {
    int e = ref.eventIndexOf(ticker);
    if (e < 0) {
      throw new HttpError(404, "not_found", "event not found: " + ticker);
    }
    boolean nested = bool(q, "with_nested_markets");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JF.createGenerator(out)) {
      g.writeStartObject();
      g.writeFieldName("event");
      event(g, e, ref.state(e * KalshiSim.MARKETS_PER_EVENT), eventUpdated(e), nested);
      if (!nested) {
        // the single-event endpoint lists the markets beside the event unless they are nested
        g.writeArrayFieldStart("markets");
        eventMarkets(g, e);
        g.writeEndArray();
      }
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private void event(JsonGenerator g, int e, KalshiReference.State first, long updated, boolean nested) throws IOException {
    KalshiReference.Series s = first.series();
    boolean exclusive = (first.hash() & 1) == 0;
    g.writeStartObject();
    g.writeStringField("event_ticker", KalshiSim.eventTicker(e));
    g.writeStringField("series_ticker", s.ticker());
    g.writeStringField("title", "Simulated event " + e);
    g.writeStringField("sub_title", "ssmd simulator, " + s.category());
    g.writeStringField("collateral_return_type", exclusive ? "MECNET" : "");
    g.writeBooleanField("mutually_exclusive", exclusive);
    g.writeBooleanField("available_on_brokers", true);
    g.writeArrayFieldStart("settlement_sources");
    g.writeEndArray();
    g.writeStringField("category", s.category());
    g.writeStringField("strike_date", rfc3339(first.closeTs()));
    g.writeNullField("product_metadata");
    g.writeStringField("last_updated_ts", rfc3339(updated));
    if (e % 50 == 7) {
      // a few events override their series' fees
      g.writeStringField("fee_type_override", "quadratic");
      g.writeNumberField("fee_multiplier_override", new java.math.BigDecimal("0.5"));
    }
    if (nested) {
      g.writeArrayFieldStart("markets");
      eventMarkets(g, e);
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private void eventMarkets(JsonGenerator g, int e) throws IOException {
    int lo = e * KalshiSim.MARKETS_PER_EVENT;
    int hi = Math.min(lo + KalshiSim.MARKETS_PER_EVENT, ref.size());
    for (int i = lo; i < hi; i++) {
      market(g, ref.state(i));
    }
  }

  // ---------------------------------------------------------------- markets

  private byte[] markets(Map<String, String> q) throws IOException, HttpError {
    int limit = limit(q, MARKETS_DEFAULT, MARKETS_MAX);
    int from = fromCursor(q, 'm');
    String statusParam = q.get("status");
    java.util.function.Predicate<String> status = statusFilter(statusParam);
    String st = statusParam == null ? "" : statusParam;
    Long minCreated = ts(q, "min_created_ts");
    Long maxCreated = ts(q, "max_created_ts");
    Long minClose = ts(q, "min_close_ts");
    Long maxClose = ts(q, "max_close_ts");
    Long minSettled = ts(q, "min_settled_ts");
    Long maxSettled = ts(q, "max_settled_ts");
    Long minUpdated = ts(q, "min_updated_ts");
    // the venue's documented constraints between time filters and the status filter
    if ((minCreated != null || maxCreated != null) && !Set.of("", "unopened", "open").contains(st)) {
      throw badRequest("min_created_ts/max_created_ts can only be used with status unopened, open or no status");
    }
    if ((minClose != null || maxClose != null) && !Set.of("", "closed").contains(st)) {
      throw badRequest("min_close_ts/max_close_ts can only be used with status closed or no status");
    }
    if ((minSettled != null || maxSettled != null) && !Set.of("", "settled").contains(st)) {
      throw badRequest("min_settled_ts/max_settled_ts can only be used with status settled or no status");
    }
    String mve = q.get("mve_filter");
    if (mve != null && !mve.isEmpty() && !mve.equals("only") && !mve.equals("exclude")) {
      throw badRequest("mve_filter must be only or exclude, got " + mve);
    }
    boolean noneMve = "only".equals(mve); // the simulated universe has no multivariate markets
    int series = seriesParam(q);
    int size = ref.size();
    IntCursor it;
    String eventTicker = q.get("event_ticker");
    int lo = 0;
    int hi = size;
    if (eventTicker != null && !eventTicker.isEmpty()) {
      int e = ref.eventIndexOf(eventTicker);
      lo = e < 0 ? 0 : e * KalshiSim.MARKETS_PER_EVENT;
      hi = e < 0 ? 0 : Math.min(lo + KalshiSim.MARKETS_PER_EVENT, size);
    }
    if (q.containsKey("tickers") && !q.get("tickers").isEmpty()) {
      TreeSet<Integer> set = new TreeSet<>();
      for (String t : q.get("tickers").split(",")) {
        int i = ref.indexOf(t.trim());
        if (i >= 0) {
          set.add(i);
        }
      }
      it = IntCursor.of(set.stream().mapToInt(Integer::intValue).toArray(), from);
    } else if (minUpdated != null && minUpdated > ref.t0 - 86_400) {
      // only changed markets can have been updated after the start: no need to scan the universe
      it = IntCursor.of(ref.changedIndexes(), from);
    } else {
      it = IntCursor.range(Math.max(from, lo), hi);
    }
    it = it.within(lo, hi);
    IntPredicate seriesOk = i -> series < 0 || ref.seriesOf(i / KalshiSim.MARKETS_PER_EVENT) == series;
    ByteArrayOutputStream out = new ByteArrayOutputStream(limit * 1_600);
    int next = -1;
    try (JsonGenerator g = JF.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("markets");
      int written = 0;
      for (int i = noneMve ? -1 : it.next(); i >= 0; i = it.next()) {
        if (!seriesOk.test(i)) {
          continue;
        }
        KalshiReference.State m = ref.state(i);
        if (!status.test(m.status())
            || (minCreated != null && m.createdTs() < minCreated)
            || (maxCreated != null && m.createdTs() > maxCreated)
            || (minClose != null && m.closeTs() < minClose)
            || (maxClose != null && m.closeTs() > maxClose)
            || ((minSettled != null || maxSettled != null) && m.settledTs() == 0)
            || (minSettled != null && m.settledTs() < minSettled)
            || (maxSettled != null && m.settledTs() > maxSettled)
            || (minUpdated != null && m.updatedTs() < minUpdated)) {
          continue;
        }
        if (written == limit) {
          next = i;
          break;
        }
        market(g, m);
        written++;
      }
      g.writeEndArray();
      g.writeStringField("cursor", next < 0 ? "" : cursor('m', next));
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private byte[] oneMarket(String ticker) throws IOException, HttpError {
    int i = ref.indexOf(ticker);
    if (i < 0) {
      throw new HttpError(404, "not_found", "market not found: " + ticker);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JF.createGenerator(out)) {
      g.writeStartObject();
      g.writeFieldName("market");
      market(g, ref.state(i));
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private void market(JsonGenerator g, KalshiReference.State m) throws IOException {
    boolean malform = malformRemaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    if (malform) {
      malformed.incrementAndGet();
      LOG.info("sim kalshi: serving market {} malformed (no status, close_time as a number)", m.ticker());
    }
    long h = m.hash();
    int mid = 2 + (int) Long.remainderUnsigned(h, 96); // 2..97 cents
    int prevMid = Math.max(1, Math.min(98, mid + (int) ((h >>> 8) % 3) - 1));
    boolean open = m.status().equals(KalshiReference.ACTIVE) || m.status().equals(KalshiReference.INACTIVE);
    boolean finalized = m.status().equals(KalshiReference.FINALIZED);
    boolean determined = finalized || m.status().equals(KalshiReference.DETERMINED);
    String result = determined ? (mid >= 50 ? "yes" : "no") : "";
    long volume = (h >>> 20) % 5_000_000 * 100;
    String pls = switch ((int) ((h >>> 40) % 7)) {
      case 0 -> "deci_cent";
      case 1 -> "tapered_deci_cent";
      default -> "linear_cent";
    };
    g.writeStartObject();
    g.writeStringField("ticker", m.ticker());
    g.writeStringField("event_ticker", m.eventTicker());
    g.writeStringField("market_type", "binary");
    g.writeStringField("title", m.title());
    g.writeStringField("subtitle", "");
    g.writeStringField("yes_sub_title", "Above " + (m.index() % 100) + ".5");
    g.writeStringField("no_sub_title", "Not above " + (m.index() % 100) + ".5");
    g.writeStringField("created_time", rfc3339(m.createdTs()));
    g.writeStringField("updated_time", rfc3339(m.updatedTs()));
    g.writeStringField("open_time", rfc3339(m.openTs()));
    if (malform) {
      g.writeNumberField("close_time", m.closeTs());
      g.writeStringField("sim_unexpected_field", "schema surprise");
    } else {
      g.writeStringField("close_time", rfc3339(m.closeTs()));
    }
    g.writeStringField("expected_expiration_time", rfc3339(m.closeTs() + 3600));
    g.writeStringField("latest_expiration_time", rfc3339(m.closeTs() + 7 * 86_400));
    g.writeNumberField("settlement_timer_seconds", 300);
    if (!malform) {
      g.writeStringField("status", m.status());
    }
    g.writeStringField("response_price_units", "usd_cent");
    g.writeStringField("notional_value_dollars", "1.0000");
    g.writeStringField("yes_bid_dollars", KalshiSim.dollars(open ? mid - 1 : 0));
    g.writeStringField("yes_ask_dollars", KalshiSim.dollars(open ? mid + 1 : 100));
    g.writeStringField("no_bid_dollars", KalshiSim.dollars(open ? 99 - mid : 0));
    g.writeStringField("no_ask_dollars", KalshiSim.dollars(open ? 101 - mid : 100));
    g.writeStringField("yes_bid_size_fp", KalshiSim.count(open ? (h >>> 12) % 1000 * 100 : 0));
    g.writeStringField("yes_ask_size_fp", KalshiSim.count(open ? (h >>> 16) % 1000 * 100 : 0));
    g.writeStringField("last_price_dollars", KalshiSim.dollars(volume > 0 ? mid : 0));
    g.writeStringField("previous_yes_bid_dollars", KalshiSim.dollars(prevMid - 1));
    g.writeStringField("previous_yes_ask_dollars", KalshiSim.dollars(prevMid + 1));
    g.writeStringField("previous_price_dollars", KalshiSim.dollars(prevMid));
    g.writeStringField("volume_fp", KalshiSim.count(volume));
    g.writeStringField("volume_24h_fp", KalshiSim.count(open ? volume / 30 : 0));
    g.writeStringField("open_interest_fp", KalshiSim.count(volume / 3));
    g.writeStringField("liquidity_dollars", "0.0000");
    g.writeStringField("result", result);
    g.writeBooleanField("can_close_early", (h & 2) == 0);
    g.writeStringField("expiration_value", determined ? Integer.toString(m.index() % 100) : "");
    if (finalized) {
      g.writeStringField("settlement_value_dollars", result.equals("yes") ? "1.0000" : "0.0000");
      g.writeStringField("settlement_ts", rfc3339(m.settledTs()));
    }
    g.writeStringField("rules_primary", "If the simulated value for " + m.eventTicker() + " is above " + (m.index() % 100) + ".5, the market resolves to Yes.");
    g.writeStringField("rules_secondary", "");
    g.writeStringField("price_level_structure", pls);
    g.writeArrayFieldStart("price_ranges");
    switch (pls) {
      case "deci_cent" -> range(g, "0.0000", "1.0000", "0.0010");
      case "tapered_deci_cent" -> {
        range(g, "0.0000", "0.1000", "0.0010");
        range(g, "0.1000", "0.9000", "0.0100");
        range(g, "0.9000", "1.0000", "0.0010");
      }
      default -> range(g, "0.0000", "1.0000", "0.0100");
    }
    g.writeEndArray();
    g.writeStringField("strike_type", "greater");
    g.writeNumberField("floor_strike", new java.math.BigDecimal((m.index() % 100) + ".5"));
    g.writeBooleanField("fractional_trading_enabled", pls.equals("deci_cent"));
    g.writeEndObject();
  }

  private static void range(JsonGenerator g, String start, String end, String step) throws IOException {
    g.writeStartObject();
    g.writeStringField("start", start);
    g.writeStringField("end", end);
    g.writeStringField("step", step);
    g.writeEndObject();
  }

  static String rfc3339(long epochSeconds) {
    return Instant.ofEpochSecond(epochSeconds).toString();
  }

  /** Ascending indexes from a start: a range or a sorted list, optionally clipped to [lo, hi). */
  private abstract static class IntCursor {
    /** The next index, or -1 when done. */
    abstract int next();

    static IntCursor range(int from, int to) {
      return new IntCursor() {
        int i = from;

        @Override
        int next() {
          return i < to ? i++ : -1;
        }
      };
    }

    static IntCursor of(int[] sorted, int from) {
      int start = Arrays.binarySearch(sorted, from);
      int p0 = start >= 0 ? start : -start - 1;
      return new IntCursor() {
        int p = p0;

        @Override
        int next() {
          return p < sorted.length ? sorted[p++] : -1;
        }
      };
    }

    IntCursor within(int lo, int hi) {
      IntCursor outer = this;
      return new IntCursor() {
        @Override
        int next() {
          for (int i = outer.next(); i >= 0; i = outer.next()) {
            if (i >= hi) {
              return -1;
            }
            if (i >= lo) {
              return i;
            }
          }
          return -1;
        }
      };
    }
  }
}
