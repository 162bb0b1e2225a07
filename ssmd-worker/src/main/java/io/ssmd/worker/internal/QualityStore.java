package io.ssmd.worker.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.secmaster.Database;
import io.ssmd.worker.workflows.QualityReport;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Data-quality reports in PostgreSQL ({@code worker_quality_reports}, one row per environment and
 * day, the last check wins). The worker creates the table itself: it is the worker's, not part of
 * the security master's migrated schema.
 */
public final class QualityStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DDL = "create table if not exists worker_quality_reports ("
      + " env text not null, day date not null, grade text not null, report jsonb not null,"
      + " checked_at timestamptz not null default now(), primary key (env, day))";
  private final Database db;

  public QualityStore(Database db) throws SQLException {
    this.db = db;
    try (Connection c = db.connection(); Statement s = c.createStatement()) {
      s.execute(DDL);
    }
  }

  /** Stores (replaces) the report of its environment and day. */
  public void save(QualityReport r) throws SQLException, IOException {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
        "insert into worker_quality_reports (env, day, grade, report, checked_at) values (?, ?, ?, ?::jsonb, now())"
            + " on conflict (env, day) do update set grade = excluded.grade, report = excluded.report, checked_at = excluded.checked_at")) {
      ps.setString(1, r.env());
      ps.setObject(2, LocalDate.parse(r.date()));
      ps.setString(3, r.grade().name());
      ps.setString(4, JSON.writeValueAsString(r));
      ps.executeUpdate();
    }
  }

  /** The stored report of an environment and day. */
  public Optional<QualityReport> find(String env, LocalDate date) throws SQLException, IOException {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select report::text from worker_quality_reports where env = ? and day = ?")) {
      ps.setString(1, env);
      ps.setObject(2, date);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(JSON.readValue(rs.getString(1), QualityReport.class)) : Optional.empty();
      }
    }
  }
}
