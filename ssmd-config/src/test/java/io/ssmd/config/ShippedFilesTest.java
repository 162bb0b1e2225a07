package io.ssmd.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every feed and environment file shipped under {@code exchanges/} loads. */
class ShippedFilesTest {
  static final Path EXCHANGES = Path.of("..", "exchanges");
  static final Path FEEDS = EXCHANGES.resolve("feeds");
  static final Path ENVIRONMENTS = EXCHANGES.resolve("environments");

  static Stream<Path> environments() throws IOException {
    try (Stream<Path> files = Files.list(ENVIRONMENTS)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  static Stream<Path> feeds() throws IOException {
    try (Stream<Path> files = Files.list(FEEDS)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @Test
  void shipsTheThreeVenuesInProdSimAndLocal() throws IOException {
    assertThat(feeds().map(f -> f.getFileName().toString())).containsExactly("kalshi.yaml", "kraken.yaml", "polymarket.yaml");
    assertThat(environments().map(f -> f.getFileName().toString())).containsExactly(
        "kalshi-local.yaml", "kalshi-prod.yaml", "kalshi-sim.yaml", "kraken-local.yaml", "kraken-prod.yaml", "kraken-sim.yaml",
        "polymarket-local.yaml", "polymarket-prod.yaml", "polymarket-sim.yaml");
  }

  @ParameterizedTest
  @MethodSource("feeds")
  void feedLoads(Path file) {
    FeedConfig feed = ConfigLoader.loadFeed(file);
    assertThat(file.getFileName().toString()).isEqualTo(feed.name() + ".yaml");
    assertThat(feed.versions()).isNotEmpty();
  }

  @ParameterizedTest
  @MethodSource("environments")
  void environmentLoadsWithItsFeed(Path file) {
    ResolvedEnvironment env = ConfigLoader.loadEnvironment(file);
    assertThat(file.getFileName().toString()).isEqualTo(env.name() + ".yaml");
    // *-local are the environments of `ssmd up` (its in-process transport); the others capture into JetStream
    assertThat(env.environment().transport().type())
        .isEqualTo(env.name().endsWith("-local") ? TransportType.MEMORY : TransportType.NATS);
    assertThat(env.environment().subscriptions().markets()).isNotEmpty();
  }

  @Test
  void kalshiProdUsesTheRealEndpointsAndClusterNats() {
    ResolvedEnvironment env = ConfigLoader.loadEnvironment(ENVIRONMENTS.resolve("kalshi-prod.yaml"));
    assertThat(env.endpoint()).hasToString("wss://external-api-ws.kalshi.com/trade-api/ws/v2");
    assertThat(env.restEndpoint()).hasValueSatisfying(u -> assertThat(u).hasToString("https://external-api.kalshi.com/trade-api/v2"));
    assertThat(env.environment().transport().url()).hasToString("nats://nats.nats.svc:4222");
    assertThat(env.subjectPrefix()).isEqualTo("prod");
    assertThat(env.streamName()).isEqualTo("PROD_KALSHI");
    assertThat(env.limits().marketsPerConnection()).isEqualTo(200);
    assertThat(env.environment().keys().get("kalshi").references().values())
        .extracting(SecretRef::reference).containsExactly("env:KALSHI_API_KEY", "env:KALSHI_PRIVATE_KEY");
  }

  @Test
  void feedsCarryTheRealVenueEndpointsAndLimits() {
    FeedConfig kraken = ConfigLoader.loadFeed(FEEDS.resolve("kraken.yaml"));
    assertThat(kraken.latestVersion().endpoint()).hasToString("wss://ws.kraken.com/v2");
    assertThat(kraken.latestVersion().restEndpoint()).hasToString("https://api.kraken.com/0/public");
    assertThat(kraken.limits().marketsPerConnection()).isEqualTo(100);
    FeedConfig poly = ConfigLoader.loadFeed(FEEDS.resolve("polymarket.yaml"));
    assertThat(poly.latestVersion().endpoint()).hasToString("wss://ws-subscriptions-clob.polymarket.com/ws/market");
    assertThat(poly.latestVersion().restEndpoint()).hasToString("https://gamma-api.polymarket.com");
    assertThat(poly.limits().marketsPerConnection()).isEqualTo(500);
  }

  @Test
  void simEnvironmentsPointAtTheSimulatorAndItsUniverse() {
    ResolvedEnvironment kalshi = ConfigLoader.loadEnvironment(ENVIRONMENTS.resolve("kalshi-sim.yaml"));
    assertThat(kalshi.endpoint()).hasToString("ws://127.0.0.1:9101/trade-api/ws/v2");
    assertThat(kalshi.environment().transport().url()).hasToString("nats://127.0.0.1:4222");
    assertThat(kalshi.streamName()).isEqualTo("SIM_KALSHI");
    assertThat(kalshi.environment().subscriptions().markets())
        .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "SIM-MKT-00" + i).toList());
    assertThat(kalshi.environment().keys().get("kalshi").references().values()).extracting(SecretRef::reference)
        .containsExactly("file:./data/sim/kalshi/api_key", "file:./data/sim/kalshi/private_key");

    ResolvedEnvironment kraken = ConfigLoader.loadEnvironment(ENVIRONMENTS.resolve("kraken-sim.yaml"));
    assertThat(kraken.endpoint()).hasToString("ws://127.0.0.1:9102/v2");
    assertThat(kraken.environment().subscriptions().markets()).containsExactly("BTC/USD", "ETH/USD", "SOL/USD", "XRP/USD", "ADA/USD");

    ResolvedEnvironment poly = ConfigLoader.loadEnvironment(ENVIRONMENTS.resolve("polymarket-sim.yaml"));
    assertThat(poly.endpoint()).hasToString("ws://127.0.0.1:9103/ws/market");
    java.math.BigInteger base = java.math.BigInteger.TEN.pow(66);
    List<String> ids = IntStream.rangeClosed(1, 10).mapToObj(i -> base.add(java.math.BigInteger.valueOf(i)).toString()).toList();
    assertThat(poly.environment().subscriptions().markets()).containsExactlyElementsOf(ids);
    assertThat(ids.get(0)).hasSize(67);
  }
}
