package io.ssmd.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyStoreTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void addedKeyIsStoredOnlyHashedAndAuthenticatesAfterReload() throws Exception {
    Path file = dir.resolve("keys.yaml");
    String key = ApiKeyStore.load(file).add("alice", List.of("kalshi"), CLOCK);
    assertThat(key).startsWith(ApiKeyStore.KEY_PREFIX);
    String yaml = Files.readString(file);
    assertThat(yaml).contains("name: alice").contains("hash:").contains("salt:").contains("created:").contains("- kalshi")
        .doesNotContain(key).doesNotContain(key.substring(ApiKeyStore.KEY_PREFIX.length()));
    ApiKeyStore reloaded = ApiKeyStore.load(file);
    AuthResult r = reloaded.authenticate(key);
    assertThat(r).isInstanceOf(AuthResult.Accepted.class);
    ApiKey k = ((AuthResult.Accepted) r).key();
    assertThat(k.allows("kalshi")).isTrue();
    assertThat(k.allows("kraken")).isFalse();
    assertThat(k.created()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
  }

  @Test
  void wrongMissingAndRevokedKeysAreRefusedWithTheirReason() {
    ApiKeyStore store = ApiKeyStore.of(List.of());
    String a = store.add("a", List.of(), CLOCK);
    String b = store.add("b", List.of(), CLOCK);
    assertThat(store.revoke("b", CLOCK)).isTrue();
    assertThat(store.revoke("b", CLOCK)).isFalse();
    assertThat(reason(store.authenticate(null))).isEqualTo("missing");
    assertThat(reason(store.authenticate(" "))).isEqualTo("missing");
    assertThat(reason(store.authenticate(a + "x"))).isEqualTo("invalid");
    assertThat(reason(store.authenticate(b))).isEqualTo("revoked");
    assertThat(store.authenticate(a)).isInstanceOf(AuthResult.Accepted.class);
    assertThatThrownBy(() -> store.revoke("nobody", CLOCK)).hasMessageContaining("no key named 'nobody'");
    assertThatThrownBy(() -> store.add("a", List.of(), CLOCK)).hasMessageContaining("already exists");
    assertThatThrownBy(() -> store.add("bad name", List.of(), CLOCK)).hasMessageContaining("key name");
  }

  @Test
  void addIfNoneCreatesAKeyOnlyWhenNoValidKeyExists() throws Exception {
    Path file = dir.resolve("up-keys.yaml");
    ApiKeyStore store = ApiKeyStore.load(file);
    String first = store.addIfNone("local", CLOCK).orElseThrow();
    assertThat(store.authenticate(first)).isInstanceOf(AuthResult.Accepted.class);
    assertThat(ApiKeyStore.load(file).addIfNone("local", CLOCK)).isEmpty();
    store.revoke("local", CLOCK);
    String second = store.addIfNone("local", CLOCK).orElseThrow();
    assertThat(((AuthResult.Accepted) ApiKeyStore.load(file).authenticate(second)).key().name()).isEqualTo("local-2");
  }

  @Test
  void aRevocationWrittenByAnotherProcessIsSeenWithoutRestart() throws Exception {
    Path file = dir.resolve("keys.yaml");
    String key = ApiKeyStore.load(file).add("alice", List.of(), CLOCK);
    ApiKeyStore running = ApiKeyStore.load(file);
    assertThat(running.authenticate(key)).isInstanceOf(AuthResult.Accepted.class);
    ApiKeyStore.load(file).revoke("alice", CLOCK);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5))); // coarse file systems: make the change visible
    Thread.sleep(1100); // the store re-checks the file at most once a second
    assertThat(reason(running.authenticate(key))).isEqualTo("revoked");
  }

  @Test
  void malformedFilesAreRejectedNamingTheEntry() throws Exception {
    Path file = dir.resolve("keys.yaml");
    Files.writeString(file, "keys:\n  - name: a\n    hash: zz\n    salt: \"00\"\n    created: 2026-11-22T10:00:00Z\n");
    assertThatThrownBy(() -> ApiKeyStore.load(file)).hasMessageContaining("keys[0]").hasMessageContaining("hex");
    Files.writeString(file, "keys:\n  - name: a\n    hash: \"" + "0".repeat(64) + "\"\n    salt: \"00\"\n    created: yesterday\n");
    assertThatThrownBy(() -> ApiKeyStore.load(file)).hasMessageContaining("keys[0].created");
    Files.writeString(file, "keys:\n  - name: a\n    colour: red\n");
    assertThatThrownBy(() -> ApiKeyStore.load(file)).hasMessageContaining("keys[0].colour is not a known field");
    Files.writeString(file, "users: []\n");
    assertThatThrownBy(() -> ApiKeyStore.load(file)).hasMessageContaining("top-level key 'keys'");
    assertThat(ApiKeyStore.load(dir.resolve("absent.yaml")).keys()).isEmpty();
  }

  private static String reason(AuthResult r) {
    assertThat(r).isInstanceOf(AuthResult.Refused.class);
    return ((AuthResult.Refused) r).reason();
  }
}
