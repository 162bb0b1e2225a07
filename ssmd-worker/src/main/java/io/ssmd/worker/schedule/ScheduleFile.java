package io.ssmd.worker.schedule;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.ssmd.config.ConfigException;
import io.ssmd.config.ConfigLoader;
import io.ssmd.config.EnvironmentConfig;
import io.ssmd.config.ScheduleConfig;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a schedule file strictly: a YAML list of {@code {id, workflow, every | cron | at, timezone,
 * input, paused}}. Every problem of the file is collected and thrown as one {@link ConfigException}
 * whose lines read {@code file:line:col: [i].key.path: what is wrong}, like the environment loader.
 *
 * <p>{@code input} is bound to the workflow's input record here, at load time, with unknown fields
 * and wrong types rejected: Temporal's own converter ignores unknown fields, so a misspelt or
 * removed field (the seed's {@code minCloseDaysAgo}) would otherwise be dropped silently at run time.
 *
 * <p>{@code at: day_start | day_end} takes the local time and zone from the {@code schedule} block of
 * the environment named by {@code input.env}, read from {@code environments/<env>.yaml} beside the
 * schedule file's directory ({@code exchanges/schedules} → {@code exchanges/environments}).
 */
public final class ScheduleFile {
  /** Keys of one schedule, in documentation order. */
  public static final List<String> KEYS = List.of("id", "workflow", "every", "cron", "at", "timezone", "input", "paused");

  /** Values of {@code at}. */
  public static final List<String> AT = List.of("day_start", "day_end");

  private static final ObjectMapper YAML = YAMLMapper.builder(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      // 10.50 stays 10.50: inputs are compared as text for drift
      .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .build();

  /** Binds an input to its record as strictly as the files are read: no unknown fields, no coercion. */
  private static final ObjectMapper INPUT = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .build();

  private ScheduleFile() {}

  /** The environments directory used for {@code at}: {@code <file>/../../environments}. */
  public static Path defaultEnvironmentsDir(Path file) {
    Path dir = file.toAbsolutePath().normalize().getParent();
    Path exchanges = dir.getParent() != null ? dir.getParent() : dir;
    return exchanges.resolve("environments");
  }

  /** Reads {@code file}, resolving environments beside it. */
  public static List<ScheduleDefinition> load(Path file, InputTypes types) {
    return load(file, types, defaultEnvironmentsDir(file));
  }

  /**
   * Reads {@code file}.
   *
   * @throws ConfigException listing every problem, each with file, line and key path
   */
  public static List<ScheduleDefinition> load(Path file, InputTypes types, Path environmentsDir) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": file not found");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getClass().getSimpleName() + " " + e.getMessage());
    }
    return parse(bytes, file, types, environmentsDir);
  }

  static List<ScheduleDefinition> parse(byte[] bytes, Path file, InputTypes types, Path environmentsDir) {
    YamlPositions positions;
    JsonNode root;
    try {
      positions = YamlPositions.of(YAML, bytes);
      root = YAML.readTree(bytes);
    } catch (JacksonException e) {
      JsonLocation loc = e.getLocation();
      String where = loc != null && loc.getLineNr() > 0 ? ":" + loc.getLineNr() + ":" + Math.max(loc.getColumnNr(), 1) : "";
      throw new ConfigException(file + where + ": invalid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " ").strip());
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
    Reader reader = new Reader(file, positions, types, environmentsDir);
    List<ScheduleDefinition> out = reader.read(root);
    reader.throwIfAny();
    return out;
  }

  /** One pass over a file, collecting problems. */
  private static final class Reader {
    private final Path file;
    private final YamlPositions positions;
    private final InputTypes types;
    private final Path environmentsDir;
    private final List<ConfigException.Problem> problems = new ArrayList<>();
    private final Map<String, ScheduleConfig> environments = new HashMap<>();

    Reader(Path file, YamlPositions positions, InputTypes types, Path environmentsDir) {
      this.file = file;
      this.positions = positions;
      this.types = types;
      this.environmentsDir = environmentsDir;
    }

    List<ScheduleDefinition> read(JsonNode root) {
      if (root == null || root.isMissingNode() || root.isNull()) {
        problem("", "the file is empty; expected a list of schedules, each with keys: " + String.join(", ", KEYS));
        return List.of();
      }
      if (!(root instanceof ArrayNode list)) {
        problem("", "expected a list of schedules (\"- id: ...\"), got " + describe(root));
        return List.of();
      }
      List<ScheduleDefinition> out = new ArrayList<>();
      Map<String, Integer> seen = new HashMap<>();
      for (int i = 0; i < list.size(); i++) {
        String at = "[" + i + "]";
        if (!(list.get(i) instanceof ObjectNode node)) {
          problem(at, "expected a mapping with keys " + String.join(", ", KEYS) + ", got " + describe(list.get(i)));
          continue;
        }
        ScheduleDefinition def = schedule(at, node);
        if (def != null) {
          Integer first = seen.putIfAbsent(def.id(), i);
          if (first != null) {
            problem(at + ".id", "duplicate id \"" + def.id() + "\" (also [" + first + "]); ids must be unique in a file");
          } else {
            out.add(def);
          }
        }
      }
      return out;
    }

    private ScheduleDefinition schedule(String at, ObjectNode node) {
      int before = problems.size();
      for (String key : iterable(node.fieldNames())) {
        if (!KEYS.contains(key)) {
          problem(at + "." + key, "unknown key '" + key + "' (expected one of: " + String.join(", ", KEYS) + ")");
        }
      }
      String id = text(node, at, "id", true);
      if (id != null && !ScheduleDefinition.ID.matcher(id).matches()) {
        problem(at + ".id", "\"" + id + "\" is not a schedule id: use letters, digits, '.', '_' or '-' (at most 200)");
      }
      String workflow = text(node, at, "workflow", true);
      Class<? extends Record> inputType = null;
      if (workflow != null) {
        inputType = types.inputOf(workflow).orElse(null);
        if (inputType == null) {
          problem(at + ".workflow", "unknown workflow \"" + workflow + "\" (expected one of: " + String.join(", ", types.workflowTypes()) + ")");
        }
      }
      boolean paused = false;
      JsonNode p = node.get("paused");
      if (p != null && !p.isNull()) {
        if (p.isBoolean()) {
          paused = p.booleanValue();
        } else {
          problem(at + ".paused", "expected true or false, got " + describe(p));
        }
      }
      ObjectNode input = JsonNodeFactory.instance.objectNode();
      JsonNode in = node.get("input");
      if (in != null && !in.isNull()) {
        if (in instanceof ObjectNode o) {
          input = o;
        } else {
          problem(at + ".input", "expected a mapping of the workflow's input fields, got " + describe(in));
        }
      }
      if (inputType != null) {
        checkInput(at + ".input", workflow, inputType, input);
      }
      ScheduleSpec spec = spec(at, node, input);
      if (problems.size() > before) {
        return null;
      }
      return new ScheduleDefinition(id, workflow, spec, input, paused);
    }

    private ScheduleSpec spec(String at, ObjectNode node, ObjectNode input) {
      List<String> given = new ArrayList<>();
      for (String k : List.of("every", "cron", "at")) {
        if (node.hasNonNull(k)) {
          given.add(k);
        }
      }
      if (given.size() != 1) {
        problem(given.isEmpty() ? at : at + "." + given.get(1), given.isEmpty()
            ? "missing when it fires: give one of every (\"6h/15m\"), cron (\"M H DoM Mon DoW\") or at (day_start, day_end)"
            : "give only one of every, cron, at (found " + String.join(" and ", given) + ")");
        return null;
      }
      String kind = given.get(0);
      String value = text(node, at, kind, true);
      String tz = text(node, at, "timezone", false);
      if (value == null) {
        return null;
      }
      try {
        return switch (kind) {
          case "every" -> {
            if (tz != null) {
              problem(at + ".timezone", "not used with every (intervals are aligned in UTC); remove it or use cron");
            }
            yield ScheduleSpec.parseEvery(value);
          }
          case "cron" -> new ScheduleSpec.Cron(CronExpression.parse(value), tz == null ? ZoneId.of("UTC") : zone(at, tz));
          default -> atSpec(at, value, tz, input);
        };
      } catch (IllegalArgumentException | DateTimeException e) {
        problem(at + "." + kind, kind + ": " + e.getMessage());
        return null;
      }
    }

    private ZoneId zone(String at, String tz) {
      try {
        return ZoneId.of(tz);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException("timezone \"" + tz + "\" is not a time zone id such as UTC or America/New_York");
      }
    }

    private ScheduleSpec atSpec(String at, String value, String tz, ObjectNode input) {
      if (!AT.contains(value)) {
        problem(at + ".at", "expected one of: " + String.join(", ", AT) + ", got \"" + value + "\"");
        return null;
      }
      if (tz != null) {
        problem(at + ".timezone", "not used with at: the environment's schedule.timezone applies; remove it");
      }
      JsonNode env = input.get("env");
      if (env == null || !env.isTextual() || env.textValue().isBlank()) {
        problem(at + ".input.env", "at: " + value + " needs input.env naming the environment whose schedule block gives the time");
        return null;
      }
      ScheduleConfig schedule = environment(at + ".input.env", env.textValue().strip());
      if (schedule == null) {
        return null;
      }
      LocalTime time = value.equals("day_start") ? schedule.dayStart() : schedule.dayEnd();
      return new ScheduleSpec.Daily(time, schedule.timezone(), value);
    }

    private ScheduleConfig environment(String keyPath, String env) {
      if (environments.containsKey(env)) {
        return environments.get(env);
      }
      Path envFile = environmentsDir.resolve(env + ".yaml");
      ScheduleConfig schedule = null;
      if (!Files.isRegularFile(envFile)) {
        problem(keyPath, "no environment \"" + env + "\": " + envFile + " does not exist");
      } else {
        try {
          EnvironmentConfig config = ConfigLoader.parseEnvironment(envFile);
          schedule = config.schedule();
        } catch (ConfigException e) {
          problem(keyPath, "environment \"" + env + "\" is invalid: " + e.getMessage().lines().findFirst().orElse(""));
        }
      }
      environments.put(env, schedule);
      return schedule;
    }

    private void checkInput(String at, String workflow, Class<? extends Record> type, ObjectNode input) {
      List<String> fields = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
      boolean unknown = false;
      for (String key : iterable(input.fieldNames())) {
        if (!fields.contains(key)) {
          unknown = true;
          problem(at + "." + key, "unknown field '" + key + "' of " + workflow + "'s input " + type.getSimpleName()
              + " (expected one of: " + String.join(", ", fields) + ")");
        }
      }
      if (unknown) {
        return;
      }
      try {
        INPUT.treeToValue(input, type);
      } catch (UnrecognizedPropertyException e) {
        problem(at + "." + e.getPropertyName(), "unknown field '" + e.getPropertyName() + "' of " + type.getSimpleName());
      } catch (ValueInstantiationException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        problem(at, cause.getMessage());
      } catch (MismatchedInputException e) {
        String path = fieldPath(e);
        problem(path.isEmpty() ? at : at + "." + path, "expected " + expected(e.getTargetType()) + ", got " + describe(valueAt(input, e)));
      } catch (JsonMappingException e) {
        String path = fieldPath(e);
        problem(path.isEmpty() ? at : at + "." + path, e.getOriginalMessage().replaceAll("\\s+", " ").strip());
      } catch (IOException | IllegalArgumentException e) {
        problem(at, e.getMessage());
      }
    }

    private String text(ObjectNode node, String at, String key, boolean required) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        if (required) {
          problem(at.isEmpty() ? key : at, "missing required key '" + key + "'");
        }
        return null;
      }
      if (!v.isTextual() || v.textValue().isBlank()) {
        problem(at + "." + key, "expected a string, got " + describe(v));
        return null;
      }
      return v.textValue().strip();
    }

    private void problem(String keyPath, String text) {
      YamlPositions.Position pos = positions.find(keyPath);
      problems.add(new ConfigException.Problem(file.toString(), pos.line(), pos.column(), keyPath,
          keyPath.isEmpty() ? text : keyPath + ": " + text));
    }

    void throwIfAny() {
      if (!problems.isEmpty()) {
        List<ConfigException.Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(ConfigException.Problem::line).thenComparingInt(ConfigException.Problem::column));
        throw new ConfigException(sorted);
      }
    }
  }

  private static String fieldPath(JsonMappingException e) {
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

  private static JsonNode valueAt(ObjectNode input, JsonMappingException e) {
    JsonNode node = input;
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (node == null) {
        return null;
      }
      node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
    }
    return node;
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "a value of another type";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == java.math.BigDecimal.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a " + type.getSimpleName();
  }

  private static String describe(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "nothing";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isTextual()) {
      return "\"" + v.textValue() + "\"";
    }
    return v.toString();
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
    Set<T> out = new LinkedHashSet<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
