package io.ssmd.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The archiver of an environment ({@code archiver}): its durable consumer on the stream and how it
 * writes {@code {path}/{feed}/{date}/{HHMM}.jsonl.gz}. Computed defaults (consumer, filter, path)
 * are resolved by {@link EnvironmentConfig#archiverConsumer()}, {@link
 * EnvironmentConfig#archiverFilter()} and {@link EnvironmentConfig#archivePath()}.
 *
 * @param consumer durable consumer name, or null for {@code ssmd-archiver-{feed}}
 * @param filter consumer filter subject, or null for {@code {prefix}.{feed}.>}
 * @param rotation file window: 15m, 1h or 1d
 * @param fsync when data is forced to disk
 * @param batch messages per fetch
 * @param path archive directory (local storage) or upload spool (s3), or null for the default
 */
public record ArchiverConfig(String consumer, String filter, Duration rotation, ArchiveFsync fsync, Integer batch, Path path) {
  /** All defaults. */
  public static final ArchiverConfig DEFAULTS = new ArchiverConfig(null, null, null, null, null, null);
  /** The rotations the archive format supports (DESIGN §4). */
  public static final List<Duration> ROTATIONS = List.of(Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofDays(1));

  public ArchiverConfig {
    rotation = ConfigKeys.ARCHIVER_ROTATION.orDefault(rotation);
    fsync = ConfigKeys.ARCHIVER_FSYNC.orDefault(fsync);
    batch = ConfigKeys.ARCHIVER_BATCH.orDefault(batch);
  }

  void validate(Problems p) {
    Checks.token(p, "consumer", consumer);
    if (filter != null && !validFilter(filter)) {
      p.invalid("filter", "expected a NATS subject filter such as prod.kalshi.> (tokens separated by '.', '*' for one "
          + "token, '>' only last), got \"" + filter + "\"");
    }
    if (!ROTATIONS.contains(rotation)) {
      p.invalid("rotation", "expected 15m, 1h or 1d, got " + Durations.format(rotation));
    }
    if (batch < 1 || batch > 100_000) {
      p.invalid("batch", "expected an integer from 1 to 100000, got " + batch);
    }
  }

  private static boolean validFilter(String filter) {
    String[] tokens = filter.split("\\.", -1);
    for (int i = 0; i < tokens.length; i++) {
      String t = tokens[i];
      boolean wildcard = t.equals("*") || (t.equals(">") && i == tokens.length - 1);
      if (!wildcard && !Checks.TOKEN.matcher(t).matches()) {
        return false;
      }
    }
    return true;
  }
}
