package io.ssmd.agent;

/**
 * A signal declaration's value is wrong: names the key so the loader can point at its line.
 * Thrown by {@link SignalDefinition}'s typed getters and by signals' {@link Signal#init}.
 */
public final class ParamException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public ParamException(String key, String message) {
    super(key + ": " + message);
    this.key = key;
  }

  /** The key the problem is about. */
  public String key() {
    return key;
  }
}
