package io.ssmd.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads feed and environment files strictly. Any problem, from a YAML syntax error to a schema the
 * feed does not have, becomes a {@link ConfigException} whose lines read {@code
 * file:line:col: key.path: expected ..., got ...}. Type and syntax errors stop at the first one
 * (the parser cannot go on); value checks report every problem of the file at once.
 *
 * <p>Thread-safe and stateless.
 */
public final class ConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  private static final java.util.regex.Pattern BAD_COERCION =
      java.util.regex.Pattern.compile("^Cannot coerce [A-Za-z -]+ value \\((.*)\\) to `");

  private ConfigLoader() {}

  /** Reads a feed file. */
  public static FeedConfig loadFeed(Path file) {
    Parsed<FeedConfig> parsed = read(file, FeedConfig.class);
    FeedConfig feed = parsed.value();
    String expected = feed.name() + ".yaml";
    if (file.getFileName() != null && !file.getFileName().toString().equals(expected)) {
      // environments find a feed by file name, so a mismatch would make the feed unreachable
      throw located(file, parsed.index(),
          List.of(ConfigException.Problem.invalid("name", "feed \"" + feed.name() + "\" must be in a file named " + expected)));
    }
    LOG.debug("loaded feed {} from {} (versions {})", feed.name(), file, feed.versionNames());
    return feed;
  }

  /** Reads an environment file alone, without its feed. */
  public static EnvironmentConfig parseEnvironment(Path file) {
    return read(file, EnvironmentConfig.class).value();
  }

  /**
   * Reads an environment file and its feed from {@code <envFile>/../../feeds}, i.e. {@code
   * exchanges/feeds} beside {@code exchanges/environments}.
   */
  public static ResolvedEnvironment loadEnvironment(Path envFile) {
    return loadEnvironment(envFile, defaultFeedsDir(envFile));
  }

  /** Reads an environment file and its feed {@code <feedsDir>/<feed>.yaml}, and checks they fit together. */
  public static ResolvedEnvironment loadEnvironment(Path envFile, Path feedsDir) {
    Parsed<EnvironmentConfig> parsed = read(envFile, EnvironmentConfig.class);
    EnvironmentConfig env = parsed.value();
    Path feedFile = feedsDir.resolve(env.feed() + ".yaml");
    if (!Files.isRegularFile(feedFile)) {
      throw located(envFile, parsed.index(), List.of(ConfigException.Problem.invalid("feed",
          "no feed \"" + env.feed() + "\": " + feedFile + " does not exist")));
    }
    FeedConfig feed = loadFeed(feedFile);
    FeedVersion version = feed.version(env.schema()).orElseThrow(() -> located(envFile, parsed.index(),
        List.of(ConfigException.Problem.invalid("schema", "feed " + feed.name() + " has no version \"" + env.schema()
            + "\" (expected one of: " + String.join(", ", feed.versionNames()) + ")"))));
    LOG.debug("loaded environment {} from {} (feed {}, schema {})", env.name(), envFile, feed.name(), version.version());
    return new ResolvedEnvironment(env, feed, version, envFile, feedFile);
  }

  /** {@code <envFile>/../../feeds}. */
  public static Path defaultFeedsDir(Path envFile) {
    Path dir = envFile.toAbsolutePath().normalize().getParent();
    Path exchanges = dir.getParent() != null ? dir.getParent() : dir;
    return exchanges.resolve("feeds");
  }

  /** Reads YAML text as if it were {@code file}; used for generated text and tests. */
  static <T> T parse(String yaml, Path file, Class<T> type) {
    return bind(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), file, type).value();
  }

  private record Parsed<T>(T value, LocationIndex index) {}

  private static <T> Parsed<T> read(Path file, Class<T> type) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": file not found");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getClass().getSimpleName() + " " + e.getMessage());
    }
    return bind(bytes, file, type);
  }

  private static <T> Parsed<T> bind(byte[] bytes, Path file, Class<T> type) {
    LocationIndex index;
    try {
      index = LocationIndex.of(bytes, type);
    } catch (IOException e) {
      throw translate(file, LocationIndex.empty(), e, type);
    }
    if (!index.unknownKeys().isEmpty()) {
      throw new ConfigException(index.unknownKeys().stream()
          .map(p -> p.at(file.toString(), p.line(), p.column())).toList());
    }
    T value;
    try {
      value = Yaml.MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw translate(file, index, e, type);
    }
    if (value == null) {
      throw located(file, index, List.of(ConfigException.Problem.invalid("",
          "the file is empty; expected a mapping with keys: " + String.join(", ", Yaml.keysOf(type)))));
    }
    return new Parsed<>(value, index);
  }

  private static ConfigException translate(Path file, LocationIndex index, IOException e, Class<?> root) {
    if (e instanceof ValueInstantiationException vie && vie.getCause() instanceof ConfigException ce) {
      return located(file, index, ce.problems());
    }
    if (e instanceof JsonMappingException jme) {
      String path = keyPath(jme);
      String text = switch (jme) {
        case UnrecognizedPropertyException u -> {
          List<String> known = Yaml.keysOf(u.getReferringClass());
          yield "unknown key '" + path + "'" + (known.isEmpty() ? "" : " (expected one of: " + String.join(", ", known) + ")");
        }
        case Yaml.Expected x -> prefix(path) + x.getOriginalMessage();
        case InvalidFormatException f -> prefix(path) + "expected " + Yaml.describe(f.getTargetType())
            + ", got " + Yaml.quote(f.getValue());
        case MismatchedInputException m when m.getTargetType() != null && BAD_COERCION.matcher(m.getOriginalMessage()).find() -> {
          // Jackson words a quoted number or boolean as a coercion it refuses; say what it is instead
          var matcher = BAD_COERCION.matcher(m.getOriginalMessage());
          matcher.find();
          yield prefix(path) + "expected " + Yaml.describe(m.getTargetType()) + ", got " + matcher.group(1);
        }
        case MismatchedInputException m when m.getTargetType() != null && m.getOriginalMessage().startsWith("No content") ->
            "the file is empty; expected a mapping with keys: " + String.join(", ", Yaml.keysOf(root));
        default -> prefix(path) + oneLine(jme.getOriginalMessage());
      };
      return placed(file, index, path, jme.getLocation(), text);
    }
    if (e instanceof JacksonException je) {
      // syntax: the parser's own position is the only one there is
      return placed(file, LocationIndex.empty(), "", je.getLocation(), "invalid YAML: " + oneLine(je.getOriginalMessage()));
    }
    return new ConfigException(file + ": cannot read: " + e.getClass().getSimpleName() + " " + e.getMessage());
  }

  private static ConfigException placed(Path file, LocationIndex index, String path, JsonLocation loc, String text) {
    // the key itself is where the operator edits; the parser's position is the value or, for a
    // missing key, the end of the enclosing mapping
    LocationIndex.Position pos = index.exact(path).orElseGet(() -> loc != null && loc.getLineNr() > 0
        ? new LocationIndex.Position(loc.getLineNr(), Math.max(loc.getColumnNr(), 1))
        : index.find(path));
    return new ConfigException(List.of(new ConfigException.Problem(file.toString(), pos.line(), pos.column(), path, text)));
  }

  private static ConfigException located(Path file, LocationIndex index, List<ConfigException.Problem> problems) {
    List<ConfigException.Problem> placed = new ArrayList<>();
    for (ConfigException.Problem p : problems) {
      LocationIndex.Position pos = index.find(p.keyPath());
      placed.add(p.at(file.toString(), pos.line(), pos.column()));
    }
    placed.sort(Comparator.comparingInt(ConfigException.Problem::line).thenComparingInt(ConfigException.Problem::column));
    return new ConfigException(placed);
  }

  private static String keyPath(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String prefix(String path) {
    return path.isEmpty() ? "" : path + ": ";
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s+", " ").strip();
  }
}
