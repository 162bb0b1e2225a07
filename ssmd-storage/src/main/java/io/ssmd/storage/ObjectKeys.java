package io.ssmd.storage;

/**
 * Rules for object keys, shared by every store so that a key accepted locally is accepted in S3
 * and the other way round: {@code /}-separated, relative, no empty segments, no segment starting
 * with {@code .} (which rules out {@code .} and {@code ..}, and keeps the local store's hidden
 * temp and checksum files out of the key space), no backslashes or control characters.
 */
final class ObjectKeys {
  static final int MAX_LENGTH = 1024;

  private ObjectKeys() {}

  /** Returns the key or throws a non-retriable {@link StorageException} saying what is wrong with it. */
  static String requireValid(String key, String store) {
    String problem = problem(key, false);
    if (problem != null) {
      throw new StorageException("invalid object key " + quote(key) + " for " + store + ": " + problem, false);
    }
    return key;
  }

  /** Like {@link #requireValid} for a listing prefix, which may be empty or end with {@code /}. */
  static String requireValidPrefix(String prefix, String store) {
    String p = prefix == null ? "" : prefix;
    String problem = p.isEmpty() ? null : problem(p, true);
    if (problem != null) {
      throw new StorageException("invalid key prefix " + quote(p) + " for " + store + ": " + problem, false);
    }
    return p;
  }

  private static String problem(String key, boolean prefix) {
    if (key == null || key.isEmpty()) {
      return "a key must not be empty";
    }
    if (key.length() > MAX_LENGTH) {
      return "a key is at most " + MAX_LENGTH + " characters (got " + key.length() + ")";
    }
    if (key.startsWith("/")) {
      return "a key is relative: remove the leading '/'";
    }
    if (key.indexOf('\\') >= 0) {
      return "use '/' as the separator, not '\\'";
    }
    for (int i = 0; i < key.length(); i++) {
      if (Character.isISOControl(key.charAt(i))) {
        return "control character at position " + i;
      }
    }
    String body = prefix && key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    for (String segment : body.split("/", -1)) {
      if (segment.isEmpty()) {
        return "empty path segment ('//' or a trailing '/')";
      }
      if (segment.startsWith(".")) {
        return "a path segment must not start with '.' (no '.', '..' or hidden names)";
      }
    }
    return null;
  }

  private static String quote(String key) {
    return key == null ? "null" : "'" + key + "'";
  }
}
