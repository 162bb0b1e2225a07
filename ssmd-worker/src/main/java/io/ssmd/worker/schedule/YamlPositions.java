package io.ssmd.worker.schedule;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Line and column of every key and list element of a YAML document by key path ({@code [2].input.env}),
 * so a problem found on the parsed tree is reported on the line the operator edits.
 */
final class YamlPositions {
  /** 1-based. */
  record Position(int line, int column) {}

  private static final Position START = new Position(1, 1);

  private final Map<String, Position> positions;

  private YamlPositions(Map<String, Position> positions) {
    this.positions = positions;
  }

  static YamlPositions of(ObjectMapper yaml, byte[] bytes) throws IOException {
    Map<String, Position> positions = new HashMap<>();
    try (JsonParser p = yaml.createParser(bytes)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        JsonStreamContext ctx = p.getParsingContext();
        if (t == JsonToken.FIELD_NAME) {
          positions.putIfAbsent(path(ctx), position(p.currentTokenLocation()));
          continue;
        }
        JsonStreamContext container = t.isStructStart() ? ctx.getParent() : ctx;
        if (container != null && container.inArray() && !t.isStructEnd()) {
          positions.putIfAbsent(path(container), position(p.currentTokenLocation()));
        }
      }
    }
    return new YamlPositions(positions);
  }

  /** Where {@code keyPath} is written, else its nearest written parent, else the first line. */
  Position find(String keyPath) {
    String path = keyPath;
    while (!path.isEmpty()) {
      Position pos = positions.get(path);
      if (pos != null) {
        return pos;
      }
      int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      path = cut < 0 ? "" : path.substring(0, cut);
    }
    return START;
  }

  private static String path(JsonStreamContext ctx) {
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

  private static Position position(JsonLocation loc) {
    return new Position(Math.max(loc.getLineNr(), 1), Math.max(loc.getColumnNr(), 1));
  }
}
