package io.ssmd.archiver;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the whole lines of a gzip file that may be torn (no trailer, a cut deflate block) or
 * damaged: every line that ends with a newline before the damage is returned, nothing after it.
 * This is what makes a killed archiver's {@code .tmp} recoverable without losing a whole line.
 */
final class GzipLines implements AutoCloseable {
  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream(1024);
  private int pos;
  private int len;
  private boolean eof;
  private String damage;

  private GzipLines(InputStream in) {
    this.in = in;
  }

  /** Opens {@code file}; a file too short for a gzip header reads as empty and damaged. */
  static GzipLines open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      return new GzipLines(new GZIPInputStream(raw, 1 << 16));
    } catch (EOFException | ZipException e) {
      raw.close();
      GzipLines empty = new GzipLines(InputStream.nullInputStream());
      empty.eof = true;
      empty.damage = "no gzip header: " + e.getMessage();
      return empty;
    }
  }

  /** The next whole line without its newline, or null at the end or at the damage. */
  byte[] next() throws IOException {
    while (true) {
      for (int i = pos; i < len; i++) {
        if (buf[i] == '\n') {
          byte[] line;
          if (partial.size() == 0) {
            line = Arrays.copyOfRange(buf, pos, i);
          } else {
            partial.write(buf, pos, i - pos);
            line = partial.toByteArray();
            partial.reset();
          }
          pos = i + 1;
          return line;
        }
      }
      partial.write(buf, pos, len - pos);
      pos = len;
      if (eof) {
        if (partial.size() > 0 && damage == null) {
          damage = "last line has no newline (" + partial.size() + " bytes)";
        }
        return null;
      }
      try {
        int n = in.read(buf);
        if (n < 0) {
          eof = true;
          len = 0;
        } else {
          len = n;
        }
      } catch (EOFException | ZipException e) {
        // torn or corrupt: keep what decompressed before, stop here
        eof = true;
        len = 0;
        damage = "truncated or corrupt: " + e.getMessage();
      }
      pos = 0;
    }
  }

  /** Why reading stopped early, or null when the file was complete. */
  String damage() {
    return damage;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
