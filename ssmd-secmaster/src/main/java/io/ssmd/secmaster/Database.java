package io.ssmd.secmaster;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The security master's PostgreSQL database, migrated to the current schema ({@code
 * db/migration}, Flyway) when opened. Either a real server from a JDBC URL ({@code DATABASE_URL}
 * or an environment's database block) or an {@link EmbeddedDatabase} (owned and stopped with
 * this object when given to {@link #embedded}).
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private final DataSource dataSource;
  private final Optional<EmbeddedDatabase> embedded;

  private Database(DataSource dataSource, Optional<EmbeddedDatabase> embedded) {
    this.dataSource = dataSource;
    this.embedded = embedded;
  }

  /**
   * Connects to a real PostgreSQL and migrates it.
   *
   * @param jdbcUrl e.g. {@code jdbc:postgresql://db:5432/ssmd}
   * @param user may be null when the URL carries it
   * @param password may be null
   */
  public static Database connect(String jdbcUrl, String user, String password) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("database URL must start with jdbc:postgresql:, got " + jdbcUrl);
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(jdbcUrl);
    if (user != null) {
      ds.setUser(user);
    }
    if (password != null) {
      ds.setPassword(password);
    }
    Database db = new Database(ds, Optional.empty());
    db.migrate();
    return db;
  }

  /**
   * Connects from a {@code DATABASE_URL}: either a JDBC URL ({@code jdbc:postgresql://..}) or the
   * common {@code postgres://user:password@host:port/db?sslmode=..} form (also {@code
   * postgresql://}), whose user and password are taken from the URL. The password never appears in
   * an error message.
   */
  public static Database fromUrl(String url) {
    Objects.requireNonNull(url, "url");
    if (url.startsWith("jdbc:")) {
      return connect(url, null, null);
    }
    Credentials c = parseUrl(url);
    return connect(c.jdbcUrl(), c.user(), c.password());
  }

  /** A {@code postgres://} URL split into a JDBC URL and credentials. */
  record Credentials(String jdbcUrl, String user, String password) {
    @Override
    public String toString() {
      return "Credentials[" + jdbcUrl + ", user=" + user + ", password=" + (password == null ? "none" : "***") + "]";
    }
  }

  static Credentials parseUrl(String url) {
    java.net.URI u;
    try {
      u = java.net.URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("database URL is not a valid URL (expected postgres://user:password@host:port/db)");
    }
    if (!"postgres".equals(u.getScheme()) && !"postgresql".equals(u.getScheme())) {
      throw new IllegalArgumentException(
          "database URL must be jdbc:postgresql://.. or postgres://user:password@host:port/db, got scheme " + u.getScheme());
    }
    if (u.getHost() == null) {
      throw new IllegalArgumentException("database URL has no host (expected postgres://user:password@host:port/db)");
    }
    String user = null;
    String password = null;
    String info = u.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      user = java.net.URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), java.nio.charset.StandardCharsets.UTF_8);
      if (colon >= 0) {
        password = java.net.URLDecoder.decode(info.substring(colon + 1), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    String jdbc = "jdbc:postgresql://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "")
        + (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/postgres" : u.getRawPath())
        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    return new Credentials(jdbc, user, password);
  }

  /** Uses an embedded server, migrates it, and stops it on {@link #close()}. */
  public static Database embedded(EmbeddedDatabase server) {
    Database db = new Database(server.dataSource(), Optional.of(server));
    db.migrate();
    return db;
  }

  private void migrate() {
    MigrateResult r = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    LOG.info("security master schema at version {} ({} migrations applied)", r.targetSchemaVersion, r.migrationsExecuted);
  }

  /** A new connection; the caller closes it. */
  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  /** The underlying data source (pooling is the caller's business; syncs hold one connection). */
  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public void close() {
    embedded.ifPresent(EmbeddedDatabase::close);
  }
}
