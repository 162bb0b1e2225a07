package io.ssmd.secmaster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
  @Test
  void splitsAPostgresUrlIntoJdbcUrlAndCredentials() {
    Database.Credentials c = Database.parseUrl("postgres://ssmd:s%3Acret@db.internal:5433/secmaster?sslmode=require");
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/secmaster?sslmode=require");
    assertThat(c.user()).isEqualTo("ssmd");
    assertThat(c.password()).isEqualTo("s:cret");
    assertThat(c.toString()).doesNotContain("s:cret");
  }

  @Test
  void defaultsTheDatabaseAndAllowsNoCredentials() {
    Database.Credentials c = Database.parseUrl("postgresql://localhost");
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/postgres");
    assertThat(c.user()).isNull();
    assertThat(c.password()).isNull();
  }

  @Test
  void rejectsOtherSchemesWithoutEchoingTheUrl() {
    assertThatThrownBy(() -> Database.parseUrl("mysql://u:topsecret@h/db"))
        .hasMessageContaining("scheme mysql")
        .hasMessageNotContaining("topsecret");
  }
}
