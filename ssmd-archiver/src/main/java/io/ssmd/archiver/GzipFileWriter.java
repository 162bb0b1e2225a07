package io.ssmd.archiver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip file written in chunks, each ending with a deflate SYNC_FLUSH so that everything written
 * so far decompresses (up to the missing trailer) even if the process dies right after. Written
 * on a {@link FileChannel} directly, so the offset after each chunk is exact: {@link #abandon}
 * cuts the file back to the end of the last complete chunk after a failed write, and the whole
 * lines before it stay readable.
 *
 * <p>Not thread-safe.
 */
final class GzipFileWriter implements AutoCloseable {
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private final Path path;
  private final FileChannel channel;
  private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
  private final CRC32 crc = new CRC32();
  private final ByteBuffer out = ByteBuffer.allocate(1 << 16);
  private long size;
  private long goodOffset;
  private boolean closed;

  private GzipFileWriter(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /** Creates {@code path} (it must not exist) and writes the gzip header. */
  static GzipFileWriter create(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    GzipFileWriter w = new GzipFileWriter(path, ch);
    try {
      w.writeFully(ByteBuffer.wrap(HEADER));
      w.goodOffset = HEADER.length;
    } catch (IOException e) {
      w.abandon();
      throw e;
    }
    return w;
  }

  Path path() {
    return path;
  }

  /** Bytes of the file up to the end of the last complete chunk. */
  long goodOffset() {
    return goodOffset;
  }

  /**
   * Compresses {@code data[0..len)} and sync-flushes it to the file. After an {@link IOException}
   * the writer is unusable; call {@link #abandon}.
   */
  void writeChunk(byte[] data, int len) throws IOException {
    deflater.setInput(data, 0, len);
    while (!deflater.needsInput()) {
      drain(Deflater.NO_FLUSH);
    }
    // SYNC_FLUSH until the deflater has nothing left: the output then ends on a byte boundary
    int n;
    do {
      n = drain(Deflater.SYNC_FLUSH);
    } while (n == out.capacity());
    crc.update(data, 0, len);
    size += len;
    goodOffset = channel.position();
  }

  /** Forces the written bytes to disk. */
  void force() throws IOException {
    channel.force(false);
  }

  /** Writes the final block and the gzip trailer, forces and closes; the file is a complete gzip. */
  void finish() throws IOException {
    deflater.finish();
    while (!deflater.finished()) {
      drain(Deflater.NO_FLUSH);
    }
    ByteBuffer trailer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    trailer.putInt((int) crc.getValue()).putInt((int) size).flip();
    writeFully(trailer);
    channel.force(false);
    close();
  }

  /**
   * After a failed write: cuts the file back to the last complete chunk (best effort; a cut that
   * fails leaves a torn chunk, which repair drops) and closes it. The file is left without a
   * trailer for {@link Repair} to complete.
   */
  void abandon() {
    try {
      if (channel.isOpen() && channel.size() > goodOffset) {
        channel.truncate(goodOffset);
      }
    } catch (IOException e) {
      // repair reads up to the damage, so a failed cut loses nothing that was whole
    }
    close();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    deflater.end();
    try {
      channel.close();
    } catch (IOException e) {
      // closing a channel we no longer write to; nothing depends on it
    }
  }

  private int drain(int flush) throws IOException {
    out.clear();
    int n = deflater.deflate(out.array(), 0, out.capacity(), flush);
    out.limit(n);
    writeFully(out);
    return n;
  }

  private void writeFully(ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
  }
}
