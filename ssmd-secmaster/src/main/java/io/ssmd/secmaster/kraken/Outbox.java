package io.ssmd.secmaster.kraken;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes change events into the module's {@code change_events} outbox table when it exists, in
 * the sync's own transaction so an event is published exactly when its row change commits.
 * The table belongs to the common secmaster schema; its columns are looked up once and matched by
 * their usual names, so this writer follows that schema instead of duplicating it. Without the
 * table (or with columns it cannot fill) it writes nothing and says so once.
 */
final class Outbox {

  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  private static final List<String> VENUE = List.of("venue", "feed", "source");
  private static final List<String> ENTITY = List.of("entity", "entity_type", "table_name", "kind_of");
  private static final List<String> KEY = List.of("entity_key", "entity_id", "key", "ticker", "instrument", "symbol");
  private static final List<String> CHANGE = List.of("change", "change_type", "event_type", "kind", "type", "action");
  private static final List<String> PAYLOAD = List.of("payload", "details", "data", "body");

  private final String sql;
  private final List<String> order;
  private int written;

  private Outbox(String sql, List<String> order) {
    this.sql = sql;
    this.order = order;
  }

  static Outbox open(Connection c) throws SQLException {
    Map<String, Boolean> columns = new LinkedHashMap<>();
    Map<String, String> types = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT column_name, is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO', data_type "
            + "FROM information_schema.columns WHERE table_name = 'change_events' AND table_schema = current_schema()");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        columns.put(rs.getString(1), rs.getBoolean(2));
        types.put(rs.getString(1), rs.getString(3));
      }
    }
    if (columns.isEmpty()) {
      log.info("no change_events table: change events are not recorded");
      return new Outbox(null, List.of());
    }
    Map<String, String> chosen = new LinkedHashMap<>();
    for (var e : Map.of("venue", VENUE, "entity", ENTITY, "key", KEY, "change", CHANGE, "payload", PAYLOAD).entrySet()) {
      e.getValue().stream().filter(columns::containsKey).findFirst().ifPresent(col -> chosen.put(e.getKey(), col));
    }
    List<String> unfilled = columns.entrySet().stream()
        .filter(e -> e.getValue() && !chosen.containsValue(e.getKey())).map(Map.Entry::getKey).toList();
    if (!chosen.containsKey("key") || !chosen.containsKey("change") || !unfilled.isEmpty()) {
      log.warn("change_events has columns {} this writer cannot fill (required unfilled {}): change events are not recorded",
          columns.keySet(), unfilled);
      return new Outbox(null, List.of());
    }
    List<String> order = new ArrayList<>(chosen.keySet());
    String cols = String.join(", ", chosen.values());
    String params = String.join(", ", chosen.values().stream()
        .map(col -> types.get(col).startsWith("json") ? "?::" + types.get(col) : "?").toList());
    return new Outbox("INSERT INTO change_events (" + cols + ") VALUES (" + params + ")", order);
  }

  boolean enabled() {
    return sql != null;
  }

  int written() {
    return written;
  }

  /**
   * Records one change. {@code change} is the outbox kind (ADDED, CHANGED, CLOSED, REMOVED, as in
   * the Kalshi sync); the payload gets feed, entity, ticker and kind added, like Kalshi's, so one
   * publisher serves every feed.
   */
  void record(Connection c, String venue, String entity, String key, String change, com.fasterxml.jackson.databind.node.ObjectNode payload)
      throws SQLException {
    if (sql == null) {
      return;
    }
    String payloadJson = payload.put("feed", venue).put("entity", entity).put("ticker", key)
        .put("kind", change.toLowerCase(java.util.Locale.ROOT)).toString();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < order.size(); i++) {
        ps.setString(i + 1, switch (order.get(i)) {
          case "venue" -> venue;
          case "entity" -> entity;
          case "key" -> key;
          case "change" -> change;
          default -> payloadJson;
        });
      }
      ps.executeUpdate();
      written++;
    }
  }
}
