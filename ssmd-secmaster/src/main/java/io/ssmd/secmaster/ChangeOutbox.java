package io.ssmd.secmaster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.Transport;
import io.ssmd.transport.memory.MemoryTransport;
import io.ssmd.transport.nats.NatsTransport;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
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
 * (JSON), marking a row published only once the transport has acknowledged it. Publishing after the
 * commit, from the table, and marking after the acknowledgement means a crash or an unreachable
 * broker in between loses nothing: the next publish sends the rows again, with the same message id.
 */
public final class ChangeOutbox {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeOutbox.class);
  private static final int CHUNK = 1000;
  /** How long {@link #publish(Transport, String, String)} waits for a chunk's acknowledgements. */
  public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(30);

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
   * {@link #publish(Transport, String, String, Duration)} waiting up to {@link #DEFAULT_ACK_TIMEOUT}
   * for each chunk's acknowledgements.
   */
  public int publish(Transport transport, String env, String feed) throws SQLException {
    return publish(transport, env, feed, DEFAULT_ACK_TIMEOUT);
  }

  /**
   * Publishes a feed's unpublished rows in id order, a chunk at a time, and marks a chunk's rows
   * published only once the transport has acknowledged them: after queueing a chunk it waits
   * ({@link Transport#flush}) until nothing is pending and checks that the transport dropped nothing
   * meanwhile. When the transport rejects a row, cannot deliver within {@code ackTimeout}, or drops
   * one, the chunk's rows stay unpublished and publishing stops: the next call sends them again
   * under the same message id ({@code secmaster-{feed}-{id}}), which JetStream (and the memory
   * transport) de-duplicate. Returns the number of rows marked published.
   */
  public int publish(Transport transport, String env, String feed, Duration ackTimeout) throws SQLException {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(ackTimeout, "ackTimeout");
    String subject = subject(env, feed);
    int published = 0;
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      boolean more = true;
      while (more) {
        List<Long> ids = new ArrayList<>();
        long droppedBefore = dropped(transport);
        boolean rejected = false;
        try (PreparedStatement ps = c.prepareStatement(
            "select id, payload::text, created_at, kind, ticker, entity from change_events where feed = ? and published_at is null"
                + " order by id limit " + CHUNK)) {
          ps.setString(1, feed);
          try (ResultSet rs = ps.executeQuery()) {
            int rows = 0;
            while (rs.next()) {
              rows++;
              long id = rs.getLong(1);
              byte[] bytes = json.writeValueAsBytes(message(rs, id, feed));
              // the outbox id makes the message id stable, so a re-publish after a crash is deduplicated
              if (!transport.publish(new Envelope(subject, bytes, msgId(feed, id), System.currentTimeMillis() * 1_000_000L,
                  "secmaster", 0))) {
                rejected = true;
                break;
              }
              ids.add(id);
            }
            more = rows == CHUNK;
          } catch (IOException e) {
            throw new SQLException("cannot encode outbox payload: " + e.getMessage(), e);
          }
        }
        if (ids.isEmpty()) {
          if (rejected) {
            LOG.warn("transport rejected {} change events; they stay in the outbox for the next publish", feed);
          }
          break;
        }
        // a rejected publish is itself counted as a drop: the chunk is not acknowledged either way
        boolean acked = !rejected && transport.flush(ackTimeout) && transport.pending() == 0 && dropped(transport) == droppedBefore;
        if (!acked) {
          LOG.warn("{} change events {}..{} not acknowledged by the transport ({}); they stay in the outbox for the next publish",
              feed, ids.getFirst(), ids.getLast(), rejected ? "rejected" : "not confirmed within " + ackTimeout);
          break;
        }
        try (PreparedStatement ps = c.prepareStatement("update change_events set published_at = now() where id = any(?)")) {
          ps.setArray(1, c.createArrayOf("bigint", ids.toArray(new Long[0])));
          ps.executeUpdate();
        }
        c.commit();
        published += ids.size();
      }
    }
    return published;
  }

  /** The message id of outbox row {@code id}: stable, so JetStream drops a resent copy. */
  public static String msgId(String feed, long id) {
    return "secmaster-" + feed + "-" + id;
  }

  /** Rows of a feed not yet acknowledged by a transport. */
  public long unpublished(String feed) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select count(*) from change_events where feed = ? and published_at is null")) {
      ps.setString(1, feed);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private ObjectNode message(ResultSet rs, long id, String feed) throws SQLException {
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
    return payload;
  }

  /**
   * Frames the transport has dropped so far (both implementations count them); a drop while a chunk
   * is in flight may be one of the chunk's rows, so the chunk is not marked. Another publisher's drop
   * on a shared transport only causes a resend, which the message id de-duplicates.
   */
  private static long dropped(Transport transport) {
    return switch (transport) {
      case NatsTransport n -> n.stats().droppedTotal();
      case MemoryTransport m -> m.stats().droppedTotal();
      default -> 0L;
    };
  }

  private JsonNode readPayload(String text) throws SQLException {
    try {
      return json.readTree(text);
    } catch (IOException e) {
      throw new SQLException("unreadable outbox payload: " + e.getMessage(), e);
    }
  }
}
