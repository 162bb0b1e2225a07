package io.ssmd.worker.internal;

import io.ssmd.secmaster.Database;
import io.ssmd.secmaster.EmbeddedDatabase;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's PostgreSQL, opened (and migrated) on first use so a worker that only sends
 * notifications never starts one: {@code DATABASE_URL}, else an embedded server under the data dir.
 */
public final class Databases implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Databases.class);
  private final Optional<String> url;
  private final Path embeddedDir;
  private Database db;

  public Databases(Optional<String> url, Path embeddedDir) {
    this.url = url;
    this.embeddedDir = embeddedDir;
  }

  /** The database, opened and migrated on the first call. */
  public synchronized Database get() {
    if (db == null) {
      if (url.isPresent()) {
        db = Database.fromUrl(url.get());
      } else {
        LOG.info("DATABASE_URL is unset: starting an embedded PostgreSQL under {}", embeddedDir);
        db = Database.embedded(EmbeddedDatabase.start(Optional.of(embeddedDir)));
      }
    }
    return db;
  }

  @Override
  public synchronized void close() {
    if (db != null) {
      db.close();
      db = null;
    }
  }
}
