package io.ssmd.archiver;

import io.ssmd.storage.ObjectStore;
import io.ssmd.transport.Subjects;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Settings of one {@link Archiver}. Validated on construction: every problem is collected and
 * reported at once, each naming the field and what is expected. Start from {@link #builder}.
 *
 * @param natsUrl NATS server, {@code nats://host:port} or {@code tls://host:port}
 * @param stream JetStream stream to archive, e.g. {@code PROD_KALSHI}
 * @param durable durable consumer name; the archiver creates it when missing
 * @param filter consumer filter subject, normally {@code {prefix}.{feed}.>}; it must cover every
 *     subject of the stream (checked at start) so the archive is the whole stream and a jump in the
 *     stream sequence is a real gap
 * @param feed feed name, the first directory level of the archive ({@code {root}/{feed}/{date}})
 * @param root archive root directory; with a {@code raw} store this is the local spool whose
 *     finished files are uploaded
 * @param rotation length of one file's window on the archiver's UTC wall clock; must divide a day
 *     (windows are aligned to midnight UTC), e.g. 15m (default), 1h, 1d
 * @param batchSize messages per JetStream fetch; one fsync and one round of acks per batch
 * @param fetchMaxWait how long one fetch waits for messages when the stream is idle
 * @param fsync when data is forced to disk
 * @param raw where finished files and manifests are uploaded ({@code raw} bucket), or null to keep
 *     the archive local only
 */
public record ArchiverOptions(
    String natsUrl,
    String stream,
    String durable,
    String filter,
    String feed,
    Path root,
    Duration rotation,
    int batchSize,
    Duration fetchMaxWait,
    FsyncPolicy fsync,
    ObjectStore raw) {

  public static final Duration DEFAULT_ROTATION = Duration.ofMinutes(15);
  public static final int DEFAULT_BATCH_SIZE = 500;
  public static final Duration DEFAULT_FETCH_MAX_WAIT = Duration.ofMillis(500);
  public static final int MAX_BATCH_SIZE = 100_000;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final Duration DAY = Duration.ofDays(1);

  public ArchiverOptions {
    List<String> problems = new ArrayList<>();
    if (natsUrl == null || natsUrl.isBlank()) {
      problems.add("natsUrl: required, e.g. nats://127.0.0.1:4222");
    } else {
      try {
        URI uri = URI.create(natsUrl);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!List.of("nats", "tls").contains(scheme) || uri.getHost() == null) {
          problems.add("natsUrl: expected nats://host:port or tls://host:port, got \"" + natsUrl + "\"");
        }
      } catch (IllegalArgumentException e) {
        problems.add("natsUrl: not a URI: \"" + natsUrl + "\"");
      }
    }
    name(problems, "stream", stream, "PROD_KALSHI");
    name(problems, "durable", durable, "ssmd-archiver-kalshi");
    name(problems, "feed", feed, "kalshi");
    if (filter == null || filter.isBlank()) {
      problems.add("filter: required, e.g. prod.kalshi.>");
    } else if (!validFilter(filter)) {
      problems.add("filter: \"" + filter + "\" is not a NATS subject filter (tokens separated by '.', '*' for one token, "
          + "'>' only as the last token)");
    }
    if (root == null) {
      problems.add("root: required, the archive (or spool) directory");
    }
    if (rotation == null) {
      problems.add("rotation: required, e.g. 15m, 1h or 1d");
    } else if (rotation.compareTo(Duration.ofSeconds(1)) < 0 || rotation.toNanosPart() != 0
        || DAY.getSeconds() % rotation.getSeconds() != 0) {
      problems.add("rotation: must be whole seconds dividing a day (windows are aligned to midnight UTC), e.g. 15m, 1h or 1d; got "
          + rotation);
    }
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      problems.add("batchSize: must be 1.." + MAX_BATCH_SIZE + ", got " + batchSize);
    }
    if (fetchMaxWait == null || fetchMaxWait.toMillis() < 1 || fetchMaxWait.compareTo(Duration.ofSeconds(30)) > 0) {
      problems.add("fetchMaxWait: must be 1ms..30s, got " + fetchMaxWait);
    }
    if (fsync == null) {
      problems.add("fsync: required, batch or rotation");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid archiver options: " + String.join("; ", problems));
    }
  }

  /**
   * A builder with the defaults: durable {@code ssmd-archiver-{feed}}, filter {@code
   * {prefix}.{feed}.>}, rotation 15m, batch 500, fetch wait 500ms, fsync per batch, local only.
   */
  public static Builder builder(String natsUrl, String stream, String subjectPrefix, String feed, Path root) {
    return new Builder(natsUrl, stream, subjectPrefix, feed, root);
  }

  /** {@code rotation} as written in the manifest: {@code 15m}, {@code 1h}, {@code 1d}, {@code 2s}. */
  public String rotationText() {
    return formatRotation(rotation);
  }

  static String formatRotation(Duration d) {
    long s = d.getSeconds();
    if (s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }

  private static void name(List<String> problems, String field, String value, String example) {
    if (value == null || value.isBlank()) {
      problems.add(field + ": required, e.g. " + example);
    } else if (!NAME.matcher(value).matches()) {
      problems.add(field + ": \"" + value + "\" must be letters, digits, '_' or '-', e.g. " + example);
    }
  }

  private static boolean validFilter(String filter) {
    String[] tokens = filter.split("\\.", -1);
    for (int i = 0; i < tokens.length; i++) {
      String t = tokens[i];
      if (t.isEmpty() || t.chars().anyMatch(Character::isWhitespace)) {
        return false;
      }
      if (t.equals(">") && i != tokens.length - 1) {
        return false;
      }
      if (!t.equals(">") && !t.equals("*") && (t.contains(">") || t.contains("*"))) {
        return false;
      }
    }
    return true;
  }

  /** Builds {@link ArchiverOptions}; setters return the builder. */
  public static final class Builder {
    private final String natsUrl;
    private final String stream;
    private final String feed;
    private final Path root;
    private String durable;
    private String filter;
    private Duration rotation = DEFAULT_ROTATION;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration fetchMaxWait = DEFAULT_FETCH_MAX_WAIT;
    private FsyncPolicy fsync = FsyncPolicy.BATCH;
    private ObjectStore raw;

    private Builder(String natsUrl, String stream, String subjectPrefix, String feed, Path root) {
      this.natsUrl = natsUrl;
      this.stream = stream;
      this.feed = feed;
      this.root = root;
      this.durable = feed == null ? null : "ssmd-archiver-" + feed;
      this.filter = subjectPrefix == null || feed == null ? null : Subjects.feedWildcard(subjectPrefix, feed);
    }

    public Builder durable(String durable) {
      this.durable = durable;
      return this;
    }

    public Builder filter(String filter) {
      this.filter = filter;
      return this;
    }

    public Builder rotation(Duration rotation) {
      this.rotation = rotation;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder fetchMaxWait(Duration fetchMaxWait) {
      this.fetchMaxWait = fetchMaxWait;
      return this;
    }

    public Builder fsync(FsyncPolicy fsync) {
      this.fsync = fsync;
      return this;
    }

    /** Uploads finished files and manifests to this store; null keeps the archive local. */
    public Builder raw(ObjectStore raw) {
      this.raw = raw;
      return this;
    }

    public ArchiverOptions build() {
      return new ArchiverOptions(natsUrl, stream, durable, filter, feed, root, rotation, batchSize, fetchMaxWait, fsync, raw);
    }
  }
}
