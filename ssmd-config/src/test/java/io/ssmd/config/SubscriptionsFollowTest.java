package io.ssmd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code subscriptions.follow_secmaster} and its scope {@code follow_prefixes}. */
class SubscriptionsFollowTest {
  @TempDir Path root;
  Path envs;

  @BeforeEach
  void writeFeed() throws IOException {
    Path feeds = Files.createDirectories(root.resolve("exchanges/feeds"));
    envs = Files.createDirectories(root.resolve("exchanges/environments"));
    Files.writeString(feeds.resolve("kalshi.yaml"), ConfigErrorsTest.FEED);
  }

  private ResolvedEnvironment load(String subscriptions) throws IOException {
    Path file = envs.resolve("kalshi-prod.yaml");
    Files.writeString(file, ConfigErrorsTest.ENV + subscriptions);
    return ConfigLoader.loadEnvironment(file);
  }

  @Test
  void followingIsOffByDefault() throws IOException {
    SubscriptionsConfig s = load("").environment().subscriptions();
    assertThat(s.followSecmaster()).isFalse();
    assertThat(s.followPrefixes()).isEmpty();
  }

  @Test
  void followWithPrefixesIsRead() throws IOException {
    SubscriptionsConfig s = load("subscriptions:\n  follow_secmaster: true\n  follow_prefixes: [KXBTC, KXETH]\n")
        .environment().subscriptions();
    assertThat(s.followSecmaster()).isTrue();
    assertThat(s.followPrefixes()).containsExactly("KXBTC", "KXETH");
  }

  @Test
  void prefixesWithoutFollowingAreRefused() {
    assertThatThrownBy(() -> load("subscriptions:\n  follow_prefixes: [KXBTC]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("subscriptions.follow_prefixes: is only used with follow_secmaster: true");
  }

  @Test
  void followMustBeABoolean() {
    assertThatThrownBy(() -> load("subscriptions:\n  follow_secmaster: sometimes\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("subscriptions.follow_secmaster");
  }
}
