package io.ssmd.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One bucket of objects: a local directory ({@code LocalObjectStore}) or an S3-compatible bucket
 * ({@code S3ObjectStore}: AWS, Garage, MinIO). Keys use {@code /} separators, e.g.
 * {@code kalshi/2026-11-22/1415.jsonl.gz}. Thread-safe.
 */
public interface ObjectStore extends AutoCloseable {

  /** What an object is: key, size in bytes, SHA-256 hex of its content (null when the store cannot tell). */
  record StoredObject(String key, long size, String sha256) {}

  /** Where this store is, for logs and errors (never credentials): {@code local:/data/raw}, {@code s3://ssmd-raw (http://garage:3900)}. */
  String describe();

  /**
   * Stores the file under {@code key}, replacing any object there, then verifies that the stored
   * object has the file's size and SHA-256 (a failed verification is a {@link StorageException}).
   * Idempotent. Throws {@link StorageException} with a message saying what failed and whether a
   * retry may help ({@link StorageException#retriable()}).
   */
  StoredObject put(String key, Path file);

  /** The object under {@code key}, if any. */
  Optional<StoredObject> head(String key);

  /** Objects whose key starts with {@code prefix}, sorted by key. */
  List<StoredObject> list(String prefix);

  /** Reads the object; the caller closes the stream. Missing key: {@link StorageException}. */
  InputStream get(String key);

  @Override
  void close();
}
