package io.ssmd.worker.workflows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every workflow type the worker runs: its name, interface, input record and result type. Schedules
 * and clients validate an input against {@link #parseInput} before they start anything, so an
 * unknown or misspelled field is an error naming the field rather than a value silently dropped.
 */
public final class WorkflowCatalog {
  /**
   * One workflow type.
   *
   * @param type workflow type name (e.g. {@code SecmasterSync})
   * @param workflowInterface the {@code @WorkflowInterface}
   * @param inputType its single argument, a record whose components are the JSON field names
   * @param resultType what it returns
   */
  public record Entry(String type, Class<?> workflowInterface, Class<? extends Record> inputType, Class<?> resultType) {
    /** JSON property names of the input, in declaration order. */
    public List<String> inputFields() {
      return Arrays.stream(inputType.getRecordComponents()).map(RecordComponent::getName).toList();
    }
  }

  private static final Map<String, Entry> ENTRIES = entries(
      new Entry(SecmasterSyncWorkflow.TYPE, SecmasterSyncWorkflow.class, SecmasterSyncInput.class, SyncResult.class),
      new Entry(ExchangeSyncWorkflow.TYPE, ExchangeSyncWorkflow.class, ExchangeSyncInput.class, SyncResult.class),
      new Entry(FeesSyncWorkflow.TYPE, FeesSyncWorkflow.class, FeesSyncInput.class, SyncResult.class),
      new Entry(DayStartWorkflow.TYPE, DayStartWorkflow.class, DayInput.class, DayResult.class),
      new Entry(DayEndWorkflow.TYPE, DayEndWorkflow.class, DayInput.class, DayResult.class),
      new Entry(DataQualityWorkflow.TYPE, DataQualityWorkflow.class, DayInput.class, QualityReport.class),
      new Entry(NotifyWorkflow.TYPE, NotifyWorkflow.class, NotifyInput.class, NotifyResult.class));

  // unknown fields fail here on purpose; the worker's own data converter stays lenient so an
  // already-scheduled input does not wedge a workflow task after a field is removed
  private static final ObjectMapper STRICT = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private WorkflowCatalog() {}

  private static Map<String, Entry> entries(Entry... es) {
    Map<String, Entry> m = new LinkedHashMap<>();
    for (Entry e : es) {
      m.put(e.type(), e);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** All workflow types, in a stable order. */
  public static List<Entry> all() {
    return List.copyOf(ENTRIES.values());
  }

  /** The entry of a type name, if the worker runs it. */
  public static Optional<Entry> find(String type) {
    return Optional.ofNullable(type == null ? null : ENTRIES.get(type));
  }

  /** The entry of a type name; {@link IllegalArgumentException} listing the known types otherwise. */
  public static Entry require(String type) {
    return find(type).orElseThrow(() -> new IllegalArgumentException(
        "unknown workflow '" + type + "': known workflows are " + String.join(", ", ENTRIES.keySet())));
  }

  /**
   * Reads and validates an input for a workflow type. Throws {@link IllegalArgumentException} with
   * one line naming the workflow and the offending field: unknown field (with the known ones),
   * wrong type, or a value the input record rejects.
   */
  public static Record parseInput(String type, JsonNode input) {
    Entry e = require(type);
    JsonNode node = input == null || input.isNull() || input.isMissingNode() ? STRICT.createObjectNode() : input;
    if (!node.isObject()) {
      throw new IllegalArgumentException(type + " input must be an object with fields " + e.inputFields() + ", got " + node.getNodeType());
    }
    try {
      return STRICT.treeToValue(node, e.inputType());
    } catch (UnrecognizedPropertyException x) {
      throw new IllegalArgumentException(type + " input has unknown field '" + x.getPropertyName() + "': known fields are "
          + String.join(", ", e.inputFields()), x);
    } catch (ValueInstantiationException x) {
      Throwable cause = x.getCause() == null ? x : x.getCause();
      throw new IllegalArgumentException(type + " input is invalid: " + cause.getMessage(), x);
    } catch (InvalidFormatException x) {
      throw new IllegalArgumentException(type + " input field '" + path(x) + "' has the wrong type: expected "
          + x.getTargetType().getSimpleName() + ", got " + x.getValue(), x);
    } catch (MismatchedInputException x) {
      throw new IllegalArgumentException(type + " input field '" + path(x) + "' has the wrong type: expected "
          + (x.getTargetType() == null ? "another type" : x.getTargetType().getSimpleName()), x);
    } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
      throw new IllegalArgumentException(type + " input is not valid: " + x.getOriginalMessage(), x);
    }
  }

  /** Reads and validates an input for a workflow type given as JSON text. */
  public static Record parseInput(String type, String json) {
    try {
      return parseInput(type, json == null || json.isBlank() ? null : STRICT.readTree(json));
    } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
      throw new IllegalArgumentException(type + " input is not valid JSON: " + x.getOriginalMessage(), x);
    }
  }

  private static String path(MismatchedInputException x) {
    return x.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }
}
