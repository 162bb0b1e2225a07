package io.ssmd.secmaster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Schema migrations and the embedded server's data directory. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DatabaseIT {
  @TempDir Path tmp;

  @Test
  void keepsDataInTheDataDirectoryBetweenRuns() throws Exception {
    Path dir = tmp.resolve("pg");
    try (Database db = Database.embedded(EmbeddedDatabase.start(Optional.of(dir)));
        Connection c = db.connection(); Statement st = c.createStatement()) {
      st.execute("insert into kalshi_series (ticker, title) values ('KEEP', 'kept')");
    }
    assertThat(Files.exists(dir.resolve("PG_VERSION"))).isTrue();
    try (Database db = Database.embedded(EmbeddedDatabase.start(Optional.of(dir)));
        Connection c = db.connection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select title from kalshi_series where ticker = 'KEEP'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("kept");
    }
  }

  @Test
  void connectsByJdbcUrlAndMigratesIdempotently() throws Exception {
    try (EmbeddedDatabase server = EmbeddedDatabase.start()) {
      Database.connect(server.jdbcUrl(), "postgres", null).close();
      Database.fromUrl("postgres://postgres@localhost:" + server.port() + "/postgres").close();
      Database db = Database.connect(server.jdbcUrl(), "postgres", null);
      try (Connection c = db.connection(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select count(*) from flyway_schema_history where success and version = '1'")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }
}
