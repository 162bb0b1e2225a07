package io.ssmd.storage;

/** A storage operation failed; the message names the store and key, never credentials. */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean retriable;

  public StorageException(String message, boolean retriable, Throwable cause) {
    super(message, cause);
    this.retriable = retriable;
  }

  public StorageException(String message, boolean retriable) {
    this(message, retriable, null);
  }

  /** True for network errors, 5xx, 429 and a full disk that may clear; false for auth, missing bucket, bad config. */
  public boolean retriable() {
    return retriable;
  }
}
