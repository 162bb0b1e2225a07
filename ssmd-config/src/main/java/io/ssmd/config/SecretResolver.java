package io.ssmd.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the secrets an environment's keys reference: environment variables, files, and mounted
 * Kubernetes secrets under {@code $SSMD_SECRETS_DIR} (default {@code /var/run/secrets/ssmd}).
 * Problems name the key, the field and the reference, never a value; every missing field of every
 * required key is reported at once.
 */
public final class SecretResolver {
  /** Variable naming the directory where Kubernetes secrets are mounted. */
  public static final String SECRETS_DIR_ENV = "SSMD_SECRETS_DIR";
  /** Where Kubernetes secrets are mounted when {@value #SECRETS_DIR_ENV} is not set. */
  public static final Path DEFAULT_SECRETS_DIR = Path.of("/var/run/secrets/ssmd");

  private static final Logger LOG = LoggerFactory.getLogger(SecretResolver.class);

  private final Function<String, String> env;
  private final Path baseDir;

  /**
   * @param env environment variable lookup (returns null when unset); {@code System::getenv} in production
   * @param baseDir directory that relative {@code file:} references resolve against
   */
  public SecretResolver(Function<String, String> env, Path baseDir) {
    this.env = Objects.requireNonNull(env, "env");
    this.baseDir = Objects.requireNonNull(baseDir, "baseDir");
  }

  /** Process environment, relative files against the working directory. */
  public static SecretResolver system() {
    return new SecretResolver(System::getenv, Path.of(""));
  }

  /** Directory holding mounted secrets. */
  public Path secretsDir() {
    String dir = env.apply(SECRETS_DIR_ENV);
    return dir == null || dir.isBlank() ? DEFAULT_SECRETS_DIR : Path.of(dir);
  }

  /**
   * Resolves one key. An optional key with any field unavailable is skipped (empty).
   *
   * @throws ConfigException naming every unavailable field of a required key
   */
  public Optional<KeyMaterial> resolve(String keyName, KeySpec spec) {
    List<ConfigException.Problem> problems = new ArrayList<>();
    Optional<KeyMaterial> key = resolve(keyName, spec, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return key;
  }

  /**
   * Resolves every key of an environment, in file order; optional keys that are unavailable are left out.
   *
   * @throws ConfigException naming every unavailable field of every required key
   */
  public Map<String, KeyMaterial> resolveAll(EnvironmentConfig environment) {
    List<ConfigException.Problem> problems = new ArrayList<>();
    Map<String, KeyMaterial> keys = new LinkedHashMap<>();
    environment.keys().forEach((name, spec) -> resolve(name, spec, problems).ifPresent(k -> keys.put(name, k)));
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return Collections.unmodifiableMap(keys);
  }

  private Optional<KeyMaterial> resolve(String keyName, KeySpec spec, List<ConfigException.Problem> problems) {
    Map<String, Secret> values = new LinkedHashMap<>();
    List<ConfigException.Problem> missing = new ArrayList<>();
    spec.references().forEach((field, ref) -> {
      String path = "keys." + keyName + "." + field;
      try {
        values.put(field, new Secret(read(ref)));
      } catch (Unavailable e) {
        missing.add(ConfigException.Problem.invalid(path, e.getMessage()));
      }
    });
    if (missing.isEmpty()) {
      return Optional.of(new KeyMaterial(keyName, spec.type(), values));
    }
    if (spec.required()) {
      problems.addAll(missing);
    } else {
      LOG.info("optional key {} is not configured ({}); continuing without it", keyName, missing.get(0).text());
    }
    return Optional.empty();
  }

  private String read(SecretRef ref) throws Unavailable {
    return switch (ref) {
      case SecretRef.EnvVar v -> {
        String value = env.apply(v.variable());
        if (value == null) {
          throw new Unavailable("env var " + v.variable() + " is not set");
        }
        if (value.isBlank()) {
          throw new Unavailable("env var " + v.variable() + " is empty");
        }
        yield value;
      }
      case SecretRef.FileRef f -> readFile(baseDir.resolve(f.path()), "file " + f.path());
      case SecretRef.SealedSecret s -> readFile(secretsDir().resolve(s.secret()).resolve(s.entry()),
          "sealed secret " + s.secret() + " entry " + s.entry() + " (" + secretsDir().resolve(s.secret()).resolve(s.entry()) + ")");
    };
  }

  private static String readFile(Path file, String what) throws Unavailable {
    if (!Files.isRegularFile(file)) {
      throw new Unavailable(what + " does not exist");
    }
    String value;
    try {
      // a trailing newline from `echo > file` or a PEM file is not part of the secret
      value = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      // the exception type only: a message could quote content on some file systems
      throw new Unavailable(what + " cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (value.isEmpty()) {
      throw new Unavailable(what + " is empty");
    }
    return value;
  }

  /** A reference that yields no value; the message names the reference only. */
  private static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message, null, false, false);
    }
  }
}
