package io.ssmd.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The client command protocol: {@code auth}, {@code subscribe}, {@code unsubscribe}, {@code list},
 * {@code symbols}, {@code ping}. Every malformed or unknown command is answered with an error and
 * the connection stays open; only authentication failures close it.
 */
final class Commands {
  private static final int MAX_SYMBOLS_LIST = 10_000;

  private Commands() {}

  static void handle(ClientSession c, String text) {
    JsonNode cmd;
    try {
      cmd = Messages.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      cmd = null;
    }
    JsonNode id = cmd != null && cmd.isObject() ? validId(cmd.get("id")) : null;
    if (c.key() == null) {
      if (cmd != null && cmd.isObject() && "auth".equals(cmd.path("op").asText(null))) {
        c.authenticate(id, cmd.path("key").isTextual() ? cmd.get("key").asText() : null);
      } else {
        c.refuseUnauthenticated();
      }
      return;
    }
    if (cmd == null || !cmd.isObject()) {
      c.error(null, ErrorCode.MALFORMED_JSON, "a command is one JSON object, e.g. {\"id\":1,\"op\":\"subscribe\",\"symbols\":[\"kalshi:*\"]}");
      return;
    }
    JsonNode op = cmd.get("op");
    if (op == null || !op.isTextual()) {
      c.error(id, ErrorCode.BAD_REQUEST, "missing \"op\" (subscribe, unsubscribe, list, symbols, ping)");
      return;
    }
    switch (op.asText()) {
      case "subscribe" -> {
        List<SymbolPattern> patterns = patterns(c, id, cmd.get("symbols"));
        if (patterns == null) {
          return;
        }
        Set<String> types;
        try {
          types = ClientSession.types(cmd.get("types"));
        } catch (IllegalArgumentException e) {
          c.error(id, ErrorCode.BAD_REQUEST, e.getMessage());
          return;
        }
        c.gateway().hub().subscribe(c, id, patterns, types, c.gateway().options().maxSubscriptionsPerClient());
      }
      case "unsubscribe" -> {
        List<SymbolPattern> patterns = patterns(c, id, cmd.get("symbols"));
        if (patterns != null) {
          c.gateway().hub().unsubscribe(c, id, patterns);
        }
      }
      case "list" -> c.gateway().hub().list(c, id);
      case "symbols" -> {
        String feed = cmd.path("feed").asText("");
        if (!c.gateway().hub().feeds().contains(feed)) {
          c.error(id, ErrorCode.UNKNOWN_FEED, "symbols needs \"feed\": one of " + c.gateway().feeds());
          return;
        }
        if (!c.key().allows(feed)) {
          c.error(id, ErrorCode.FORBIDDEN_FEED, "API key '" + c.key().name() + "' may not read feed '" + feed + "'");
          return;
        }
        List<String> symbols = c.gateway().hub().symbols(feed, MAX_SYMBOLS_LIST);
        c.enqueue(Out.control(Messages.json(g -> {
          Messages.id(g, id);
          g.writeStringField("type", "ack");
          g.writeStringField("op", "symbols");
          g.writeStringField("feed", feed);
          Messages.strings(g, "symbols", symbols);
        })));
      }
      case "ping" -> c.enqueue(Out.control(Messages.pong(id)));
      case "auth" -> c.authenticate(id, cmd.path("key").asText(null));
      default -> c.error(id, ErrorCode.UNKNOWN_OP, "unknown op '" + SymbolPattern.abbreviate(op.asText())
          + "' (subscribe, unsubscribe, list, symbols, ping)");
    }
  }

  /** Ids are echoed back: numbers and short strings only, so an id cannot make a reply huge. */
  private static JsonNode validId(JsonNode id) {
    if (id == null || id.isNumber() || (id.isTextual() && id.asText().length() <= 128)) {
      return id;
    }
    return null;
  }

  private static List<SymbolPattern> patterns(ClientSession c, JsonNode id, JsonNode symbols) {
    if (symbols == null || !symbols.isArray() || symbols.isEmpty()) {
      c.error(id, ErrorCode.BAD_REQUEST, "\"symbols\" must be a non-empty list of feed:SYMBOL, feed:* or *");
      return null;
    }
    List<SymbolPattern> out = new ArrayList<>();
    for (JsonNode s : symbols) {
      if (!s.isTextual()) {
        c.error(id, ErrorCode.BAD_REQUEST, "symbols must be strings (feed:SYMBOL, feed:* or *), got " + SymbolPattern.abbreviate(s.toString()));
        return null;
      }
      try {
        out.add(SymbolPattern.parse(s.asText()));
      } catch (IllegalArgumentException e) {
        c.error(id, ErrorCode.BAD_REQUEST, e.getMessage());
        return null;
      }
    }
    return out;
  }
}
