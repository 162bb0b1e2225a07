package io.ssmd.secmaster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.Transport;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code change_events} outbox: syncs write rows in the same transaction as the data they
 * describe; this class reads them and publishes them on {@code {env}.secmaster.changes.{feed}}
 * (JSON), marking each published. Publishing after the commit, from the table, means a crash in
 * between loses nothing: the next publish picks the rows up again, with the same message id.
 */
public final class ChangeOutbox {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeOutbox.class);
  private static final int CHUNK = 1000;

  private final Database db;
  private final ObjectMapper json = new ObjectMapper();

  public ChangeOutbox(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /**
   * The change subject of an environment and feed, {@code {prefix}.secmaster.changes.{feed}}, kept in
   * the {@code {PREFIX}_SECMASTER} stream ({@code ssmd env apply} creates it).
   */
  public static String subject(String env, String feed) {
    return Subjects.secmasterChanges(env, feed);
  }

  /** Change events of a feed with id greater than {@code afterId}, oldest first, at most {@code limit}. */
  public List<ChangeEvent> since(String feed, long afterId, int limit) throws SQLException {
    List<ChangeEvent> out = new ArrayList<>();
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
        "select id, entity, ticker, kind, fields, payload::text, created_at from change_events where feed = ? and id > ? order by id limit ?")) {
      ps.setString(1, feed);
      ps.setLong(2, afterId);
      ps.setInt(3, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          JsonNode p = readPayload(rs.getString(6));
          out.add(new ChangeEvent(rs.getLong(1), feed, rs.getString(2), rs.getString(3), ChangeEvent.Kind.valueOf(rs.getString(4)),
              Arrays.asList((String[]) rs.getArray(5).getArray()), p.path("state").asText(null), p.path("event_ticker").asText(null),
              rs.getTimestamp(7).toInstant()));
        }
      }
    }
    return out;
  }

  /**
   * Publishes a feed's unpublished rows in id order and marks them published; stops early (rows
   * stay pending) when the transport rejects one. Returns the number published.
   */
  public int publish(Transport transport, String env, String feed) throws SQLException {
    String subject = subject(env, feed);
    int published = 0;
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      boolean more = true;
      while (more) {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
            "select id, payload::text, created_at, kind, ticker, entity from change_events where feed = ? and published_at is null"
                + " order by id limit " + CHUNK)) {
          ps.setString(1, feed);
          try (ResultSet rs = ps.executeQuery()) {
            int rows = 0;
            while (rs.next()) {
              rows++;
              long id = rs.getLong(1);
              ObjectNode payload = (ObjectNode) readPayload(rs.getString(2));
              payload.put("id", id).put("at", rs.getTimestamp(3).toInstant().toString());
              if (!payload.has("kind")) {
                payload.put("kind", rs.getString(4).toLowerCase(Locale.ROOT));
              }
              // every published event names what it is about, whichever sync wrote the payload:
              // connectors following the changes key on feed, entity and ticker
              if (!payload.hasNonNull("ticker")) {
                payload.put("ticker", rs.getString(5));
              }
              if (!payload.hasNonNull("entity")) {
                payload.put("entity", rs.getString(6));
              }
              if (!payload.hasNonNull("feed")) {
                payload.put("feed", feed);
              }
              byte[] bytes = json.writeValueAsBytes(payload);
              // the outbox id makes the message id stable, so a re-publish after a crash is deduplicated
              if (!transport.publish(new Envelope(subject, bytes, "secmaster-" + feed + "-" + id, System.currentTimeMillis() * 1_000_000L,
                  "secmaster", 0))) {
                LOG.warn("transport rejected change event {}; it stays in the outbox", id);
                more = false;
                break;
              }
              ids.add(id);
            }
            more = more && rows == CHUNK;
          } catch (IOException e) {
            throw new SQLException("cannot encode outbox payload: " + e.getMessage(), e);
          }
        }
        if (!ids.isEmpty()) {
          try (PreparedStatement ps = c.prepareStatement("update change_events set published_at = now() where id = any(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray(new Long[0])));
            ps.executeUpdate();
          }
          c.commit();
          published += ids.size();
        }
      }
    }
    return published;
  }

  private JsonNode readPayload(String text) throws SQLException {
    try {
      return json.readTree(text);
    } catch (IOException e) {
      throw new SQLException("unreadable outbox payload: " + e.getMessage(), e);
    }
  }
}
