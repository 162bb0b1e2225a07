package io.ssmd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.secmaster.Database;
import io.ssmd.secmaster.EmbeddedDatabase;
import io.ssmd.secmaster.KalshiRestClient;
import io.ssmd.secmaster.KalshiRestOptions;
import io.ssmd.secmaster.KalshiSync;
import io.ssmd.secmaster.KalshiSyncOptions;
import io.ssmd.secmaster.SyncReport;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.kalshi.KalshiAuth;
import io.ssmd.sim.kalshi.KalshiSim;
import io.ssmd.sim.kalshi.KalshiSimOptions;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Security-master sync benchmark (issue 4): how fast {@link KalshiSync} loads a Kalshi universe
 * from the simulator's REST API into PostgreSQL, next to the raw limit of paging the same listings,
 * how long a no-change re-sync takes, and the memory of {@code ssmd secmaster sync} as deployed.
 * One run, on 127.0.0.1 only, stops by itself:
 *
 * <ol>
 *   <li>a {@link KalshiSim} with {@code markets} reference markets (no market-data traffic, no
 *       lifecycle changes during the run) served by a {@link SimServer};
 *   <li>the limit: the JDK HTTP client paging the listings a full sync reads ({@code /series},
 *       {@code /events?limit=200}, {@code /markets?limit=1000}) and parsing every page into a Jackson
 *       tree, as {@link KalshiRestClient} does, with no database; one unmeasured pass, then measured;
 *   <li>an embedded PostgreSQL; one unmeasured warm-up sync, the tables truncated, then the measured
 *       first sync ({@link KalshiSyncOptions#full()}), with the client's token bucket raised so that
 *       its rate limit (20 requests/s by default) is not what is measured;
 *   <li>the no-change re-sync: its time and the rows it changed (0 expected);
 *   <li>{@code ssmd secmaster sync} in a separate JVM ({@code -Xmx512m} by default, its own embedded
 *       PostgreSQL in a fresh data directory) syncing the same universe: its peak VmRSS.
 * </ol>
 *
 * <p>{@code scripts/bench.sh secmaster [options]} runs it; see {@link SecmasterBenchOptions#USAGE}.
 */
public final class SecmasterBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(SecmasterBenchmark.class);
  /** The in-process client's token bucket: far above what one connection to the sim can do. */
  static final double CLIENT_REQUESTS_PER_SECOND = 1_000_000;
  private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(15);
  private static final Pattern CHILD_RECEIVED = Pattern.compile("kalshi: (\\d+) received");

  private final SecmasterBenchOptions options;

  public SecmasterBenchmark(SecmasterBenchOptions options) {
    this.options = options;
  }

  public static void main(String[] args) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(SecmasterBenchOptions.USAGE);
      System.exit(0);
      return;
    }
    SecmasterBenchOptions options;
    try {
      options = SecmasterBenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("secmaster benchmark: " + e.getMessage());
      System.err.println(SecmasterBenchOptions.USAGE);
      System.exit(2);
      return;
    }
    try {
      SecmasterReport report = new SecmasterBenchmark(options).run();
      System.out.print(report.format());
      System.exit(0);
    } catch (Exception e) {
      LOG.error("secmaster benchmark failed: {}", e.toString(), e);
      System.err.println("secmaster benchmark failed: " + e);
      System.exit(1);
    }
  }

  private record Raw(long records, long pages, double seconds) {}

  private record Child(long peakRss, long records, double seconds) {}

  /** Runs every phase and returns the figures. */
  public SecmasterReport run() throws Exception {
    String date = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    List<String> notes = new ArrayList<>();
    String loadAtStart = loadAverage();
    Path work = Files.createTempDirectory("ssmd-bench-secmaster-");
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    try {
      KalshiAuth.DevKey key = KalshiAuth.generate();
      KalshiSimOptions simOptions = KalshiSimOptions.defaults(Map.of(key.keyId(), key.publicKey()))
          .withMessagesPerSecond(0)
          .withLifecycleInterval(Duration.ofHours(1))
          .withReferenceMarkets(options.markets());
      KalshiSim sim = new KalshiSim(simOptions, new Journal(1_000), scheduler);
      try (SimServer server = new SimServer(sim, "127.0.0.1", 0, 1 << 20).start()) {
        URI rest = URI.create(server.httpUri() + "/trade-api/v2");
        progress("1/4 simulator: %,d Kalshi reference markets at %s", sim.referenceMarkets(), rest);

        progress("2/4 raw paging (HTTP + JSON, no DB): warm-up, then measured");
        rawPaging(rest);
        Raw raw = rawPaging(rest);

        SyncReport first;
        SyncReport again;
        progress("3/4 embedded PostgreSQL; warm-up sync (unmeasured), truncate, first sync, no-change re-sync");
        try (Database db = Database.embedded(EmbeddedDatabase.start(Optional.empty()))) {
          sync(db, rest);
          truncate(db);
          first = sync(db, rest);
          again = sync(db, rest);
        }
        if (first.rejected() > 0) {
          notes.add(first.rejected() + " record(s) rejected by the first sync: " + first.rejections());
        }
        long inserted = first.table("kalshi_markets").inserted();
        if (inserted != sim.referenceMarkets()) {
          throw new IllegalStateException("first sync inserted " + inserted + " markets, expected " + sim.referenceMarkets());
        }
        long changed = again.tables().values().stream().mapToLong(SyncReport.TableCounts::changed).sum();

        Child child = new Child(0, 0, 0);
        if (options.rss()) {
          progress("4/4 ssmd secmaster sync in a separate JVM (-Xmx%s), sampling VmRSS", options.childHeap());
          child = child(server, work);
          notes.add("the separate sync uses the CLI's default client limit (20 requests/s), so its wall time is not a"
              + " throughput figure; its RSS is the JVM's alone (the embedded PostgreSQL is another process)");
        }
        notes.add("1-min load average " + loadAtStart + " at start, " + loadAverage()
            + " at end; simulator, client and PostgreSQL share the machine's cores");
        return new SecmasterReport(date, sim.referenceMarkets(), Runtime.getRuntime().availableProcessors(), CLIENT_REQUESTS_PER_SECOND,
            raw.records(), raw.pages(), raw.seconds(),
            first.received(), inserted, first.pages(), first.duration().toNanos() / 1e9,
            again.received(), changed, again.changeEvents(), again.duration().toNanos() / 1e9,
            options.childHeap(), child.peakRss(), child.records(), child.seconds(), notes);
      }
    } finally {
      scheduler.shutdownNow();
      deleteQuietly(work);
    }
  }

  /** A full sync with the client's rate limit raised (all else as {@link KalshiRestOptions#defaults}). */
  private static SyncReport sync(Database db, URI rest) throws Exception {
    KalshiRestOptions d = KalshiRestOptions.defaults(rest);
    KalshiRestOptions fast = new KalshiRestOptions(d.baseUrl(), CLIENT_REQUESTS_PER_SECOND, (int) CLIENT_REQUESTS_PER_SECOND,
        d.maxConsecutiveErrors(), d.initialBackoff(), d.maxBackoff(), d.requestTimeout());
    try (KalshiRestClient client = new KalshiRestClient(fast)) {
      return new KalshiSync(db, client, KalshiSyncOptions.full(), "bench", Optional.empty(), Clock.systemUTC()).run();
    }
  }

  private static void truncate(Database db) throws Exception {
    try (Connection c = db.connection(); Statement st = c.createStatement()) {
      st.execute("truncate kalshi_series, kalshi_events, kalshi_markets, kalshi_fee_changes, change_events, sync_state");
    }
  }

  /**
   * The listings a full sync reads, paged with the cursor and parsed into a tree like the sync's
   * client does; records are counted, nothing is stored.
   */
  private static Raw rawPaging(URI rest) throws Exception {
    ObjectMapper json = new ObjectMapper();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long records = 0;
    long pages = 0;
    long t0 = System.nanoTime();
    for (String[] listing : List.of(new String[] {"/series", "series", null}, new String[] {"/events", "events", "200"},
        new String[] {"/markets", "markets", "1000"})) {
      String cursor = null;
      do {
        Map<String, String> q = new LinkedHashMap<>();
        if (listing[2] != null) {
          q.put("limit", listing[2]);
        }
        if (cursor != null) {
          q.put("cursor", cursor);
        }
        StringBuilder uri = new StringBuilder(rest + listing[0]);
        char sep = '?';
        for (Map.Entry<String, String> e : q.entrySet()) {
          uri.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
          sep = '&';
        }
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(uri.toString())).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
          throw new IOException("GET " + uri + ": HTTP " + r.statusCode());
        }
        JsonNode body = json.readTree(r.body());
        pages++;
        records += body.path(listing[1]).size();
        JsonNode c = body.path("cursor");
        cursor = c.isTextual() && !c.asText().isEmpty() ? c.asText() : null;
      } while (cursor != null);
    }
    http.close();
    return new Raw(records, pages, (System.nanoTime() - t0) / 1e9);
  }

  /** {@code ssmd secmaster sync} as its own JVM with a fresh embedded PostgreSQL; peak VmRSS sampled every 10 ms. */
  private Child child(SimServer server, Path work) throws Exception {
    Path env = work.resolve("bench-secmaster.yaml");
    Files.writeString(env, """
        name: bench-secmaster
        feed: kalshi
        schema: v2
        endpoint: %s
        rest_endpoint: %s/trade-api/v2
        transport: {type: memory}
        """.formatted(server.wsUri(), server.httpUri()));
    Path log = work.resolve("secmaster-sync.log");
    String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = List.of(java, "-Xmx" + options.childHeap(), "-cp", CliProcess.classpath(options.repoRoot()),
        "io.ssmd.cli.Main", "secmaster", "sync", env.toString(),
        "--data-dir", work.resolve("pg").toString(),
        "--feeds-dir", options.repoRoot().resolve("exchanges").resolve("feeds").toString());
    long t0 = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("DATABASE_URL"); // the embedded PostgreSQL under --data-dir, never a real one
    Process p = pb.start();
    long peak = 0;
    long deadline = t0 + CHILD_TIMEOUT.toNanos();
    try {
      while (p.isAlive()) {
        peak = Math.max(peak, rss(p.pid()));
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("ssmd secmaster sync did not finish within " + CHILD_TIMEOUT + ":\n" + tail(log));
        }
        p.waitFor(10, TimeUnit.MILLISECONDS);
      }
    } finally {
      if (p.isAlive()) {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    String out = Files.readString(log);
    if (p.exitValue() != 0) {
      throw new IllegalStateException("ssmd secmaster sync exited " + p.exitValue() + ":\n" + tail(log));
    }
    Matcher m = CHILD_RECEIVED.matcher(out);
    long received = m.find() ? Long.parseLong(m.group(1)) : 0;
    if (peak == 0) {
      throw new IllegalStateException("no VmRSS sample of the separate sync (it ended too fast?):\n" + tail(log));
    }
    return new Child(peak, received, seconds);
  }

  /** VmRSS in bytes, 0 when the process is gone or has none yet. */
  private static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring("VmRSS:".length()).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended between samples
    }
    return 0;
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static void progress(String format, Object... args) {
    System.err.printf("bench: " + format + "%n", args);
  }

  private static void deleteQuietly(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          LOG.debug("could not delete {}: {}", p, e.toString());
        }
      });
    } catch (IOException e) {
      LOG.debug("could not delete {}: {}", root, e.toString());
    }
  }
}
