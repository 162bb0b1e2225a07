package io.ssmd.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.Serial;
import java.net.URI;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The strict YAML mapper and the wording of type errors. Every type error names what was expected
 * and what the file holds, so the loader only has to add the location and key path.
 */
final class Yaml {
  static final PropertyNamingStrategies.NamingBase NAMING =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  private static final Pattern HH_MM = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");

  static final YAMLMapper MAPPER = YAMLMapper.builder(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      // "3" is not an integer and "true" is not a boolean: quoted scalars keep their type
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .addModule(new SimpleModule("ssmd-config")
          .addDeserializer(Duration.class, scalar(Duration.class, Durations.EXPECTED, Durations::parse))
          .addDeserializer(LocalTime.class, scalar(LocalTime.class, "a time HH:MM", Yaml::hhmm))
          .addDeserializer(LocalDate.class, scalar(LocalDate.class, "a date YYYY-MM-DD", LocalDate::parse))
          .addDeserializer(ZoneId.class, scalar(ZoneId.class, "a time zone id such as UTC or America/New_York", ZoneId::of)))
      .addHandler(new Handler())
      .build();

  private Yaml() {}

  /** A type error whose message is already {@code expected X, got Y}. */
  static final class Expected extends MismatchedInputException {
    @Serial private static final long serialVersionUID = 1L;

    Expected(JsonParser p, String message, Class<?> targetType) {
      super(p, message, targetType);
    }
  }

  static Expected expected(JsonParser p, Class<?> target, String what) {
    return new Expected(p, "expected " + what + ", got " + found(p), target);
  }

  /** What the parser is looking at, as an operator would describe it. */
  static String found(JsonParser p) {
    JsonToken t = p.currentToken();
    if (t == null) {
      return "nothing";
    }
    try {
      return switch (t) {
        case START_OBJECT -> "a mapping";
        case START_ARRAY -> "a list";
        case VALUE_STRING -> quote(p.getText());
        case VALUE_NULL -> "nothing";
        default -> p.getText();
      };
    } catch (IOException e) {
      return t.asString();
    }
  }

  static String quote(Object value) {
    return value instanceof String s ? '"' + s + '"' : String.valueOf(value);
  }

  /** The expected type, as an operator would describe it. */
  static String describe(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class
        || type == Short.class || type == short.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == URI.class) {
      return "a URI";
    }
    if (type == Path.class) {
      return "a path";
    }
    if (type == Duration.class) {
      return Durations.EXPECTED;
    }
    if (type.isEnum()) {
      return "one of " + Arrays.stream(type.getEnumConstants())
          .map(c -> ((Enum<?>) c).name().toLowerCase(java.util.Locale.ROOT))
          .collect(Collectors.joining(", "));
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (type.isRecord() || Map.class.isAssignableFrom(type)) {
      return "a mapping";
    }
    return "a " + type.getSimpleName();
  }

  /** YAML names of a record's keys, in declaration order. */
  static java.util.List<String> keysOf(Class<?> type) {
    if (type == null || !type.isRecord()) {
      return java.util.List.of();
    }
    return Arrays.stream(type.getRecordComponents()).map(c -> NAMING.translate(c.getName())).toList();
  }

  private static LocalTime hhmm(String text) {
    if (!HH_MM.matcher(text).matches()) {
      throw new IllegalArgumentException(text);
    }
    return LocalTime.parse(text);
  }

  private static <T> StdScalarDeserializer<T> scalar(Class<T> type, String what, Function<String, T> parse) {
    return new StdScalarDeserializer<>(type) {
      @Serial private static final long serialVersionUID = 1L;

      @Override
      public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
          try {
            return parse.apply(p.getText().strip());
          } catch (IllegalArgumentException | DateTimeException e) {
            throw expected(p, type, what);
          }
        }
        throw expected(p, type, what);
      }
    };
  }

  /** Turns Jackson's wording of type errors into {@code expected X, got Y}. */
  private static final class Handler extends DeserializationProblemHandler {
    @Override
    public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t,
        JsonParser p, String failureMsg) throws IOException {
      throw expected(p, targetType.getRawClass(), describe(targetType.getRawClass()));
    }

    @Override
    public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
        ValueInstantiator valueInsta, JsonParser p, String msg) throws IOException {
      throw expected(p, instClass, describe(instClass));
    }

    @Override
    public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String valueToConvert,
        String failureMsg) throws IOException {
      throw new Expected(ctxt.getParser(), "expected " + describe(targetType) + ", got " + quote(valueToConvert), targetType);
    }

    @Override
    public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number valueToConvert,
        String failureMsg) throws IOException {
      throw new Expected(ctxt.getParser(), "expected " + describe(targetType) + ", got " + valueToConvert, targetType);
    }
  }
}
