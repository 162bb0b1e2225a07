package io.ssmd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RenderAndTemplatesTest {
  @TempDir Path dir;

  static Stream<Path> environments() throws IOException {
    return ShippedFilesTest.environments();
  }

  @ParameterizedTest
  @MethodSource("environments")
  void showIsAValidEnvironmentDescribingTheSameThing(Path file) throws IOException {
    ResolvedEnvironment env = ConfigLoader.loadEnvironment(file);
    String shown = EnvironmentRenderer.show(env);
    Path copy = Files.createDirectories(dir.resolve("exchanges/environments")).resolve(file.getFileName());
    Files.writeString(copy, shown);
    ResolvedEnvironment again = ConfigLoader.loadEnvironment(copy, ShippedFilesTest.FEEDS);
    assertThat(again.endpoint()).isEqualTo(env.endpoint());
    assertThat(again.streamName()).isEqualTo(env.streamName());
    assertThat(again.subjectPrefix()).isEqualTo(env.subjectPrefix());
    assertThat(again.environment().schedule()).isEqualTo(env.environment().schedule());
    assertThat(again.environment().storage()).isEqualTo(env.environment().storage());
    assertThat(again.environment().cache()).isEqualTo(env.environment().cache());
    assertThat(again.environment().subscriptions()).isEqualTo(env.environment().subscriptions());
    assertThat(again.environment().keys()).isEqualTo(env.environment().keys());
    assertThat(EnvironmentRenderer.show(again).lines().skip(2)).containsExactlyElementsOf(shown.lines().skip(2).toList());
  }

  @Test
  void showMakesDefaultsExplicitAndShowsSecretReferencesOnly() {
    ResolvedEnvironment env = ConfigLoader.loadEnvironment(ShippedFilesTest.ENVIRONMENTS.resolve("kalshi-sim.yaml"));
    String shown = EnvironmentRenderer.show(env);
    assertThat(shown)
        .contains("# subjects sim.kalshi.json.{type}.{ticker}, stream SIM_KALSHI")
        .contains("endpoint: ws://127.0.0.1:9101/trade-api/ws/v2")
        .contains("rest_endpoint: http://127.0.0.1:9101/trade-api/v2") // the sim environment points REST at ssmd sim
        .contains("    stream: SIM_KALSHI")
        .contains("    max_in_flight: 4096")
        .contains("    source: file:./data/sim/kalshi")
        .contains("markets_per_connection=200");
  }

  @Test
  void showNeverContainsASecretValueEvenWhenItIsResolvable() throws IOException {
    Path envFile = ShippedFilesTest.ENVIRONMENTS.resolve("kalshi-prod.yaml");
    ResolvedEnvironment env = ConfigLoader.loadEnvironment(envFile);
    String value = "super-secret-value-42";
    SecretResolver resolver = new SecretResolver(java.util.Map.of("KALSHI_API_KEY", value, "KALSHI_PRIVATE_KEY", value)::get, dir);
    KeyMaterial key = resolver.resolveAll(env.environment()).get("kalshi");
    assertThat(key.field("api_key").reveal()).isEqualTo(value);
    assertThat(EnvironmentRenderer.show(env)).doesNotContain(value).contains("source: env:KALSHI");
    assertThat(key.toString()).doesNotContain(value);
  }

  @Test
  void templatesForEveryShippedFeedLoadAsTheyAre() throws IOException {
    Path envs = Files.createDirectories(dir.resolve("exchanges/environments"));
    for (String feed : new String[] {"kalshi", "kraken", "polymarket"}) {
      String name = feed + "-staging";
      String text = EnvironmentTemplates.create(name, feed, ShippedFilesTest.FEEDS);
      Path file = envs.resolve(name + ".yaml");
      Files.writeString(file, text);
      ResolvedEnvironment env = ConfigLoader.loadEnvironment(file, ShippedFilesTest.FEEDS);
      assertThat(env.name()).isEqualTo(name);
      assertThat(env.feedName()).isEqualTo(feed);
      assertThat(env.version()).isEqualTo(env.feed().latestVersion());
      assertThat(env.streamName()).isEqualTo(name.toUpperCase().replace('-', '_') + "_" + feed.toUpperCase());
      assertThat(env.environment().subscriptions().markets()).isEmpty();
    }
  }

  @Test
  void templateRejectsABadName() {
    FeedConfig feed = ConfigLoader.loadFeed(ShippedFilesTest.FEEDS.resolve("kraken.yaml"));
    assertThatThrownBy(() -> EnvironmentTemplates.create("Kraken Prod", feed))
        .isInstanceOf(ConfigException.class)
        .hasMessage("name: expected lower-case letters, digits and '-' ([a-z0-9-]+), got \"Kraken Prod\"");
  }

  @Test
  void durationsRoundTrip() {
    for (String d : new String[] {"500ms", "10s", "2m", "72h", "0s", "1500ms", "90s"}) {
      assertThat(Durations.format(Durations.parse(d))).isEqualTo(d);
    }
    assertThat(Durations.format(Durations.parse("1d"))).isEqualTo("24h");
    assertThat(Durations.parse("120s")).isEqualTo(java.time.Duration.ofMinutes(2));
    assertThatThrownBy(() -> Durations.parse("1h30m")).hasMessageContaining("got \"1h30m\"");
    assertThatThrownBy(() -> Durations.parse("-5s")).hasMessageContaining("expected a duration");
  }
}
