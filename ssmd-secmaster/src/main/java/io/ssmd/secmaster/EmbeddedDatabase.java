package io.ssmd.secmaster;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded PostgreSQL server (zonky binaries) for {@code ssmd up} and tests. With a data
 * directory the cluster is kept between runs ({@code ssmd up} restarts on the same data); without
 * one it lives in a temporary directory that is removed on {@link #close()}.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts a throw-away server on a free port. */
  public static EmbeddedDatabase start() {
    return start(Optional.empty());
  }

  /** Starts a server; with {@code dataDir} the cluster there is reused (created on first use). */
  public static EmbeddedDatabase start(Optional<Path> dataDir) {
    try {
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
      if (dataDir.isPresent()) {
        Path dir = dataDir.get().toAbsolutePath();
        Files.createDirectories(dir);
        builder.setDataDirectory(dir).setCleanDataDirectory(false);
      }
      EmbeddedPostgres pg = builder.start();
      LOG.info("embedded PostgreSQL on port {} (data {})", pg.getPort(), dataDir.map(Path::toString).orElse("temporary"));
      return new EmbeddedDatabase(pg);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** Port the server listens on (127.0.0.1). */
  public int port() {
    return postgres.getPort();
  }

  /** JDBC URL of the {@code postgres} database (user {@code postgres}, no password). */
  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port() + "/postgres";
  }

  DataSource dataSource() {
    return postgres.getPostgresDatabase();
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }
}
