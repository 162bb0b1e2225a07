package io.ssmd.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ssmd.config.ResolvedEnvironment;
import io.ssmd.secmaster.Database;
import io.ssmd.secmaster.EmbeddedDatabase;
import io.ssmd.secmaster.KalshiRestClient;
import io.ssmd.secmaster.KalshiRestOptions;
import io.ssmd.secmaster.KalshiSync;
import io.ssmd.secmaster.KalshiSyncOptions;
import io.ssmd.secmaster.MarketQuery;
import io.ssmd.secmaster.MarketRecord;
import io.ssmd.secmaster.SecurityMaster;
import io.ssmd.secmaster.SyncReport;
import io.ssmd.secmaster.kraken.KrakenSync;
import io.ssmd.secmaster.kraken.KrakenSyncReport;
import io.ssmd.secmaster.polymarket.PolymarketSync;
import io.ssmd.secmaster.polymarket.PolymarketSyncReport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ssmd secmaster sync|list|show <env>}: venue reference data in PostgreSQL. */
@Command(
    name = "secmaster",
    description = "Security master: sync venue reference data into PostgreSQL (and the Redis cache), list and show markets.",
    mixinStandardHelpOptions = true,
    subcommands = {SecmasterCommand.Sync.class, SecmasterCommand.ListMarkets.class, SecmasterCommand.Show.class})
final class SecmasterCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Which environment and which database: DATABASE_URL / --database-url, else an embedded PostgreSQL under --data-dir. */
  static final class Target {
    @Parameters(index = "0", paramLabel = "ENV", description = "Environment name or file; its feed and rest_endpoint are used.")
    String env;

    @Option(names = "--database-url", description = "jdbc:postgresql://… or postgres://user:pass@host:port/db (default: $DATABASE_URL, else embedded).")
    String databaseUrl;

    @Option(names = "--data-dir", defaultValue = "data/pg", description = "Embedded PostgreSQL data directory (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--feeds-dir", description = "Feed files (default: ../feeds beside the environment).")
    Path feedsDir;

    private EmbeddedDatabase embedded;

    ResolvedEnvironment environment() {
      return EnvCommand.load(env, feedsDir);
    }

    Database open() {
      String url = databaseUrl != null ? databaseUrl : System.getenv("DATABASE_URL");
      if (url != null && !url.isBlank()) {
        return Database.fromUrl(url);
      }
      embedded = EmbeddedDatabase.start(Optional.of(dataDir));
      return Database.embedded(embedded);
    }

    void close(Database db) {
      db.close();
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  static URI rest(ResolvedEnvironment r) {
    return r.restEndpoint().orElseThrow(() -> new UsageException(r.environmentFile()
        + ": no rest_endpoint (set it in the environment or the feed version)"));
  }

  @Command(name = "sync", description = "Load the venue's reference data (Kalshi series/events/markets, Kraken pairs, Polymarket events/markets/tokens).", mixinStandardHelpOptions = true)
  static final class Sync implements Callable<Integer> {
    @Mixin Target target;

    @Option(names = "--mode", defaultValue = "full", description = "Kalshi: full (default), active, series. Polymarket: full = active events, markets = active markets.")
    String mode;

    @Option(names = "--series", split = ",", description = "Kalshi series tickers for --mode series.")
    List<String> series;

    @Option(names = "--incremental", description = "Kalshi: only what changed since the last sync (min_updated_ts).")
    boolean incremental;

    @Option(names = "--min-close-days-ago", description = "Kalshi: also closed/settled markets that closed within this many days.")
    Integer minCloseDaysAgo;

    @Option(names = "--publish", description = "Also publish the feed's pending change events to {prefix}.secmaster.changes.{feed}"
        + " (stream {PREFIX}_SECMASTER on the environment's NATS server; create it with ssmd env apply).")
    boolean publish;

    @Override
    public Integer call() throws Exception {
      ResolvedEnvironment r = target.environment();
      if (publish) {
        SecmasterPublish.check(r);
      }
      Database db = target.open();
      try {
        switch (r.feedName()) {
          case "kalshi" -> {
            KalshiSyncOptions o = switch (mode) {
              case "full" -> KalshiSyncOptions.full();
              case "active" -> KalshiSyncOptions.activeOnly();
              case "series" -> {
                if (series == null || series.isEmpty()) {
                  throw new UsageException("--mode series needs --series TICKER[,TICKER...]");
                }
                yield KalshiSyncOptions.bySeries(series);
              }
              default -> throw new UsageException("--mode must be full, active or series for kalshi, got '" + mode + "'");
            };
            o = o.withIncremental(incremental).withFilters(null, List.of(), null, minCloseDaysAgo);
            SyncReport rep = new KalshiSync(db, new KalshiRestClient(KalshiRestOptions.defaults(rest(r))), o, r.subjectPrefix(),
                Optional.empty(), Clock.systemUTC())
                .onProgress(p -> progress("kalshi: " + p.received() + " received, " + p.pages() + " pages"))
                .run();
            endProgress();
            System.out.printf("kalshi: %d received in %d pages, %s; %d rejected, %d change events, %.0f rows/s, %d ms%n",
                rep.received(), rep.pages(), rep.tables(), rep.rejected(), rep.changeEvents(), rep.rowsPerSecond(), rep.duration().toMillis());
            rep.rejections().stream().limit(10).forEach(x -> System.err.println("  rejected: " + x));
          }
          case "kraken" -> {
            // the feed's rest_endpoint is the public API root (…/0/public); the sync appends /0/public/AssetPairs itself
            URI base = URI.create(rest(r).toString().replaceFirst("/0/public/?$", ""));
            KrakenSyncReport rep = new KrakenSync(db.dataSource(), base, KrakenSync.Options.defaults()).sync();
            System.out.printf("kraken: pairs %s; %d rejected, %d change events, %d ms%n", rep.pairs(), rep.rejected().size(),
                rep.changeEvents(), rep.elapsed().toMillis());
          }
          case "polymarket" -> {
            PolymarketSync.Mode m = switch (mode) {
              case "full" -> PolymarketSync.Mode.ACTIVE_EVENTS;
              case "markets" -> PolymarketSync.Mode.valueOf("ACTIVE_MARKETS");
              default -> throw new UsageException("--mode must be full or markets for polymarket, got '" + mode + "'");
            };
            PolymarketSyncReport rep = new PolymarketSync(db.dataSource(), rest(r), PolymarketSync.Options.defaults())
                .sync(m, p -> progress("polymarket: " + p.pages() + " pages"));
            endProgress();
            System.out.printf("polymarket: events %s, markets %s, tokens %s; %d rejected, %d pages, %d change events, %d ms%n",
                rep.events(), rep.markets(), rep.tokens(), rep.rejectedCount(), rep.pages(), rep.changeEvents(), rep.elapsed().toMillis());
          }
          default -> throw new UsageException("no security-master sync for feed " + r.feedName());
        }
        if (publish) {
          SecmasterPublish.Result p = SecmasterPublish.publish(r, db);
          System.out.printf("published %d change events to %s%s%n", p.published(), p.subject(),
              p.pending() == 0 ? "" : "; " + p.pending() + " still pending (run again with --publish)");
        }
        SecmasterCache.refresh(r, db).ifPresent(c -> System.out.printf("cache %s: %d listed, %d open, %d removed%n",
            r.environment().cache().url(), c.listed(), c.open(), c.removed()));
      } finally {
        target.close(db);
      }
      return Main.EXIT_OK;
    }
  }

  @Command(name = "list", description = "What is trading and what it means: Kalshi markets, Kraken pairs, Polymarket markets with their tokens."
      + " Reads the environment's Redis cache when it has a refreshed one, else PostgreSQL (the footer says which).",
      mixinStandardHelpOptions = true)
  static final class ListMarkets implements Callable<Integer> {
    @Mixin Target target;

    @Option(names = "--status", description = "State: unopened, open, paused, closed, settled (Kraken: open = online, paused = cancel/post/limit/reduce only, closed = delisted).")
    String status;

    @Option(names = "--category", description = "Kalshi: series category. Kraken: base asset class (e.g. currency).")
    String category;

    @Option(names = "--series", description = "Kalshi: series ticker.")
    String series;

    @Option(names = "--search", description = "Substring of ticker or title (Kraken: also altname and REST name; Polymarket: question, slug, event title).")
    String search;

    @Option(names = "--closing-within", description = "Kalshi, Polymarket: closing (end date) within this long from now, e.g. 2h, 1d.")
    String closingWithin;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many rows (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      ResolvedEnvironment r = target.environment();
      Duration within = closingWithin == null ? null : io.ssmd.config.Durations.parse(closingWithin);
      MarketQuery q;
      try {
        q = new MarketQuery(r.feedName(), status, category, series, search, within, limit);
        SecurityMaster.validate(q);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      Database db = target.open();
      try {
        SecmasterCache.Answer<List<MarketRecord>> answer = SecmasterCache.list(r, db, q);
        List<MarketRecord> rows = answer.value();
        if (json) {
          ObjectMapper m = mapper();
          for (MarketRecord row : rows) {
            System.out.println(m.writeValueAsString(row));
          }
        } else {
          SecmasterTable.print(r.feedName(), rows, System.out);
        }
        System.err.println(rows.size() + " " + SecmasterTable.noun(r.feedName()) + " from " + answer.source());
      } finally {
        target.close(db);
      }
      return Main.EXIT_OK;
    }
  }

  @Command(name = "show", description = "One market with its event, series and fees (Kraken: a pair by symbol, wsname or altname;"
      + " Polymarket: a market by condition id, slug, market id or token id, with its tokens).", mixinStandardHelpOptions = true)
  static final class Show implements Callable<Integer> {
    @Mixin Target target;

    @Parameters(index = "1", paramLabel = "TICKER", description = "Market ticker, pair symbol, or Polymarket condition id, slug or token id.")
    String ticker;

    @Override
    public Integer call() throws Exception {
      ResolvedEnvironment r = target.environment();
      if (!SecurityMaster.FEEDS.contains(r.feedName())) {
        throw new UsageException("no security master for feed " + r.feedName() + " (kept: " + String.join(", ", SecurityMaster.FEEDS) + ")");
      }
      Database db = target.open();
      try {
        SecmasterCache.Answer<Optional<MarketRecord>> answer = SecmasterCache.show(r, db, ticker);
        if (answer.value().isEmpty()) {
          System.err.println("ssmd: no " + SecmasterTable.noun(r.feedName()).replaceFirst("s$", "") + " " + ticker + " in the "
              + r.feedName() + " security master (run ssmd secmaster sync " + target.env + ")");
          return Main.EXIT_FAILURE;
        }
        System.out.println(mapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(answer.value().get()));
        System.err.println("from " + answer.source());
      } finally {
        target.close(db);
      }
      return Main.EXIT_OK;
    }
  }

  private static ObjectMapper mapper() {
    return new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  private static void progress(String line) {
    if (System.console() != null) {
      System.err.print("\r\033[K" + line);
    }
  }

  private static void endProgress() {
    if (System.console() != null) {
      System.err.println();
    }
  }
}
