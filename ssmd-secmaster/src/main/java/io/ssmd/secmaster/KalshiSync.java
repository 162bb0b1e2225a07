package io.ssmd.secmaster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmd.secmaster.ChangeEvent.Kind;
import io.ssmd.secmaster.Upserter.Column;
import io.ssmd.secmaster.Upserter.Written;
import io.ssmd.transport.Transport;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads Kalshi reference data (series, events, markets, fee changes) from the REST API into
 * PostgreSQL, page by page in batches (memory is bounded by one page plus one batch), writes what
 * changed to the {@code change_events} outbox in the same transactions, and publishes the outbox
 * on {@code {env}.secmaster.changes.kalshi} when a transport is given.
 *
 * <p>Market state is derived here from {@code open_time}/{@code close_time} as well as the venue
 * status, because Kalshi sends no WebSocket event when a market opens or closes on schedule: a
 * re-sync after {@code open_time} turns a market {@code open} and emits {@link Kind#ACTIVATED}.
 */
public final class KalshiSync {
  private static final Logger LOG = LoggerFactory.getLogger(KalshiSync.class);
  /** Feed name in the outbox and subjects. */
  public static final String FEED = "kalshi";
  static final int MAX_REJECTIONS_KEPT = 100;
  /** Incremental syncs reach back this far before the last sync, so venue clock skew loses nothing. */
  static final Duration INCREMENTAL_OVERLAP = Duration.ofMinutes(1);
  /** Server-side limit on a sync session idle inside a transaction (it never is between pages). */
  static final Duration IDLE_IN_TRANSACTION_TIMEOUT = Duration.ofMinutes(1);
  /** Longest a sync statement waits for a row lock another session holds. */
  static final Duration LOCK_TIMEOUT = Duration.ofSeconds(30);
  private static final Set<String> TRANSITION_FIELDS = Set.of("state", "venue_status", "open_time", "close_time", "expiration_time", "result");
  private static final Set<String> SETTLED = Set.of("determined", "disputed", "amended", "finalized", "settled");

  private static final Upserter SERIES = new Upserter("kalshi_series", new Column("ticker", "text"),
      List.of(col("title"), col("category"), col("frequency"), col("tags"), col("fee_type"), new Column("fee_multiplier", "numeric"),
          col("contract_url")),
      List.of());
  private static final Upserter EVENTS = new Upserter("kalshi_events", new Column("event_ticker", "text"),
      List.of(col("series_ticker"), col("title"), col("sub_title"), col("category"), new Column("mutually_exclusive", "boolean"),
          new Column("strike_date", "timestamptz"), col("fee_type_override"), new Column("fee_multiplier_override", "numeric")),
      List.of());
  private static final Upserter MARKETS = new Upserter("kalshi_markets", new Column("ticker", "text"),
      List.of(col("event_ticker"), col("series_ticker"), col("market_type"), col("title"), col("yes_sub_title"), col("no_sub_title"),
          col("venue_status"), col("state"), new Column("open_time", "timestamptz"), new Column("close_time", "timestamptz"),
          new Column("expiration_time", "timestamptz"), col("result"), col("price_level_structure"), col("rules_primary")),
      List.of(new Column("volume", "numeric"), new Column("open_interest", "numeric")));
  private static final Upserter FEE_CHANGES = new Upserter("kalshi_fee_changes", new Column("id", "text"),
      List.of(col("series_ticker"), col("fee_type"), new Column("fee_multiplier", "numeric"), new Column("scheduled_ts", "timestamptz")),
      List.of());

  private final Database db;
  private final KalshiRestClient rest;
  private final KalshiSyncOptions options;
  private final Optional<Transport> transport;
  private final String env;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private volatile Consumer<SyncReport> progress = r -> {};
  private volatile Consumer<SyncCheckpoint> checkpoints;
  private volatile SyncCheckpoint resume;

  /**
   * @param env environment name for the change subject {@code {env}.secmaster.changes.kalshi}
   * @param transport where change events are published (empty: outbox only)
   */
  public KalshiSync(Database db, KalshiRestClient rest, KalshiSyncOptions options, String env, Optional<Transport> transport, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.rest = Objects.requireNonNull(rest, "rest");
    this.options = Objects.requireNonNull(options, "options");
    this.env = Objects.requireNonNull(env, "env");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Receives a running report after every page (for the CLI's progress line); called on the
   * syncing thread, so it must be quick.
   */
  public KalshiSync onProgress(Consumer<SyncReport> listener) {
    this.progress = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** The change subject for an environment and feed. */
  public static String changeSubject(String env, String feed) {
    return ChangeOutbox.subject(env, feed);
  }

  /**
   * Makes this sync resumable: the listener receives a {@link SyncCheckpoint} after every committed
   * page (and after the fee-change step), on the syncing thread, with no transaction of the sync
   * open, so it should be quick (a Temporal activity heartbeats it) but may block without holding
   * anything a retried attempt would wait on. A listener that throws aborts the sync after that page; what was
   * committed stays, and a later {@link #resumeFrom} with the last checkpoint continues from there.
   * A resumable run also persists the keys it has seen ({@code sync_seen}), so the resumed attempt
   * deduplicates, soft-deletes and re-derives states exactly as one uninterrupted run would.
   */
  public KalshiSync onCheckpoint(Consumer<SyncCheckpoint> listener) {
    this.checkpoints = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * Continues the run the checkpoint came from, with the page after it, instead of starting over.
   * The run keeps its original start instant (states, closing windows and the incremental
   * watermark derive from it), series scope, seen keys and counts: the database ends as after an
   * uninterrupted sync, with the same change events. The report's counts, change events and pages
   * cover the whole run; its duration, retries and rejection reasons cover this attempt only. A
   * batch committed after the last checkpoint (the attempt failed mid-page) is not counted again:
   * its keys are already seen.
   *
   * @throws IllegalArgumentException when the checkpoint is from another feed or other sync options
   */
  public KalshiSync resumeFrom(SyncCheckpoint checkpoint) {
    Objects.requireNonNull(checkpoint, "checkpoint");
    if (!FEED.equals(checkpoint.feed())) {
      throw new IllegalArgumentException("checkpoint is from feed '" + checkpoint.feed() + "', not " + FEED + "; start a new sync instead");
    }
    if (!options.scope().equals(checkpoint.scope())) {
      throw new IllegalArgumentException("checkpoint is from a sync with scope '" + checkpoint.scope() + "', these options have '"
          + options.scope() + "'; resume with the same options or start a new sync");
    }
    this.resume = checkpoint;
    return this;
  }

  /** Runs one sync; throws {@link KalshiRestException} when the venue keeps failing (what was committed stays). */
  public SyncReport run() throws Exception {
    long t0 = System.nanoTime();
    SyncCheckpoint from = resume;
    Instant started = from == null ? clock.instant() : from.startedAtInstant();
    long retries0 = rest.retries();
    Run run = new Run(started);
    boolean persist = checkpoints != null || from != null;
    String prefix = FEED + "/" + options.scope() + "/";
    run.runId = from != null ? from.runId() : persist ? prefix + UUID.randomUUID() : null;
    if (from != null) {
      run.restore(from);
    }
    run.progress = () -> progress.accept(run.report(Duration.ofNanos(System.nanoTime() - t0), rest.retries() - retries0));
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        // A page's upsert (a thousand rows through unnest and CTEs) is estimated above
        // jit_above_cost, and compiling it on every page costs more than it saves: without JIT
        // the upserts of a 100k-market first sync took 3.7 s instead of 5.4 s (docs/benchmarks.md).
        st.execute("set jit = off");
        // A retried attempt must never wait behind a hung one (a worker wedged inside its checkpoint
        // listener). Checkpoints are only ever taken with nothing uncommitted (see checkpoint), and
        // these bound the damage of anything else: a session left idle inside a transaction is
        // ended by the server, and a statement waiting for a row lock fails (and is retried by the
        // caller) instead of waiting for as long as the other session lives.
        st.execute("set idle_in_transaction_session_timeout = '" + IDLE_IN_TRANSACTION_TIMEOUT.toMillis() + "ms'");
        st.execute("set lock_timeout = '" + LOCK_TIMEOUT.toMillis() + "ms'");
      }
      for (Upserter u : List.of(SERIES, EVENTS, MARKETS, FEE_CHANGES)) {
        u.begin(c);
        if (from != null) {
          u.restore(c, run.runId);
        }
      }
      if (from == null && persist) {
        // an abandoned resumable run of the same scope is never resumed once a new one starts
        try (PreparedStatement ps = c.prepareStatement("delete from sync_seen where left(run_id, ?) = ?")) {
          ps.setInt(1, prefix.length());
          ps.setString(2, prefix);
          ps.executeUpdate();
        }
      }
      c.commit();
      if (from != null) {
        run.since = Optional.ofNullable(from.since()).map(Instant::parse);
      } else {
        Optional<Instant> since = options.incremental() ? lastSync(c) : Optional.empty();
        run.since = since.map(s -> s.minus(INCREMENTAL_OVERLAP));
      }
      // the watermark read must not stay open while the first page is fetched (venue backoff can
      // outlast the idle-in-transaction limit)
      c.commit();

      List<String> seriesScope = from == null || from.phase() == SyncCheckpoint.Phase.SERIES
          ? syncSeries(c, run, from)
          : from.seriesScope();
      run.seriesScope = seriesScope;
      List<Map<String, String>> scopes = new ArrayList<>();
      if (seriesScope == null) {
        scopes.add(Map.of());
      } else {
        for (String s : seriesScope) {
          scopes.add(Map.of("series_ticker", s));
        }
      }
      List<Query> plan = plan(started);
      List<Step> steps = new ArrayList<>();
      // FEES: no events or markets steps, only the fee changes after the series listing
      for (int si = 0; si < (options.mode() == KalshiSyncOptions.Mode.FEES ? 0 : scopes.size()); si++) {
        for (int qi = 0; qi < plan.size(); qi++) {
          steps.add(new Step(SyncCheckpoint.Phase.EVENTS, si, qi));
          steps.add(new Step(SyncCheckpoint.Phase.MARKETS, si, qi));
        }
      }
      steps.add(new Step(SyncCheckpoint.Phase.FEE_CHANGES, 0, 0));
      steps.add(new Step(SyncCheckpoint.Phase.FINISH, 0, 0));
      int first = 0;
      String firstCursor = null;
      if (from == null || from.phase() == SyncCheckpoint.Phase.SERIES) {
        checkpoint(c, run, steps.get(0), null);
      } else {
        first = steps.indexOf(new Step(from.phase(), from.scopeIndex(), from.queryIndex()));
        if (first < 0) {
          throw new IllegalArgumentException("checkpoint position " + from.phase() + " " + from.scopeIndex() + "/" + from.queryIndex()
              + " is not part of this sync's plan; start a new sync");
        }
        firstCursor = from.cursor();
      }
      for (int i = first; i < steps.size() - 2; i++) {
        Step step = steps.get(i);
        Step next = steps.get(i + 1);
        Query q = plan.get(step.queryIndex());
        Map<String, String> p = new LinkedHashMap<>(scopes.get(step.scopeIndex()));
        p.putAll(q.params());
        run.since.ifPresent(s -> p.put("min_updated_ts", Long.toString(s.getEpochSecond())));
        String cursor = i == first ? firstCursor : null;
        KalshiRestClient.PageDone done = nextCursor -> {
          run.pages++;
          checkpoint(c, run, nextCursor == null ? next : step, nextCursor);
        };
        if (step.phase() == SyncCheckpoint.Phase.EVENTS) {
          Map<String, String> ep = new LinkedHashMap<>(p);
          ep.put("limit", "200");
          // events accept min_close_ts but not min_settled_ts
          if (ep.remove("min_settled_ts") != null) {
            ep.put("min_close_ts", p.get("min_settled_ts"));
          }
          rest.pages("/events", ep, "events", q.firstPageOnly(), cursor, page -> upsertEvents(c, run, page), done);
        } else {
          Map<String, String> mp = new LinkedHashMap<>(p);
          mp.put("limit", "1000");
          rest.pages("/markets", mp, "markets", q.firstPageOnly(), cursor, page -> upsertMarkets(c, run, page), done);
        }
      }
      if (first <= steps.size() - 2) {
        if (options.fees() && seriesScope == null) {
          syncFeeChanges(c, run);
        }
        checkpoint(c, run, steps.get(steps.size() - 1), null);
      }
      if (options.complete()) {
        softDelete(c, run);
      }
      if (options.mode() != KalshiSyncOptions.Mode.FEES) {
        // a fees-only sync leaves the markets table (and its change events) alone
        deriveUnseen(c, run);
      }
      try (PreparedStatement ps = c.prepareStatement(
          "insert into sync_state (feed, scope, last_sync_at) values (?, ?, ?)"
              + " on conflict (feed, scope) do update set last_sync_at = excluded.last_sync_at")) {
        ps.setString(1, FEED);
        ps.setString(2, options.scope());
        ps.setTimestamp(3, Timestamp.from(started));
        ps.executeUpdate();
      }
      if (run.runId != null) {
        try (PreparedStatement ps = c.prepareStatement("delete from sync_seen where run_id = ?")) {
          ps.setString(1, run.runId);
          ps.executeUpdate();
        }
      }
      c.commit();
      for (Upserter u : List.of(SERIES, EVENTS, MARKETS, FEE_CHANGES)) {
        u.end(c);
      }
      c.commit();
    }
    publishOutbox();
    SyncReport report = run.report(Duration.ofNanos(System.nanoTime() - t0), rest.retries() - retries0);
    LOG.info("kalshi sync ({}) done: {} records, markets {}, {} rejected, {} change events, {} pages in {} ms ({} rows/s)",
        options.scope(), report.received(), report.table("kalshi_markets"), report.rejected(), report.changeEvents(), report.pages(),
        report.duration().toMillis(), Math.round(report.rowsPerSecond()));
    return report;
  }

  /** One step of a run's plan after the series listing. */
  private record Step(SyncCheckpoint.Phase phase, int scopeIndex, int queryIndex) {}

  /**
   * Tells the checkpoint listener, after committing whatever this session still has open (an
   * incremental sync's watermark read, a page that wrote nothing): the listener may block for as
   * long as it likes (a hung worker does) without holding a transaction, a snapshot or a lock
   * that a retried attempt of the same sync could wait on.
   */
  private void checkpoint(Connection c, Run run, Step step, String cursor) throws SQLException {
    Consumer<SyncCheckpoint> listener = checkpoints;
    if (listener != null) {
      c.commit();
      listener.accept(run.checkpoint(options.scope(), step.phase(), step.scopeIndex(), step.queryIndex(), cursor));
    }
  }

  /** One listing query; {@code firstPageOnly} for the unfiltered pass that catches not-yet-open records. */
  record Query(Map<String, String> params, boolean firstPageOnly) {}

  private List<Query> plan(Instant now) {
    List<Query> out = new ArrayList<>();
    Map<String, String> none = Map.of();
    if (options.mode() == KalshiSyncOptions.Mode.ACTIVE_ONLY) {
      out.add(new Query(Map.of("status", "open"), false));
      out.add(new Query(none, true));
    } else if (options.minCloseDaysAgo() != null) {
      String minClose = Long.toString(now.minus(Duration.ofDays(options.minCloseDaysAgo())).getEpochSecond());
      out.add(new Query(Map.of("status", "unopened"), false));
      out.add(new Query(Map.of("status", "open"), false));
      out.add(new Query(Map.of("status", "closed", "min_close_ts", minClose), false));
      out.add(new Query(Map.of("status", "settled", "min_settled_ts", minClose), false));
      out.add(new Query(none, true));
    } else {
      out.add(new Query(none, false));
    }
    return out;
  }

  /** Syncs series; returns the series to scope events/markets to, or null for the whole universe. */
  private List<String> syncSeries(Connection c, Run run, SyncCheckpoint from) throws Exception {
    Map<String, String> p = new LinkedHashMap<>();
    if (options.category() != null) {
      p.put("category", options.category());
    }
    if (!options.tags().isEmpty()) {
      p.put("tags", String.join(",", options.tags()));
    }
    run.since.ifPresent(s -> p.put("min_updated_ts", Long.toString(s.getEpochSecond())));
    boolean narrowed = options.mode() == KalshiSyncOptions.Mode.BY_SERIES || options.category() != null || !options.tags().isEmpty();
    List<String> scope = new ArrayList<>();
    if (from != null && from.seriesScope() != null) {
      scope.addAll(from.seriesScope());
    }
    Set<String> wanted = Set.copyOf(options.series());
    String startCursor = from == null ? null : from.cursor();
    rest.pages("/series", p, "series", false, startCursor, page -> {
      List<JsonNode> kept = new ArrayList<>();
      for (JsonNode n : page) {
        String t = n.path("ticker").asText("");
        if (wanted.isEmpty() || wanted.contains(t)) {
          kept.add(n);
          if (!t.isEmpty()) {
            scope.add(t);
          }
        }
      }
      upsertSeries(c, run, kept);
    }, next -> {
      run.pages++;
      if (next != null) {
        // the series listing's own checkpoints carry the scope collected so far
        run.seriesScope = narrowed ? List.copyOf(scope) : null;
        checkpoint(c, run, new Step(SyncCheckpoint.Phase.SERIES, 0, 0), next);
      }
    });
    if (!narrowed) {
      return null;
    }
    // explicitly requested series the listing did not return (e.g. incremental) are still synced
    for (String s : options.series()) {
      if (!scope.contains(s)) {
        scope.add(s);
      }
    }
    return scope;
  }

  private void upsertSeries(Connection c, Run run, List<JsonNode> page) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    for (JsonNode n : page) {
      try {
        List<String> tags = new ArrayList<>();
        JsonNode t = n.path("tags");
        if (t.isArray()) {
          t.forEach(x -> tags.add(x.asText()));
        } else if (!t.isMissingNode() && !t.isNull()) {
          throw new RecordException("tags is not an array");
        }
        rows.add(new String[] {
          required(n, "ticker"), text(n, "title"), text(n, "category"), text(n, "frequency"), tags.isEmpty() ? null : String.join(",", tags),
          text(n, "fee_type"), decimal(n, "fee_multiplier"), text(n, "contract_url")});
      } catch (RecordException e) {
        run.reject("series", n, e.getMessage());
      }
    }
    write(c, run, SERIES, rows, null);
  }

  private void upsertEvents(Connection c, Run run, List<JsonNode> page) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    for (JsonNode n : page) {
      try {
        String strike = time(n, "strike_date");
        rows.add(new String[] {
          required(n, "event_ticker"), required(n, "series_ticker"), text(n, "title"), text(n, "sub_title"), text(n, "category"),
          bool(n, "mutually_exclusive"), strike, text(n, "fee_type_override"), decimal(n, "fee_multiplier_override")});
      } catch (RecordException e) {
        run.reject("events", n, e.getMessage());
      }
    }
    write(c, run, EVENTS, rows, null);
  }

  private void upsertMarkets(Connection c, Run run, List<JsonNode> page) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    for (JsonNode n : page) {
      try {
        String ticker = required(n, "ticker");
        String event = required(n, "event_ticker");
        String status = required(n, "status");
        String open = time(n, "open_time");
        String close = time(n, "close_time");
        String volume = decimal(n, "volume_fp");
        if (options.minVolume() != null && (volume == null || new BigDecimal(volume).compareTo(options.minVolume()) < 0)) {
          run.filtered++;
          continue;
        }
        String series = text(n, "series_ticker");
        if (series == null) {
          // markets carry no series ticker on the wire; Kalshi event tickers are SERIES-REST
          int dash = event.indexOf('-');
          series = dash > 0 ? event.substring(0, dash) : event;
        }
        String expiration = time(n, "latest_expiration_time");
        if (expiration == null) {
          expiration = time(n, "expected_expiration_time");
        }
        rows.add(new String[] {
          ticker, event, series, text(n, "market_type"), text(n, "title"), text(n, "yes_sub_title"), text(n, "no_sub_title"), status,
          state(status, open, close, run.now), open, close, expiration, text(n, "result"), text(n, "price_level_structure"),
          text(n, "rules_primary"), volume, decimal(n, "open_interest_fp")});
      } catch (RecordException e) {
        run.reject("markets", n, e.getMessage());
      }
    }
    write(c, run, MARKETS, rows, "market");
    run.progress.run();
  }

  private void syncFeeChanges(Connection c, Run run) throws Exception {
    JsonNode body;
    try {
      body = rest.get("/series/fee_changes", Map.of("show_historical", "true"));
    } catch (KalshiRestException e) {
      if (e.status() == 404) {
        LOG.warn("kalshi REST has no /series/fee_changes here; fee changes not synced");
        return;
      }
      throw e;
    }
    run.pages++;
    List<String[]> rows = new ArrayList<>();
    for (JsonNode n : body.path("series_fee_change_arr")) {
      try {
        rows.add(new String[] {
          required(n, "id"), required(n, "series_ticker"), text(n, "fee_type"), decimal(n, "fee_multiplier"), time(n, "scheduled_ts")});
      } catch (RecordException e) {
        run.reject("fee_changes", n, e.getMessage());
      }
    }
    write(c, run, FEE_CHANGES, rows, null);
  }

  /** Upserts one batch (in {@code batchSize} chunks), records change events for markets, commits. */
  private void write(Connection c, Run run, Upserter u, List<String[]> rows, String entity) throws SQLException {
    Counts counts = run.counts(u.table());
    for (int from = 0; from < rows.size(); from += options.batchSize()) {
      List<String[]> chunk = rows.subList(from, Math.min(rows.size(), from + options.batchSize()));
      Upserter.Result r = u.upsert(c, chunk, run.runId);
      counts.received += chunk.size();
      counts.statsUpdated += r.statsUpdated();
      for (Written w : r.written()) {
        if (w.inserted()) {
          counts.inserted++;
        } else {
          counts.updated++;
        }
      }
      counts.unchanged += r.fresh() - r.written().size();
      if (entity != null) {
        for (Written w : r.written()) {
          outbox(c, run, entity, w);
        }
        flushEvents(c, run);
      }
      c.commit();
    }
  }

  private void outbox(Connection c, Run run, String entity, Written w) throws SQLException {
    Map<String, String> a = w.after();
    List<String> changed = w.changedFields();
    if (w.inserted() || w.restored()) {
      insertEvent(c, run, entity, w.key(), Kind.ADDED, w.inserted() ? List.of() : changed, a.get("state"), a.get("event_ticker"));
      return;
    }
    String before = w.before().get("state");
    String after = a.get("state");
    boolean transition = false;
    if (!Objects.equals(before, after)) {
      if ("open".equals(after)) {
        insertEvent(c, run, entity, w.key(), Kind.ACTIVATED, changed, after, a.get("event_ticker"));
        transition = true;
      } else if ("closed".equals(after) || "settled".equals(after)) {
        insertEvent(c, run, entity, w.key(), Kind.CLOSED, changed, after, a.get("event_ticker"));
        transition = true;
      }
    }
    // a transition event already lists the fields that explain it; CHANGED is for everything else
    List<String> other = transition ? changed.stream().filter(f -> !TRANSITION_FIELDS.contains(f)).toList() : changed;
    if (!other.isEmpty()) {
      insertEvent(c, run, entity, w.key(), Kind.CHANGED, other, after, a.get("event_ticker"));
    }
  }

  private void insertEvent(Connection c, Run run, String entity, String ticker, Kind kind, List<String> fields, String state, String event) {
    ObjectNode p = json.createObjectNode();
    p.put("feed", FEED).put("entity", entity).put("ticker", ticker).put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
    fields.forEach(p.putArray("fields")::add);
    p.put("state", state).put("event_ticker", event);
    run.pendingEvents.add(new String[] {entity, ticker, kind.name(), "{" + String.join(",", fields) + "}", p.toString()});
    run.changeEvents++;
  }

  /** Writes the change events collected for the current batch in one statement (same transaction as the rows). */
  private static void flushEvents(Connection c, Run run) throws SQLException {
    if (run.pendingEvents.isEmpty()) {
      return;
    }
    int n = run.pendingEvents.size();
    String[][] cols = new String[5][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 5; j++) {
        cols[j][i] = run.pendingEvents.get(i)[j];
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "insert into change_events (feed, entity, ticker, kind, fields, payload)"
            + " select ?, e, t, k, f::text[], p::jsonb from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
            + " with ordinality as u(e, t, k, f, p, o) order by o")) {
      ps.setString(1, FEED);
      for (int j = 0; j < 5; j++) {
        ps.setArray(j + 2, c.createArrayOf("text", cols[j]));
      }
      ps.executeUpdate();
    }
    run.pendingEvents.clear();
  }

  private void softDelete(Connection c, Run run) throws SQLException {
    for (Upserter u : List.of(SERIES, EVENTS, MARKETS)) {
      List<String> gone = u.softDeleteUnseen(c);
      run.counts(u.table()).softDeleted += gone.size();
      if (u == MARKETS) {
        for (String t : gone) {
          insertEvent(c, run, "market", t, Kind.REMOVED, List.of(), null, null);
        }
        flushEvents(c, run);
      }
    }
    c.commit();
  }

  /**
   * Markets this sync did not receive (filtered, incremental or by-series syncs) still open and
   * close on schedule: re-derive their state from the stored open/close times, since Kalshi sends
   * no event for either.
   */
  private void deriveUnseen(Connection c, Run run) throws SQLException {
    Timestamp now = Timestamp.from(run.now);
    try (PreparedStatement ps = c.prepareStatement(
        "with d as (select ticker, case when close_time <= ? then 'closed' when state = 'unopened' and open_time <= ? then 'open'"
            + " else state end as derived from kalshi_markets m where deleted_at is null and state in ('unopened', 'open', 'paused')"
            + " and not exists (select 1 from seen_kalshi_markets s where s.k = m.ticker))"
            + " update kalshi_markets m set state = d.derived, updated_at = now() from d where d.ticker = m.ticker and d.derived <> m.state"
            + " returning m.ticker, m.state, m.event_ticker")) {
      ps.setTimestamp(1, now);
      ps.setTimestamp(2, now);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String state = rs.getString(2);
          insertEvent(c, run, "market", rs.getString(1), "open".equals(state) ? Kind.ACTIVATED : Kind.CLOSED, List.of("state"), state,
              rs.getString(3));
          run.counts(MARKETS.table()).updated++;
        }
      }
    }
    flushEvents(c, run);
    c.commit();
  }

  private Optional<Instant> lastSync(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select last_sync_at from sync_state where feed = ? and scope = ?")) {
      ps.setString(1, FEED);
      ps.setString(2, options.scope());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
      }
    }
  }

  /** Publishes this feed's pending outbox rows when a transport was given; returns the number published. */
  public int publishOutbox() throws SQLException {
    return transport.isPresent() ? new ChangeOutbox(db).publish(transport.get(), env, FEED) : 0;
  }

  /** Derived state: the venue's terminal statuses win; otherwise open/close times decide. */
  static String state(String venueStatus, String openTime, String closeTime, Instant now) {
    if (SETTLED.contains(venueStatus)) {
      return "settled";
    }
    if ("closed".equals(venueStatus)) {
      return "closed";
    }
    if (closeTime != null && !now.isBefore(Instant.parse(closeTime))) {
      return "closed";
    }
    if (openTime != null && now.isBefore(Instant.parse(openTime))) {
      return "unopened";
    }
    if ("inactive".equals(venueStatus) || "paused".equals(venueStatus)) {
      return "paused";
    }
    if ("initialized".equals(venueStatus) || "unopened".equals(venueStatus)) {
      return openTime == null ? "unopened" : "open";
    }
    return "open";
  }

  private static Column col(String name) {
    return new Column(name, "text");
  }

  /** A record that cannot be stored as sent. */
  private static final class RecordException extends Exception {
    RecordException(String message) {
      super(message, null, false, false);
    }
  }

  private static String required(JsonNode n, String field) throws RecordException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new RecordException("missing " + field);
    }
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw new RecordException(field + " must be a non-empty string, got " + v.getNodeType());
    }
    return v.asText();
  }

  private static String text(JsonNode n, String field) throws RecordException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode() || v.isBinary()) {
      throw new RecordException(field + " must be a string, got " + v.getNodeType());
    }
    return v.asText();
  }

  private static String bool(JsonNode n, String field) throws RecordException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw new RecordException(field + " must be a boolean, got " + v.getNodeType());
    }
    return Boolean.toString(v.booleanValue());
  }

  /** Fixed-point strings ({@code "10.00"}) or JSON numbers, as plain decimal text. */
  private static String decimal(JsonNode n, String field) throws RecordException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
      return null;
    }
    if (v.isNumber()) {
      return v.decimalValue().toPlainString();
    }
    if (v.isTextual()) {
      try {
        return new BigDecimal(v.asText()).toPlainString();
      } catch (NumberFormatException e) {
        throw new RecordException(field + " must be a decimal, got \"" + v.asText() + "\"");
      }
    }
    throw new RecordException(field + " must be a decimal, got " + v.getNodeType());
  }

  /** RFC 3339 timestamps, normalised to UTC instants. */
  private static String time(JsonNode n, String field) throws RecordException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
      return null;
    }
    if (!v.isTextual()) {
      throw new RecordException(field + " must be an RFC 3339 timestamp string, got " + v.getNodeType());
    }
    try {
      return OffsetDateTime.parse(v.asText()).toInstant().toString();
    } catch (DateTimeParseException e) {
      throw new RecordException(field + " must be an RFC 3339 timestamp, got \"" + v.asText() + "\"");
    }
  }

  /** Mutable counters of one table during a run. */
  private static final class Counts {
    long received;
    long inserted;
    long updated;
    long unchanged;
    long softDeleted;
    long statsUpdated;
  }

  /** State of one run. */
  private static final class Run {
    final Instant now;
    Runnable progress = () -> {};
    Optional<Instant> since = Optional.empty();
    /** persisted seen keys' run id; null when the run is not resumable */
    String runId;
    List<String> seriesScope;
    final Map<String, Counts> counts = new LinkedHashMap<>();
    final List<String> rejections = new ArrayList<>();
    /** change events of the batch being written: entity, ticker, kind, fields (array literal), payload */
    final List<String[]> pendingEvents = new ArrayList<>();
    long rejected;
    long filtered;
    long changeEvents;
    long pages;

    Run(Instant now) {
      this.now = now;
    }

    Counts counts(String table) {
      return counts.computeIfAbsent(table, k -> new Counts());
    }

    void reject(String listing, JsonNode n, String reason) {
      rejected++;
      if (rejections.size() < MAX_REJECTIONS_KEPT) {
        String id = n.path("ticker").isTextual() ? n.path("ticker").asText()
            : n.path("event_ticker").isTextual() ? n.path("event_ticker").asText() : "?";
        rejections.add(listing + " " + id + ": " + reason);
      }
      LOG.debug("kalshi {} record rejected: {}", listing, reason);
    }

    /** Takes over the counts of the attempts before a resume. */
    void restore(SyncCheckpoint from) {
      from.tables().forEach((table, t) -> {
        Counts c = counts(table);
        c.received = t.received();
        c.inserted = t.inserted();
        c.updated = t.updated();
        c.unchanged = t.unchanged();
        c.softDeleted = t.softDeleted();
        c.statsUpdated = t.statsUpdated();
      });
      rejected = from.rejected();
      filtered = from.filtered();
      changeEvents = from.changeEvents();
      pages = from.pages();
    }

    SyncCheckpoint checkpoint(String scope, SyncCheckpoint.Phase phase, int scopeIndex, int queryIndex, String cursor) {
      return new SyncCheckpoint(FEED, scope, runId, now.toString(), since.map(Instant::toString).orElse(null), seriesScope, phase,
          scopeIndex, queryIndex, cursor, tableCounts(), rejected, filtered, changeEvents, pages);
    }

    Map<String, SyncReport.TableCounts> tableCounts() {
      Map<String, SyncReport.TableCounts> t = new LinkedHashMap<>();
      counts.forEach((k, c) -> t.put(k, new SyncReport.TableCounts(c.received, c.inserted, c.updated, c.unchanged, c.softDeleted, c.statsUpdated)));
      return t;
    }

    SyncReport report(Duration duration, long retries) {
      return new SyncReport(FEED, tableCounts(), rejected, rejections, filtered, changeEvents, pages, retries, duration);
    }
  }
}
