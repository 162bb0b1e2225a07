package io.ssmd.worker.internal;

import io.ssmd.config.ConfigException;
import io.ssmd.config.ConfigLoader;
import io.ssmd.config.ResolvedEnvironment;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Resolves environments by name under the config directory for each activity, so an edited
 * environment file takes effect at the next workflow without restarting the worker.
 */
public final class Environments {
  /** Failure type of an environment that cannot be used; never retried. */
  public static final String BAD_ENVIRONMENT = "BadEnvironment";

  private final Path configDir;

  public Environments(Path configDir) {
    this.configDir = configDir;
  }

  /** The config directory ({@code environments/} and {@code feeds/} below it). */
  public Path configDir() {
    return configDir;
  }

  /** The environment file of a name. */
  public Path file(String env) {
    return configDir.resolve("environments").resolve(env + ".yaml");
  }

  /** Loads an environment; a missing or invalid one is a non-retryable failure naming the file. */
  public ResolvedEnvironment load(String env) {
    if (!env.matches("[a-z0-9-]+")) {
      throw ApplicationFailure.newNonRetryableFailure("environment name '" + env + "' must be [a-z0-9-]+", BAD_ENVIRONMENT);
    }
    Path f = file(env);
    if (!Files.isRegularFile(f)) {
      throw ApplicationFailure.newNonRetryableFailure("no environment " + env + ": " + f.toAbsolutePath()
          + " does not exist (SSMD_CONFIG_DIR=" + configDir + ")", BAD_ENVIRONMENT);
    }
    try {
      return ConfigLoader.loadEnvironment(f);
    } catch (ConfigException | IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure("environment " + env + " (" + f + ") is invalid: " + e.getMessage(),
          BAD_ENVIRONMENT);
    }
  }

  /** The environment's schedule timezone (UTC when unset). */
  public static ZoneId zone(ResolvedEnvironment r) {
    ZoneId z = r.environment().schedule().timezone();
    return z == null ? ZoneOffset.UTC : z;
  }

  /** Today in the environment's timezone. */
  public static LocalDate today(ResolvedEnvironment r, Instant now) {
    return LocalDate.ofInstant(now, zone(r));
  }
}
