package io.ssmd.secmaster;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Batched upsert of one venue table with change detection, in one statement per batch: the rows
 * arrive as parallel arrays ({@code unnest}), {@code ON CONFLICT DO UPDATE} writes only when a
 * tracked column {@code IS DISTINCT FROM} the incoming value (so {@code updated_at} moves only on a
 * real change), and a CTE reads the previous values from the same snapshot so the caller learns
 * which columns changed. Stats columns (volume, open interest) are refreshed by a second statement
 * that does not touch {@code updated_at}. Each sync keeps the keys it has seen in a temporary
 * table: that deduplicates records returned by several queries and drives soft deletes.
 */
final class Upserter {
  /** A column and its PostgreSQL type. */
  record Column(String name, String type) {}

  /** One row returned by the upsert: inserted, or updated with old and new tracked values. */
  record Written(String key, boolean inserted, boolean restored, Map<String, String> before, Map<String, String> after) {
    List<String> changedFields() {
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, String> e : after.entrySet()) {
        if (!java.util.Objects.equals(before.get(e.getKey()), e.getValue())) {
          out.add(e.getKey());
        }
      }
      return out;
    }
  }

  /** Outcome of one batch. */
  record Result(List<Written> written, int fresh, long statsUpdated) {}

  private final String table;
  private final Column key;
  private final List<Column> tracked;
  private final List<Column> stats;
  private final String seenTable;
  private final String upsertSql;
  private final String statsSql;

  Upserter(String table, Column key, List<Column> tracked, List<Column> stats) {
    this.table = table;
    this.key = key;
    this.tracked = List.copyOf(tracked);
    this.stats = List.copyOf(stats);
    this.seenTable = "seen_" + table;
    List<Column> all = new ArrayList<>();
    all.add(key);
    all.addAll(tracked);
    all.addAll(stats);
    String unnest = all.stream().map(c -> "?::text[]::" + c.type() + "[]").collect(Collectors.joining(", "));
    String names = all.stream().map(Column::name).collect(Collectors.joining(", "));
    String sets = all.stream().skip(1).map(c -> c.name() + " = excluded." + c.name()).collect(Collectors.joining(", "));
    String mine = tracked.stream().map(c -> table + "." + c.name()).collect(Collectors.joining(", "));
    String theirs = tracked.stream().map(c -> "excluded." + c.name()).collect(Collectors.joining(", "));
    String returning = tracked.stream().map(c -> table + "." + c.name() + "::text as n_" + c.name()).collect(Collectors.joining(", "));
    String olds = tracked.stream().map(c -> "o." + c.name() + "::text as o_" + c.name()).collect(Collectors.joining(", "));
    String sAll = all.stream().map(c -> "s." + c.name()).collect(Collectors.joining(", "));
    String oldTracked = tracked.stream().map(c -> "o." + c.name()).collect(Collectors.joining(", "));
    String sTracked = tracked.stream().map(c -> "s." + c.name()).collect(Collectors.joining(", "));
    // Unchanged rows are left out before the insert: ON CONFLICT DO UPDATE .. WHERE false still
    // locks (and so writes) every conflicting row, which made a no-change re-sync write a page's
    // worth of tuple headers; the conflict clause keeps the same test for rows inserted meanwhile.
    this.upsertSql =
        "with s as (select * from unnest(" + unnest + ") as s(" + names + ")),"
            + " old as (select t.* from " + table + " t join s on t." + key.name() + " = s." + key.name() + "),"
            + " up as (insert into " + table + " (" + names + ") select " + sAll + " from s"
            + " left join old o on o." + key.name() + " = s." + key.name()
            + " where o." + key.name() + " is null or (" + oldTracked + ", o.deleted_at is null) is distinct from (" + sTracked + ", true)"
            + " on conflict (" + key.name() + ") do update set " + sets + ", updated_at = now(), deleted_at = null"
            + " where (" + mine + ", " + table + ".deleted_at is null) is distinct from (" + theirs + ", true)"
            + " returning " + table + "." + key.name() + " as k, (" + table + ".xmax = 0) as ins, " + returning + ")"
            + " select up.*, " + olds + ", o.deleted_at is not null as o_deleted from up left join old o on o." + key.name() + " = up.k";
    if (stats.isEmpty()) {
      this.statsSql = null;
    } else {
      List<Column> keyAndStats = new ArrayList<>();
      keyAndStats.add(key);
      keyAndStats.addAll(stats);
      String sUnnest = keyAndStats.stream().map(c -> "?::text[]::" + c.type() + "[]").collect(Collectors.joining(", "));
      String sNames = keyAndStats.stream().map(Column::name).collect(Collectors.joining(", "));
      String sSets = stats.stream().map(c -> c.name() + " = s." + c.name()).collect(Collectors.joining(", "));
      String sMine = stats.stream().map(c -> "t." + c.name()).collect(Collectors.joining(", "));
      String sTheirs = stats.stream().map(c -> "s." + c.name()).collect(Collectors.joining(", "));
      this.statsSql =
          "update " + table + " t set " + sSets + " from unnest(" + sUnnest + ") as s(" + sNames + ")"
              + " where t." + key.name() + " = s." + key.name() + " and (" + sMine + ") is distinct from (" + sTheirs + ")";
    }
  }

  String table() {
    return table;
  }

  /** Creates this sync's seen-keys table on the connection. */
  void begin(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("drop table if exists " + seenTable);
      st.execute("create temp table " + seenTable + " (k text primary key)");
    }
  }

  /**
   * Refills this connection's seen-keys table with what an earlier attempt of a resumable run
   * persisted ({@code sync_seen}), so the resumed attempt deduplicates and soft-deletes as one run.
   */
  void restore(Connection c, String runId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "insert into " + seenTable + " (k) select k from sync_seen where run_id = ? and tbl = ? on conflict do nothing")) {
      ps.setString(1, runId);
      ps.setString(2, table);
      ps.executeUpdate();
    }
  }

  /** Upserts rows not yet seen in this sync, without persisting the seen keys. */
  Result upsert(Connection c, List<String[]> rows) throws SQLException {
    return upsert(c, rows, null);
  }

  /**
   * Upserts rows not yet seen in this sync. Each row is {@code [key, tracked.., stats..]} as text
   * (null allowed). Runs in the caller's transaction.
   *
   * @param persistRunId when not null, the newly seen keys are also written to {@code sync_seen}
   *     under this run id (same statement, same transaction), for a resumed attempt
   */
  Result upsert(Connection c, List<String[]> rows, String persistRunId) throws SQLException {
    Map<String, String[]> byKey = new LinkedHashMap<>();
    for (String[] r : rows) {
      byKey.put(r[0], r);
    }
    List<String> fresh = new ArrayList<>();
    String seenSql = persistRunId == null
        ? "insert into " + seenTable + " (k) select unnest(?::text[]) on conflict do nothing returning k"
        : "with n as (insert into " + seenTable + " (k) select unnest(?::text[]) on conflict do nothing returning k),"
            + " p as (insert into sync_seen (run_id, tbl, k) select ?, ?, k from n on conflict do nothing)"
            + " select k from n";
    try (PreparedStatement ps = c.prepareStatement(seenSql)) {
      ps.setArray(1, c.createArrayOf("text", byKey.keySet().toArray(new String[0])));
      if (persistRunId != null) {
        ps.setString(2, persistRunId);
        ps.setString(3, table);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          fresh.add(rs.getString(1));
        }
      }
    }
    List<Written> written = new ArrayList<>();
    if (fresh.isEmpty()) {
      return new Result(written, 0, 0);
    }
    int width = 1 + tracked.size() + stats.size();
    String[][] cols = new String[width][fresh.size()];
    for (int i = 0; i < fresh.size(); i++) {
      String[] r = byKey.get(fresh.get(i));
      for (int j = 0; j < width; j++) {
        cols[j][i] = r[j];
      }
    }
    try (PreparedStatement ps = c.prepareStatement(upsertSql)) {
      for (int j = 0; j < width; j++) {
        ps.setArray(j + 1, textArray(c, cols[j]));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Map<String, String> before = new LinkedHashMap<>();
          Map<String, String> after = new LinkedHashMap<>();
          for (Column col : tracked) {
            before.put(col.name(), rs.getString("o_" + col.name()));
            after.put(col.name(), rs.getString("n_" + col.name()));
          }
          boolean inserted = rs.getBoolean("ins");
          written.add(new Written(rs.getString("k"), inserted, !inserted && rs.getBoolean("o_deleted"), before, after));
        }
      }
    }
    long statsUpdated = 0;
    if (statsSql != null && written.size() < fresh.size()) {
      // rows just inserted or updated already carry the new stats (a first sync: all of them), so
      // only the others are stats-only refreshes
      java.util.Set<String> writtenKeys = new java.util.HashSet<>();
      written.forEach(w -> writtenKeys.add(w.key()));
      List<Integer> rest = new ArrayList<>();
      for (int i = 0; i < fresh.size(); i++) {
        if (!writtenKeys.contains(fresh.get(i))) {
          rest.add(i);
        }
      }
      try (PreparedStatement ps = c.prepareStatement(statsSql)) {
        ps.setArray(1, textArray(c, pick(cols[0], rest)));
        for (int j = 0; j < stats.size(); j++) {
          ps.setArray(j + 2, textArray(c, pick(cols[1 + tracked.size() + j], rest)));
        }
        statsUpdated = ps.executeUpdate();
      }
    }
    return new Result(written, fresh.size(), statsUpdated);
  }

  /** Soft-deletes rows this sync did not see; returns their keys. */
  List<String> softDeleteUnseen(Connection c) throws SQLException {
    List<String> keys = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "update " + table + " t set deleted_at = now(), updated_at = now() where t.deleted_at is null"
            + " and not exists (select 1 from " + seenTable + " s where s.k = t." + key.name() + ") returning t." + key.name());
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        keys.add(rs.getString(1));
      }
    }
    return keys;
  }

  void end(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("drop table if exists " + seenTable);
    }
  }

  private static String[] pick(String[] column, List<Integer> rows) {
    String[] out = new String[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = column[rows.get(i)];
    }
    return out;
  }

  private static Array textArray(Connection c, String[] values) throws SQLException {
    return c.createArrayOf("text", values);
  }
}
