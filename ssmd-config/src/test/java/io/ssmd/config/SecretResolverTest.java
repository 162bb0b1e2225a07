package io.ssmd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretResolverTest {
  static final String API_KEY = "ak-123-SECRET-VALUE";
  static final String PEM = "-----BEGIN PRIVATE KEY-----\nMIIsecret\n-----END PRIVATE KEY-----";

  @TempDir Path dir;

  static EnvironmentConfig env(String keys) {
    return ConfigLoader.parse("""
        name: test
        feed: kalshi
        schema: v2
        transport: {type: memory}
        keys:
        """ + keys, Path.of("test.yaml"), EnvironmentConfig.class);
  }

  @Test
  void readsListedFieldsFromEnvironmentVariablesByPrefix() {
    EnvironmentConfig env = env("  kalshi: {type: rsa_api_key, fields: [api_key, private_key], source: env:KALSHI}\n");
    SecretResolver resolver = new SecretResolver(Map.of("KALSHI_API_KEY", API_KEY, "KALSHI_PRIVATE_KEY", PEM)::get, dir);
    KeyMaterial key = resolver.resolveAll(env).get("kalshi");
    assertThat(key.field("api_key").reveal()).isEqualTo(API_KEY);
    assertThat(key.field("private_key").reveal()).isEqualTo(PEM);
    assertThat(key.type()).isEqualTo(KeyType.RSA_API_KEY);
    assertThat(key.toString()).doesNotContain(API_KEY).doesNotContain("MIIsecret").contains("****");
  }

  @Test
  void readsListedFieldsFromFilesInADirectory() throws IOException {
    Files.writeString(dir.resolve("api_key"), API_KEY + "\n");
    Files.writeString(dir.resolve("private_key"), PEM + "\n");
    EnvironmentConfig env = env("  kalshi: {type: rsa_api_key, fields: [api_key, private_key], source: \"file:" + dir + "\"}\n");
    KeyMaterial key = new SecretResolver(Map.<String, String>of()::get, dir).resolveAll(env).get("kalshi");
    assertThat(key.field("api_key").reveal()).isEqualTo(API_KEY);
    assertThat(key.field("private_key").reveal()).isEqualTo(PEM);
  }

  @Test
  void resolvesRelativeFilesAgainstTheBaseDirectory() throws IOException {
    Files.createDirectories(dir.resolve("data/sim/kalshi"));
    Files.writeString(dir.resolve("data/sim/kalshi/api_key"), API_KEY);
    EnvironmentConfig env = env("  kalshi: {type: api_key, fields: [api_key], source: file:./data/sim/kalshi}\n");
    assertThat(new SecretResolver(Map.<String, String>of()::get, dir).resolveAll(env).get("kalshi").field("api_key").reveal())
        .isEqualTo(API_KEY);
  }

  @Test
  void readsSealedSecretsFromTheMountedSecretsDirectory() throws IOException {
    Files.createDirectories(dir.resolve("kalshi-creds"));
    Files.writeString(dir.resolve("kalshi-creds/api_key"), API_KEY);
    Files.writeString(dir.resolve("kalshi-creds/pem"), PEM);
    EnvironmentConfig env = env("""
          kalshi:
            type: rsa_api_key
            fields: {api_key: sealed-secret/kalshi-creds, private_key: sealed-secret/kalshi-creds/pem}
        """);
    SecretResolver resolver = new SecretResolver(Map.of(SecretResolver.SECRETS_DIR_ENV, dir.toString())::get, dir);
    KeyMaterial key = resolver.resolveAll(env).get("kalshi");
    assertThat(key.field("api_key").reveal()).isEqualTo(API_KEY);
    assertThat(key.field("private_key").reveal()).isEqualTo(PEM);
  }

  @Test
  void mappedFieldsNameTheirOwnVariableAndFile() throws IOException {
    Path pem = Files.writeString(dir.resolve("kalshi.pem"), PEM);
    EnvironmentConfig env = env("  kalshi: {type: rsa_api_key, fields: {api_key: env:MY_KEY, private_key: \"file:" + pem + "\"}}\n");
    KeyMaterial key = new SecretResolver(Map.of("MY_KEY", API_KEY)::get, dir).resolveAll(env).get("kalshi");
    assertThat(key.field("api_key").reveal()).isEqualTo(API_KEY);
    assertThat(key.field("private_key").reveal()).isEqualTo(PEM);
  }

  @Test
  void missingRequiredSecretsAreAllNamedWithTheirReferenceButNoValue() {
    EnvironmentConfig env = env("""
          kalshi: {type: rsa_api_key, fields: [api_key, private_key], source: env:KALSHI}
          other: {type: api_key, fields: [api_key], source: sealed-secret/other}
        """);
    // the private key is set, so its value must not appear anywhere
    SecretResolver resolver = new SecretResolver(Map.of("KALSHI_PRIVATE_KEY", PEM, SecretResolver.SECRETS_DIR_ENV, dir.toString())::get, dir);
    assertThatThrownBy(() -> resolver.resolveAll(env))
        .isInstanceOf(ConfigException.class)
        .hasMessage("keys.kalshi.api_key: env var KALSHI_API_KEY is not set\n"
            + "keys.other.api_key: sealed secret other entry api_key (" + dir.resolve("other/api_key") + ") does not exist")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("MIIsecret"));
  }

  @Test
  void emptyVariableIsNotASecret() {
    EnvironmentConfig env = env("  k: {type: api_key, fields: [api_key], source: env:K}\n");
    assertThatThrownBy(() -> new SecretResolver(Map.of("K_API_KEY", " ")::get, dir).resolveAll(env))
        .hasMessage("keys.k.api_key: env var K_API_KEY is empty");
  }

  @Test
  void optionalKeyThatIsNotConfiguredIsSkipped() {
    EnvironmentConfig env = env("  k: {type: api_key, required: false, fields: [api_key], source: env:K}\n");
    assertThat(new SecretResolver(Map.<String, String>of()::get, dir).resolveAll(env)).isEmpty();
  }

  @Test
  void secretPrintsRedacted() {
    Secret s = new Secret(API_KEY);
    assertThat(s).hasToString("****");
    assertThat(String.valueOf(Map.of("k", s))).doesNotContain(API_KEY);
  }

  @Test
  void badReferencesAreConfigErrors() {
    assertThatThrownBy(() -> env("  k: {type: api_key, fields: [api_key], source: vault:k}\n"))
        .hasMessage("test.yaml:6:41: keys.k.source: expected env:PREFIX, file:/dir or sealed-secret/<name>, got \"vault:k\"");
    assertThatThrownBy(() -> env("  k: {type: api_key, fields: [api_key]}\n"))
        .hasMessage("test.yaml:6:3: missing required key 'keys.k.source' (required when fields is a list; or map each field to a reference)");
    assertThatThrownBy(() -> env("  k: {type: api_key, fields: {API: env:X}}\n"))
        .hasMessage("test.yaml:6:31: keys.k.fields.API: expected a field name of [a-z0-9_]+, got \"API\"");
  }
}
