package io.ssmd.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Line and column of every key (and list element) of a YAML document, by key path. Validation
 * happens on records, which carry no positions; this index puts a record's problem back on the
 * line the operator has to edit.
 */
final class LocationIndex {
  /** A 1-based position. */
  record Position(int line, int column) {}

  private static final Position START = new Position(1, 1);

  private final Map<String, Position> positions;

  private LocationIndex(Map<String, Position> positions) {
    this.positions = positions;
  }

  static LocationIndex of(byte[] yaml) throws IOException {
    Map<String, Position> positions = new HashMap<>();
    try (JsonParser p = Yaml.MAPPER.createParser(yaml)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        JsonStreamContext ctx = p.getParsingContext();
        if (t == JsonToken.FIELD_NAME) {
          positions.putIfAbsent(path(ctx), position(p.currentTokenLocation()));
        } else {
          // an element of a list is located at its first token
          JsonStreamContext container = t.isStructStart() ? ctx.getParent() : ctx;
          if (container != null && container.inArray()) {
            positions.putIfAbsent(path(container), position(p.currentTokenLocation()));
          }
        }
      }
    }
    return new LocationIndex(positions);
  }

  /** Index for a document that could not be read: everything at its start. */
  static LocationIndex empty() {
    return new LocationIndex(Map.of());
  }

  /**
   * Where {@code keyPath} is written; for a key that is absent, where its nearest written parent
   * is; for a document-level problem, the first line.
   */
  Position find(String keyPath) {
    String path = keyPath;
    while (!path.isEmpty()) {
      Position pos = positions.get(path);
      if (pos != null) {
        return pos;
      }
      path = parent(path);
    }
    return START;
  }

  /** Where {@code keyPath} itself is written, if it is. */
  java.util.Optional<Position> exact(String keyPath) {
    return java.util.Optional.ofNullable(positions.get(keyPath));
  }

  /** The path of the element the context is at: {@code a.b[2].c}. */
  static String path(JsonStreamContext ctx) {
    if (ctx == null || ctx.inRoot()) {
      return "";
    }
    String parent = path(ctx.getParent());
    if (ctx.inObject()) {
      String name = ctx.getCurrentName();
      return parent.isEmpty() ? name : parent + "." + name;
    }
    return parent + "[" + Math.max(ctx.getCurrentIndex(), 0) + "]";
  }

  private static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
  }

  private static Position position(JsonLocation loc) {
    return new Position(Math.max(loc.getLineNr(), 1), Math.max(loc.getColumnNr(), 1));
  }
}
