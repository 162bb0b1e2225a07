package io.ssmd.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
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
  private final List<ConfigException.Problem> unknownKeys;

  private LocationIndex(Map<String, Position> positions, List<ConfigException.Problem> unknownKeys) {
    this.positions = positions;
    this.unknownKeys = unknownKeys;
  }

  /**
   * Indexes a document and checks its keys against the records of {@code rootType}. Jackson
   * reports an unknown key only after it has built the record, so a key mistyped as {@code
   * transprot} would first surface as "missing transport"; checking names here reports the typo.
   */
  static LocationIndex of(byte[] yaml, Class<?> rootType) throws IOException {
    Map<String, Position> positions = new HashMap<>();
    List<ConfigException.Problem> unknown = new ArrayList<>();
    // expected type of the value at each open container; null once below a type that is not a record
    Deque<Type> types = new ArrayDeque<>();
    Type pending = rootType;
    try (JsonParser p = Yaml.MAPPER.createParser(yaml)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        JsonStreamContext ctx = p.getParsingContext();
        if (t == JsonToken.FIELD_NAME) {
          String path = path(ctx);
          Position pos = position(p.currentTokenLocation());
          positions.putIfAbsent(path, pos);
          pending = child(types.peek(), ctx.getCurrentName(), path, pos, unknown);
          continue;
        }
        JsonStreamContext container = t.isStructStart() ? ctx.getParent() : ctx;
        if (container != null && container.inArray()) {
          // an element of a list is located at its first token
          positions.putIfAbsent(path(container), position(p.currentTokenLocation()));
          pending = element(types.peek());
        }
        if (t.isStructStart()) {
          types.push(pending == null ? Unchecked.class : pending);
        } else if (t.isStructEnd()) {
          types.pop();
        }
      }
    }
    return new LocationIndex(positions, List.copyOf(unknown));
  }

  /** Keys the records do not have, in file order. */
  List<ConfigException.Problem> unknownKeys() {
    return unknownKeys;
  }

  /** Marks a container whose keys are not checked here (free-form maps, custom types). */
  private static final class Unchecked {}

  private static Type child(Type container, String name, String path, Position pos, List<ConfigException.Problem> unknown) {
    if (container instanceof ParameterizedType pt && pt.getRawType() == Map.class) {
      return pt.getActualTypeArguments()[1];
    }
    if (!(container instanceof Class<?> c) || !c.isRecord()) {
      return null;
    }
    for (RecordComponent rc : c.getRecordComponents()) {
      if (Yaml.NAMING.translate(rc.getName()).equals(name)) {
        return rc.getGenericType();
      }
    }
    List<String> known = Yaml.keysOf(c);
    unknown.add(new ConfigException.Problem(null, 0, 0, path, "unknown key '" + path + "' (expected one of: "
        + String.join(", ", known) + ")").at(null, pos.line(), pos.column()));
    return null;
  }

  private static Type element(Type container) {
    if (container instanceof ParameterizedType pt && pt.getRawType() == List.class) {
      return pt.getActualTypeArguments()[0];
    }
    return null;
  }

  /** Index for a document that could not be read: everything at its start. */
  static LocationIndex empty() {
    return new LocationIndex(Map.of(), List.of());
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
