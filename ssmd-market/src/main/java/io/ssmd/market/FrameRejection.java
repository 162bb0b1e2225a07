package io.ssmd.market;

/**
 * Thrown inside a venue's {@link Normalizer} where a frame cannot be normalized, and turned into
 * {@link Normalized.Rejected} at its boundary: {@code reason} is the bounded counter label
 * ({@code malformed}, {@code unknown_type}, …), the message says what was wrong with this frame.
 */
public final class FrameRejection extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public FrameRejection(String reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }

  /** The rejection outcome, its detail prefixed with where it happened (e.g. the channel). */
  public Normalized.Rejected rejected(String where) {
    return new Normalized.Rejected(reason, where + ": " + getMessage());
  }
}
