package io.ssmd.worker.workflows;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Checks shared by the input records' compact constructors; each message names the field. */
final class Inputs {
  private Inputs() {}

  static String requireText(String type, String field, String value, String hint) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(type + "." + field + " is required: " + hint);
    }
    return value.strip();
  }

  static String optionalDate(String type, String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(value.strip()).toString();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(type + "." + field + " must be a date YYYY-MM-DD (or null for today), got '" + value + "'");
    }
  }

  static List<String> textList(String type, String field, List<String> values) {
    if (values == null) {
      return List.of();
    }
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      if (v == null || v.isBlank()) {
        throw new IllegalArgumentException(type + "." + field + "[" + i + "] is blank: list non-empty values only");
      }
    }
    return values.stream().map(String::strip).toList();
  }
}
