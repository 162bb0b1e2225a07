package io.ssmd.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Size, SHA-256 and MD5 of some content, computed in one pass. SHA-256 is what the archive
 * manifests and the {@code sha256} object metadata carry; MD5 is only kept because a single-part
 * S3 upload's ETag is the MD5 of what the server stored, which lets verification catch a server
 * that kept different bytes than were sent.
 */
record FileDigest(long size, String sha256, String md5) {

  private static final int BUFFER = 256 * 1024;

  /** Reads the whole file. */
  static FileDigest of(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Hasher h = new Hasher();
      ByteBuffer buf = ByteBuffer.allocate(BUFFER);
      while (ch.read(buf) >= 0) {
        buf.flip();
        h.update(buf.array(), 0, buf.limit());
        buf.clear();
      }
      return h.finish();
    }
  }

  /** Reads the stream to its end (the caller closes it). */
  static FileDigest of(InputStream in) throws IOException {
    Hasher h = new Hasher();
    byte[] buf = new byte[BUFFER];
    int n;
    while ((n = in.read(buf)) >= 0) {
      h.update(buf, 0, n);
    }
    return h.finish();
  }

  /** Incremental hashing, for copies that hash while they write. */
  static final class Hasher {
    private final MessageDigest sha256 = newDigest("SHA-256");
    private final MessageDigest md5 = newDigest("MD5");
    private long size;

    void update(byte[] bytes, int offset, int length) {
      sha256.update(bytes, offset, length);
      md5.update(bytes, offset, length);
      size += length;
    }

    FileDigest finish() {
      HexFormat hex = HexFormat.of();
      return new FileDigest(size, hex.formatHex(sha256.digest()), hex.formatHex(md5.digest()));
    }
  }

  private static MessageDigest newDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      // every Java SE runtime is required to provide SHA-256 and MD5
      throw new IllegalStateException(algorithm + " is not available in this JVM", e);
    }
  }
}
