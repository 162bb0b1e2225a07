package io.ssmd.archiver;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * The archive format (DESIGN §4): {@code {root}/{feed}/{YYYY-MM-DD}/{HHMM}.jsonl.gz} in UTC, one
 * line per message: the raw frame with {@code "_received_at":<epoch µs>,"_nats_seq":<seq>}
 * appended before the final {@code }}; a frame that is not a JSON object is wrapped as
 * {@code {"_raw":"…",…}}. {@link #decode} gives back the exact captured bytes.
 */
public final class ArchiveFormat {
  public static final String SUFFIX = ".jsonl.gz";
  public static final String TMP_SUFFIX = ".jsonl.gz.tmp";
  public static final String MANIFEST = "manifest.json";
  private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HHmm").withZone(ZoneOffset.UTC);
  private static final byte[] RECEIVED_KEY = "\"_received_at\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEQ = ",\"_nats_seq\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RAW_OPEN = "{\"_raw\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = new ObjectMapper();

  private ArchiveFormat() {}

  /** {@code {root}/{feed}/{date}}. */
  public static Path dayDir(Path root, String feed, LocalDate date) {
    return root.resolve(feed).resolve(date.toString());
  }

  /** File name of the rotation window starting at {@code start} (UTC): {@code HHMM.jsonl.gz}. */
  public static String fileName(Instant start) {
    return HHMM.format(start) + SUFFIX;
  }

  /** Object key of a file for a bucket: {@code {feed}/{date}/{name}}. */
  public static String key(String feed, LocalDate date, String name) {
    return feed + "/" + date + "/" + name;
  }

  /** One archive line (without the trailing newline). */
  public static byte[] encode(byte[] frame, long receivedAtMicros, long natsSeq) {
    byte[] tail = tail(receivedAtMicros, natsSeq);
    int end = lastNonSpace(frame);
    int start = firstNonSpace(frame);
    if (start >= 0 && frame[start] == '{' && end > start && frame[end] == '}' && !containsNewline(frame)) {
      boolean empty = lastNonSpaceBefore(frame, end) == start; // "{}" or "{   }"
      byte[] out = new byte[end + tail.length + 1 - (empty ? 1 : 0)];
      System.arraycopy(frame, 0, out, 0, end);
      if (empty) {
        System.arraycopy(tail, 1, out, end, tail.length - 1); // no leading comma
      } else {
        System.arraycopy(tail, 0, out, end, tail.length);
      }
      out[out.length - 1] = '}';
      return out;
    }
    // Not a JSON object (or one spanning lines): keep it exactly, as a JSON string.
    byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(new String(frame, StandardCharsets.UTF_8));
    byte[] out = new byte[RAW_OPEN.length + escaped.length + 1 + tail.length + 1];
    int p = 0;
    System.arraycopy(RAW_OPEN, 0, out, p, RAW_OPEN.length);
    p += RAW_OPEN.length;
    System.arraycopy(escaped, 0, out, p, escaped.length);
    p += escaped.length;
    out[p++] = '"';
    System.arraycopy(tail, 0, out, p, tail.length);
    p += tail.length;
    out[p] = '}';
    return out;
  }

  /**
   * Decodes one archive line (without its newline). Throws {@link IllegalArgumentException} naming
   * what is wrong when the line does not end with the appended fields.
   */
  public static ArchiveLine decode(String file, byte[] line) {
    int end = lastNonSpace(line);
    if (end < 0 || line[end] != '}') {
      throw new IllegalArgumentException("archive line does not end with '}'");
    }
    int seqAt = lastIndexOf(line, SEQ, end);
    if (seqAt < 0) {
      throw new IllegalArgumentException("archive line has no _nats_seq");
    }
    long seq = parseLong(line, seqAt + SEQ.length, end);
    // `"_received_at":` preceded by ',' (a non-empty frame object) or by the '{' of an empty one
    int q = lastIndexOf(line, RECEIVED_KEY, seqAt);
    if (q < 0) {
      throw new IllegalArgumentException("archive line has no _received_at");
    }
    long received = parseLong(line, q + RECEIVED_KEY.length, seqAt);
    int before = lastNonSpaceBefore(line, q);
    byte[] frame;
    if (before >= 0 && line[before] == ',' && q == before + 1) {
      if (startsWith(line, firstNonSpace(line), RAW_OPEN)) {
        try {
          frame = JSON.readTree(line).get("_raw").asText().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new IllegalArgumentException("archive line with _raw is not valid JSON: " + e.getMessage());
        }
      } else {
        frame = concat(Arrays.copyOfRange(line, 0, before), new byte[] {'}'});
      }
    } else if (before >= 0 && line[before] == '{' && firstNonSpace(line) == before) {
      frame = concat(Arrays.copyOfRange(line, 0, q), new byte[] {'}'});
    } else {
      throw new IllegalArgumentException("archive line has a misplaced _received_at");
    }
    return new ArchiveLine(file, seq, received, frame);
  }

  private static byte[] tail(long receivedAtMicros, long natsSeq) {
    return (",\"_received_at\":" + receivedAtMicros + ",\"_nats_seq\":" + natsSeq).getBytes(StandardCharsets.US_ASCII);
  }

  private static long parseLong(byte[] b, int from, int to) {
    long v = 0;
    boolean any = false;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("archive line has a bad number in its appended fields");
      }
      v = v * 10 + (c - '0');
      any = true;
    }
    if (!any) {
      throw new IllegalArgumentException("archive line has an empty number in its appended fields");
    }
    return v;
  }

  private static int lastIndexOf(byte[] b, byte[] pat, int before) {
    for (int i = before - pat.length; i >= 0; i--) {
      if (startsWith(b, i, pat)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] b, int at, byte[] pat) {
    if (at < 0 || at + pat.length > b.length) {
      return false;
    }
    for (int j = 0; j < pat.length; j++) {
      if (b[at + j] != pat[j]) {
        return false;
      }
    }
    return true;
  }

  private static int firstNonSpace(byte[] b) {
    for (int i = 0; i < b.length; i++) {
      if (!isSpace(b[i])) {
        return i;
      }
    }
    return -1;
  }

  private static int lastNonSpace(byte[] b) {
    for (int i = b.length - 1; i >= 0; i--) {
      if (!isSpace(b[i])) {
        return i;
      }
    }
    return -1;
  }

  private static int lastNonSpaceBefore(byte[] b, int before) {
    for (int i = before - 1; i >= 0; i--) {
      if (!isSpace(b[i])) {
        return i;
      }
    }
    return -1;
  }

  private static boolean containsNewline(byte[] b) {
    for (byte c : b) {
      if (c == '\n' || c == '\r') {
        return true;
      }
    }
    return false;
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
