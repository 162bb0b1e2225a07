package io.ssmd.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem of one configuration document before failing, so an operator fixes a
 * file in one pass instead of one error per run. Key paths are built relative to a prefix so a
 * block can validate itself without knowing where it sits.
 */
final class Problems {
  private final List<ConfigException.Problem> sink;
  private final String prefix;

  Problems() {
    this(new ArrayList<>(), "");
  }

  private Problems(List<ConfigException.Problem> sink, String prefix) {
    this.sink = sink;
    this.prefix = prefix;
  }

  /** A view whose key paths are below {@code key}. */
  Problems at(String key) {
    return new Problems(sink, path(key));
  }

  /** A view for element {@code index} of the list at this prefix. */
  Problems index(int index) {
    return new Problems(sink, prefix + "[" + index + "]");
  }

  String path(String key) {
    if (key.isEmpty()) {
      return prefix;
    }
    return prefix.isEmpty() ? key : prefix + "." + key;
  }

  String prefix() {
    return prefix;
  }

  void invalid(String key, String message) {
    sink.add(ConfigException.Problem.invalid(path(key), message));
  }

  void missing(String key, String why) {
    sink.add(ConfigException.Problem.missing(path(key), why));
  }

  /** Reports a missing required key; true when it is present. */
  boolean require(String key, Object value) {
    if (value == null) {
      missing(key, null);
      return false;
    }
    return true;
  }

  /** "A value that is read but never used is a bug" (DESIGN §2): reject keys the chosen type ignores. */
  void unused(String key, Object value, String onlyWhen) {
    if (value != null) {
      invalid(key, "not used here (only used when " + onlyWhen + "); remove it");
    }
  }

  boolean isEmpty() {
    return sink.isEmpty();
  }

  void throwIfAny() {
    if (!sink.isEmpty()) {
      throw new ConfigException(sink);
    }
  }
}
