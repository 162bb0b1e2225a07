package io.ssmd.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.transport.Delivered;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.Transport;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a running {@link Connector} subscribed to what the security master says is live: it reads
 * the change events of the connector's feed on {@code {prefix}.secmaster.changes.{feed}} and adds
 * the markets that open, removes those that close, while the connector runs.
 *
 * <p>What an event asks for ({@link #decide}):
 *
 * <ul>
 *   <li>{@code activated}, or {@code added} with state {@code open} (Kalshi, Polymarket tokens) or
 *       status {@code online} (Kraken): add;
 *   <li>{@code closed} (closed or settled) and {@code removed} (gone from the venue's listing),
 *       {@code added} already closed, settled or delisted, or {@code changed} to status {@code
 *       delisted} (Kraken): remove;
 *   <li>anything else (a rename, a market added before it opens, a paused market): nothing.
 * </ul>
 *
 * Only events of the connector's feed about what its venue subscribes count (Kalshi {@code market},
 * Kraken {@code pair}, Polymarket {@code token}: the outcome-token asset id, with {@code state}
 * {@code open} or {@code closed}; its {@code event} and {@code market} events are {@code
 * out_of_scope}), and with {@code prefixes} only markets whose ticker, event ticker, or (Polymarket)
 * market slug or condition id starts with one of them. Every event is counted in {@code
 * ssmd_connector_change_events_total{feed,outcome}}; the connector counts what it actually changed
 * in {@code ssmd_connector_subscription_changes_total{feed,action}} (a repeated event changes
 * nothing: both operations are idempotent).
 *
 * <p>The subscription starts at {@link Transport#NEW}: the connector's initial markets come from its
 * configuration; what changed before it started is in that configuration or in the next sync.
 */
public final class ChangeFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFollower.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Per feed, the change-event entity whose ticker is what the venue session subscribes: Kraken
   * pairs (v2 symbol), Polymarket outcome tokens (asset id); other feeds (Kalshi) follow {@code market}.
   */
  private static final java.util.Map<String, String> FOLLOWED_ENTITY = java.util.Map.of("kraken", "pair", "polymarket", "token");
  /** Fields a follow prefix may match besides the ticker: Kalshi's event, a Polymarket token's market. */
  private static final List<String> PREFIX_FIELDS = List.of("event_ticker", "slug", "condition_id");

  /** What one change event asks of the connector. */
  public enum Action {
    ADD,
    REMOVE,
    NONE
  }

  /**
   * The decision on one event: the action, the market it applies to, and the outcome label it is
   * counted under ({@link ConnectorMetrics#CHANGE_OUTCOMES}).
   */
  public record Decision(Action action, String market, String outcome) {
    static Decision none(String market, String outcome) {
      return new Decision(Action.NONE, market, outcome);
    }
  }

  private final Connector connector;
  private final List<String> prefixes;
  private final String subject;
  private volatile AutoCloseable subscription;

  private ChangeFollower(Connector connector, String subject, List<String> prefixes) {
    this.connector = connector;
    this.subject = subject;
    this.prefixes = List.copyOf(prefixes);
  }

  /**
   * Starts following: subscribes {@code {subjectPrefix}.secmaster.changes.{feed}} on {@code
   * changes} (the transport the security master publishes into: the {@code {PREFIX}_SECMASTER}
   * stream with NATS, the shared memory transport in {@code ssmd up}) from now on.
   *
   * @param connector a started connector
   * @param subjectPrefix the environment's subject prefix (first subject token)
   * @param prefixes ticker or event-ticker prefixes to follow; empty follows every market of the feed
   */
  public static ChangeFollower start(Connector connector, Transport changes, String subjectPrefix, List<String> prefixes) {
    Objects.requireNonNull(connector, "connector");
    Objects.requireNonNull(changes, "changes");
    Objects.requireNonNull(prefixes, "prefixes");
    String subject = Subjects.secmasterChanges(subjectPrefix, connector.feed());
    ChangeFollower follower = new ChangeFollower(connector, subject, prefixes);
    follower.subscription = changes.subscribe(subject, Transport.NEW, follower::onMessage);
    LOG.atInfo().addKeyValue("feed", connector.feed()).addKeyValue("subject", subject)
        .log("{} connector follows the security master on {}{}", connector.feed(), subject,
            prefixes.isEmpty() ? "" : " (prefixes " + prefixes + ")");
    return follower;
  }

  /** The subject followed. */
  public String subject() {
    return subject;
  }

  private void onMessage(Delivered message) {
    apply(message.payload());
  }

  /** Applies one change event (its JSON payload) to the connector; returns the decision taken. */
  public Decision apply(byte[] payload) {
    Decision d;
    try {
      d = decide(JSON.readTree(payload), connector.feed(), prefixes);
    } catch (IOException e) {
      d = Decision.none(null, ConnectorMetrics.OUTCOME_MALFORMED);
    }
    connector.metrics().changeEvent(d.outcome());
    if (d.action() == Action.NONE) {
      if (ConnectorMetrics.OUTCOME_MALFORMED.equals(d.outcome())) {
        LOG.warn("{} connector: unreadable change event on {} ignored", connector.feed(), subject);
      }
      return d;
    }
    try {
      if (d.action() == Action.ADD) {
        connector.addMarkets(List.of(d.market()));
      } else {
        connector.removeMarkets(List.of(d.market()));
      }
    } catch (IllegalStateException e) {
      // the connector is closing: nothing left to subscribe
      LOG.debug("{} connector not running; change for {} not applied", connector.feed(), d.market());
    }
    return d;
  }

  /**
   * What a change event (as published by the security master's outbox) asks of a connector of
   * {@code feed} following {@code prefixes}.
   */
  public static Decision decide(JsonNode event, String feed, List<String> prefixes) {
    if (event == null || !event.isObject()) {
      return Decision.none(null, ConnectorMetrics.OUTCOME_MALFORMED);
    }
    String kind = text(event, "kind");
    String market = text(event, "ticker");
    if (market == null) {
      market = text(event, "symbol"); // Kraken pairs name their v2 symbol
    }
    if (kind == null || market == null) {
      return Decision.none(market, ConnectorMetrics.OUTCOME_MALFORMED);
    }
    String eventFeed = text(event, "feed");
    String entity = text(event, "entity");
    String followed = FOLLOWED_ENTITY.getOrDefault(feed, "market");
    if ((eventFeed != null && !eventFeed.equals(feed)) || (entity != null && !entity.equals(followed))) {
      return Decision.none(market, ConnectorMetrics.OUTCOME_OUT_OF_SCOPE);
    }
    if (!inScope(market, event, prefixes)) {
      return Decision.none(market, ConnectorMetrics.OUTCOME_OUT_OF_SCOPE);
    }
    String state = text(event, "state");
    String status = text(event, "status");
    Action action = switch (kind.toLowerCase(Locale.ROOT)) {
      case "activated" -> Action.ADD;
      case "added" -> {
        if ("open".equals(state) || "online".equals(status)) {
          yield Action.ADD;
        }
        // first seen already over (e.g. a first sync): not live, so not to be held
        yield "closed".equals(state) || "settled".equals(state) || "delisted".equals(status) ? Action.REMOVE : Action.NONE;
      }
      case "closed", "removed" -> Action.REMOVE;
      case "changed" -> "delisted".equals(status) ? Action.REMOVE : Action.NONE;
      default -> Action.NONE;
    };
    return switch (action) {
      case ADD -> new Decision(Action.ADD, market, ConnectorMetrics.OUTCOME_ADD);
      case REMOVE -> new Decision(Action.REMOVE, market, ConnectorMetrics.OUTCOME_REMOVE);
      case NONE -> Decision.none(market, ConnectorMetrics.OUTCOME_IGNORED);
    };
  }

  private static boolean inScope(String market, JsonNode event, List<String> prefixes) {
    if (prefixes.isEmpty()) {
      return true;
    }
    for (String p : prefixes) {
      if (market.startsWith(p)) {
        return true;
      }
      for (String field : PREFIX_FIELDS) {
        String v = text(event, field);
        if (v != null && v.startsWith(p)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || !v.isTextual() || v.asText().isBlank() ? null : v.asText();
  }

  /** Stops following; the connector keeps the markets it has. */
  @Override
  public void close() {
    AutoCloseable s = subscription;
    subscription = null;
    if (s != null) {
      try {
        s.close();
      } catch (Exception e) {
        LOG.warn("closing the change subscription {}: {}", subject, e.toString());
      }
    }
  }
}
