package io.ssmd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.secmaster.EmbeddedDatabase;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.kalshi.KalshiAuth;
import io.ssmd.sim.kalshi.KalshiSim;
import io.ssmd.sim.kalshi.KalshiSimOptions;
import io.ssmd.sim.kraken.KrakenSim;
import io.ssmd.sim.kraken.KrakenSimOptions;
import io.ssmd.sim.polymarket.PolymarketSim;
import io.ssmd.sim.polymarket.PolymarketSimOptions;
import io.ssmd.sim.polymarket.PolymarketUniverse;
import io.ssmd.testkit.NatsServerProcess;
import io.ssmd.testkit.RedisServerProcess;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.StreamState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/**
 * {@code ssmd secmaster sync|list|show} in-process against the three simulators, an embedded
 * PostgreSQL and a real redis-server: every venue lists and shows, and with {@code cache.type:
 * redis} the sync refreshes the cache, which then answers exactly what PostgreSQL answers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecmasterCommandIT {
  private static final Path FEEDS = Path.of("../exchanges/feeds").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private static ScheduledExecutorService scheduler;
  private static EmbeddedDatabase pg;
  private static RedisServerProcess redis;
  private static final List<SimServer> servers = new ArrayList<>();
  private static String kalshiCached;
  private static String kalshiPlain;
  private static String kraken;
  private static String polymarket;

  /** Exit code, stdout and stderr of one in-process command. */
  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    scheduler = Executors.newScheduledThreadPool(2);
    pg = EmbeddedDatabase.start();
    redis = RedisServerProcess.start();
    KalshiAuth.DevKey key = KalshiAuth.generate();
    KalshiSim kalshiSim = new KalshiSim(KalshiSimOptions.defaults(Map.of(key.keyId(), key.publicKey())).withMessagesPerSecond(0)
        .withLifecycleInterval(Duration.ofHours(1)).withReferenceMarkets(500), new Journal(1_000), scheduler);
    KrakenSim krakenSim = new KrakenSim(KrakenSimOptions.defaults().withMessagesPerSecond(0).withReferencePairs(100),
        new Journal(1_000), scheduler);
    PolymarketSim polySim = new PolymarketSim(PolymarketSimOptions.defaults().withMessagesPerSecond(0).withReferenceMarkets(200),
        new Journal(1_000), scheduler);
    SimServer k = start(new SimServer(kalshiSim, "127.0.0.1", 0, 1 << 20));
    SimServer kr = start(new SimServer(krakenSim, "127.0.0.1", 0, 16 << 20));
    SimServer pm = start(new SimServer(polySim, "127.0.0.1", 0, 4 << 20));
    String cache = "cache: {type: redis, url: \"" + redis.url() + "\"}";
    kalshiCached = env("kalshi-sim", "kalshi-cached", k.httpUri() + "/trade-api/v2", cache);
    kalshiPlain = env("kalshi-sim", "kalshi-plain", k.httpUri() + "/trade-api/v2", "cache: {type: none}");
    kraken = env("kraken-sim", "kraken-cached", kr.httpUri() + "/0/public", cache);
    polymarket = env("polymarket-sim", "polymarket-plain", pm.httpUri().toString().replaceFirst("/$", ""), "cache: {type: none}");
  }

  private static SimServer start(SimServer s) throws Exception {
    servers.add(s);
    return s.start();
  }

  /** The repository's sim environment, renamed, with the simulator's REST endpoint and the given cache. */
  private static String env(String from, String name, String rest, String cache) throws Exception {
    String yaml = Files.readString(Path.of("../exchanges/environments/" + from + ".yaml"));
    yaml = yaml.replaceFirst("(?m)^name: .*$", "name: " + name)
        .replaceFirst("(?m)^rest_endpoint: .*$", "rest_endpoint: " + rest)
        .replaceFirst("(?m)^cache: .*$", cache);
    Path f = dir.resolve(name + ".yaml");
    Files.writeString(f, yaml);
    return f.toString();
  }

  @AfterAll
  static void stop() throws Exception {
    for (SimServer s : servers) {
      s.close();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (redis != null) {
      redis.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  private static synchronized Run ssmd(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--database-url", "postgres://postgres@localhost:" + pg.port() + "/postgres", "--feeds-dir", FEEDS.toString()));
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = Main.execute(all.toArray(String[]::new));
      return new Run(exit, withoutLogs(o), withoutLogs(e));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** The command's own output: in-process, the JSON log lines of the console appender land in the same streams. */
  private static String withoutLogs(ByteArrayOutputStream stream) {
    return stream.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("{\"level\":"))
        .map(l -> l + "\n").collect(java.util.stream.Collectors.joining());
  }

  @Test
  void kalshiSyncRefreshesTheRedisCacheWhichThenAnswersLikePostgres() throws Exception {
    try (JedisPooled raw = new JedisPooled(java.net.URI.create(redis.url()))) {
      raw.flushAll();
      Run sync = ssmd("secmaster", "sync", kalshiCached);
      assertThat(sync.exit()).as(sync.err()).isZero();
      assertThat(sync.out()).contains("cache " + redis.url() + ": 500 listed");

      for (List<String> filters : List.of(List.of("--status", "open", "--limit", "20"), List.of("--search", "MKT-01", "--json"),
          List.of("--closing-within", "3650d", "--limit", "7"))) {
        List<String> cached = new ArrayList<>(List.of("secmaster", "list", kalshiCached));
        cached.addAll(filters);
        List<String> plain = new ArrayList<>(List.of("secmaster", "list", kalshiPlain));
        plain.addAll(filters);
        Run fromCache = ssmd(cached.toArray(String[]::new));
        Run fromDb = ssmd(plain.toArray(String[]::new));
        assertThat(fromCache.exit()).as(fromCache.err()).isZero();
        assertThat(fromCache.err()).as(filters.toString()).contains("from redis cache (refreshed ");
        assertThat(fromDb.err()).contains("from PostgreSQL");
        assertThat(fromCache.out()).as(filters.toString()).isEqualTo(fromDb.out()).contains("SIM-MKT-");
      }

      Run showCached = ssmd("secmaster", "show", kalshiCached, "SIM-MKT-003");
      Run showDb = ssmd("secmaster", "show", kalshiPlain, "SIM-MKT-003");
      assertThat(showCached.err()).contains("from redis cache");
      assertThat(showCached.out()).isEqualTo(showDb.out()).contains("\"ticker\" : \"SIM-MKT-003\"");

      // a cache without a complete refresh is not trusted
      raw.flushAll();
      Run after = ssmd("secmaster", "list", kalshiCached, "--limit", "3");
      assertThat(after.exit()).isZero();
      assertThat(after.err()).contains("from PostgreSQL (redis cache not refreshed yet)");
      assertThat(after.out().lines()).hasSize(4);
    }
  }

  @Test
  void krakenListsAndShowsPairs() throws Exception {
    Run sync = ssmd("secmaster", "sync", kraken);
    assertThat(sync.exit()).as(sync.err()).isZero();
    assertThat(sync.out()).contains("kraken: pairs").contains("100 listed");

    Run list = ssmd("secmaster", "list", kraken, "--search", "XBT", "--status", "open");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).startsWith("SYMBOL").contains("BTC/USD").doesNotContain("ETH/USD");
    assertThat(list.err()).contains(" pairs from redis cache");

    Run show = ssmd("secmaster", "show", kraken, "XBT/USD");
    assertThat(show.exit()).as(show.err()).isZero();
    JsonNode pair = JSON.readTree(show.out());
    assertThat(pair.path("ticker").asText()).isEqualTo("BTC/USD");
    assertThat(pair.path("state").asText()).isEqualTo("open");
    assertThat(pair.path("attributes").path("rest_name").asText()).isEqualTo("XXBTZUSD");
    assertThat(pair.path("attributes").path("price_precision").asText()).isEqualTo("1");
    // a wsname is not a cache key, so PostgreSQL answered
    assertThat(show.err()).contains("from PostgreSQL (not in the redis cache)");

    Run series = ssmd("secmaster", "list", kraken, "--series", "X");
    assertThat(series.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(series.err()).contains("filter series does not apply to feed kraken");
    assertThat(ssmd("secmaster", "show", kraken, "NOPE/USD").exit()).isEqualTo(Main.EXIT_FAILURE);
  }

  @Test
  void syncPublishesTheChangeEventsToTheSecmasterStreamOnce() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.start()) {
      String env = Files.readString(Path.of(kraken)).replace("nats://127.0.0.1:4222", nats.url()).replaceFirst("(?m)^name: .*$",
          "name: kraken-nats").replaceFirst("(?m)^cache: .*$", "cache: {type: none}");
      Path file = dir.resolve("kraken-nats.yaml");
      Files.writeString(file, env);
      assertThat(Main.execute("env", "apply", file.toString(), "--feeds-dir", FEEDS.toString())).isZero();

      Run first = ssmd("secmaster", "sync", file.toString(), "--publish");
      assertThat(first.exit()).as(first.err()).isZero();
      // 100 pairs added: by this sync, or pending from the other Kraken test's sync without --publish
      assertThat(first.out()).contains("published 100 change events to sim.secmaster.changes.kraken").doesNotContain("still pending");
      Run again = ssmd("secmaster", "sync", file.toString(), "--publish");
      assertThat(again.out()).contains("published 0 change events");

      Connection c = Nats.connect(nats.url());
      try {
        StreamState state = c.jetStreamManagement().getStreamInfo("SIM_SECMASTER").getStreamState();
        assertThat(state.getMsgCount()).isEqualTo(100);
        String last = new String(c.jetStreamManagement().getLastMessage("SIM_SECMASTER", "sim.secmaster.changes.kraken").getData(),
            StandardCharsets.UTF_8);
        assertThat(last).contains("\"feed\":\"kraken\"").contains("\"entity\":\"pair\"");
      } finally {
        c.close();
      }
    }
    Run memory = ssmd("secmaster", "sync", memoryEnv(), "--publish");
    assertThat(memory.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(memory.err()).contains("--publish sends change events to the SIM_SECMASTER stream of a NATS server");
  }

  private static String memoryEnv() throws Exception {
    String env = Files.readString(Path.of(kraken)).replaceFirst("(?m)^name: .*$", "name: kraken-memory")
        .replaceFirst("(?s)transport:\\n.*?\\nstorage:", "transport:\n  type: memory\n  subject_prefix: sim\nstorage:");
    Path file = dir.resolve("kraken-memory.yaml");
    Files.writeString(file, env);
    return file.toString();
  }

  @Test
  void polymarketListsMarketsWithTheirTokensAndShowsOneByTokenId() throws Exception {
    Run sync = ssmd("secmaster", "sync", polymarket);
    assertThat(sync.exit()).as(sync.err()).isZero();

    Run list = ssmd("secmaster", "list", polymarket, "--status", "open", "--limit", "5");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).startsWith("CONDITION_ID");
    assertThat(list.out().lines().filter(l -> l.startsWith("    token ")).count()).isEqualTo(10);
    assertThat(list.err()).contains("5 markets from PostgreSQL");

    Run json = ssmd("secmaster", "list", polymarket, "--json", "--limit", "2");
    for (String line : json.out().lines().toList()) {
      JsonNode m = JSON.readTree(line);
      assertThat(m.path("outcomes")).hasSize(2);
      assertThat(m.path("outcomes").get(0).path("outcome").asText()).isEqualTo("Yes");
    }

    int open = 1;
    while (PolymarketUniverse.market(open) == null) {
      open++;
    }
    PolymarketUniverse.Market market = PolymarketUniverse.market(open);
    Run byToken = ssmd("secmaster", "show", polymarket, market.noToken());
    assertThat(byToken.exit()).as(byToken.err()).isZero();
    JsonNode shown = JSON.readTree(byToken.out());
    assertThat(shown.path("ticker").asText()).isEqualTo(market.conditionId());
    assertThat(shown.path("outcomes").get(1).path("tokenId").asText()).isEqualTo(market.noToken());
    Run bySlug = ssmd("secmaster", "show", polymarket, market.slug());
    assertThat(bySlug.out()).isEqualTo(byToken.out());

    assertThat(ssmd("secmaster", "list", polymarket, "--category", "Politics").exit()).isEqualTo(Main.EXIT_USAGE);
  }
}
