package io.ssmd.cli;

/** A wrong combination of arguments detected after parsing; exits with 2. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
