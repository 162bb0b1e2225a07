package io.ssmd.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A secret value. {@link #toString()} (and JSON serialisation) give {@code ****} so a secret that
 * reaches a log line, an exception message or a rendered config shows nothing; only {@link
 * #reveal()} returns the value, to be handed straight to the code that signs or authenticates.
 * Equality is identity, so a comparison cannot be used to probe the value.
 */
public final class Secret {
  /** What every secret prints as. */
  public static final String REDACTED = "****";

  private final String value;

  /** Wraps a value read from its reference. */
  public Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** The secret value; never log it. */
  public String reveal() {
    return value;
  }

  @JsonValue
  @Override
  public String toString() {
    return REDACTED;
  }
}
