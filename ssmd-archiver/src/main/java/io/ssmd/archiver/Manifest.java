package io.ssmd.archiver;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code manifest.json} of one feed and UTC day (DESIGN §4): every finished file with its
 * time range, record count, size, SHA-256, stream sequence range and counts by message type, the
 * stream-sequence gaps seen that day, and the tickers and message types present.
 *
 * <p>A manifest only grows: {@link #merge} keeps every file and gap of both sides (a file of the
 * same name is taken from the newer side), so an archiver restarted mid-day never drops the
 * entries of earlier runs. It is written by {@link #writeAtomically} (temporary file, fsync,
 * rename, directory fsync), so a reader sees the old or the new manifest, never a torn one.
 *
 * @param feed feed name
 * @param date UTC day, {@code YYYY-MM-DD}
 * @param format always {@code jsonl.gz}
 * @param rotationInterval rotation of the files, e.g. {@code 15m}
 * @param files finished files, sorted by name (which is capture order)
 * @param gaps stream-sequence gaps detected that day, by {@code after_seq}
 * @param tickers tickers (last subject token) present, sorted
 * @param messageTypes message types (fourth subject token) present, sorted
 * @param hasGaps true when {@code gaps} is not empty
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(
    String feed,
    String date,
    String format,
    @JsonProperty("rotation_interval") String rotationInterval,
    List<FileEntry> files,
    List<Gap> gaps,
    List<String> tickers,
    @JsonProperty("message_types") List<String> messageTypes,
    @JsonProperty("has_gaps") boolean hasGaps) {

  /** The value of {@code format}. */
  public static final String FORMAT = "jsonl.gz";
  /** Type counted for lines whose subject is not known (a file recovered without its subject index). */
  public static final String UNKNOWN_TYPE = "unknown";

  private static final Logger LOG = LoggerFactory.getLogger(Manifest.class);
  private static final DateTimeFormatter CORRUPT_TS =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One finished archive file.
   *
   * @param name file name, e.g. {@code 1415.jsonl.gz}
   * @param start when the file was opened (its window start, or later when the archiver started
   *     within the window), ISO-8601 UTC
   * @param end when it was closed (its window end, or earlier at shutdown), ISO-8601 UTC
   * @param records lines in the file
   * @param bytes file size
   * @param sha256 SHA-256 of the file, lower-case hex
   * @param natsStartSeq stream sequence of the first line
   * @param natsEndSeq stream sequence of the last line
   * @param recordsByType lines per message type ({@code unknown} when the subject was lost in a crash)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record FileEntry(
      String name,
      String start,
      String end,
      long records,
      long bytes,
      String sha256,
      @JsonProperty("nats_start_seq") long natsStartSeq,
      @JsonProperty("nats_end_seq") long natsEndSeq,
      @JsonProperty("records_by_type") SortedMap<String, Long> recordsByType) {
    public FileEntry {
      Objects.requireNonNull(name, "name");
      recordsByType = recordsByType == null ? new TreeMap<>() : new TreeMap<>(recordsByType);
    }
  }

  /**
   * A jump in the stream sequence: {@code missingCount} messages after {@code afterSeq} were never
   * delivered (expired from the stream, or purged, before the archiver read them).
   *
   * @param afterSeq last sequence archived before the jump
   * @param missingCount sequences skipped
   * @param detectedAt when the archiver saw it, ISO-8601 UTC
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Gap(
      @JsonProperty("after_seq") long afterSeq,
      @JsonProperty("missing_count") long missingCount,
      @JsonProperty("detected_at") String detectedAt) {}

  public Manifest {
    files = files == null ? List.of() : List.copyOf(files);
    gaps = gaps == null ? List.of() : List.copyOf(gaps);
    tickers = tickers == null ? List.of() : List.copyOf(tickers);
    messageTypes = messageTypes == null ? List.of() : List.copyOf(messageTypes);
    hasGaps = !gaps.isEmpty();
  }

  /** A manifest without files. */
  public static Manifest empty(String feed, String date, String rotationInterval) {
    return new Manifest(feed, date, FORMAT, rotationInterval, List.of(), List.of(), List.of(), List.of(), false);
  }

  /** The file entry named {@code name}, if listed. */
  public Optional<FileEntry> file(String name) {
    return files.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** Lines in all listed files. */
  public long records() {
    return files.stream().mapToLong(FileEntry::records).sum();
  }

  /**
   * This manifest with {@code other}'s files, gaps, tickers and types added. A file listed in both
   * is taken from {@code other}; the rotation interval is {@code other}'s when it has one.
   */
  public Manifest merge(Manifest other) {
    return with(other.files, other.gaps, other.tickers, other.messageTypes,
        other.rotationInterval != null ? other.rotationInterval : rotationInterval);
  }

  /** This manifest with files, gaps, tickers and types added. */
  Manifest with(List<FileEntry> newFiles, List<Gap> newGaps, java.util.Collection<String> newTickers,
      java.util.Collection<String> newTypes, String rotation) {
    Map<String, FileEntry> byName = new TreeMap<>();
    files.forEach(f -> byName.put(f.name(), f));
    newFiles.forEach(f -> byName.put(f.name(), f));
    Map<Long, Gap> gapsByAfter = new TreeMap<>();
    gaps.forEach(g -> gapsByAfter.put(g.afterSeq(), g));
    newGaps.forEach(g -> gapsByAfter.putIfAbsent(g.afterSeq(), g));
    TreeSet<String> t = new TreeSet<>(tickers);
    t.addAll(newTickers);
    TreeSet<String> types = new TreeSet<>(messageTypes);
    types.addAll(newTypes);
    byName.values().forEach(f -> types.addAll(f.recordsByType().keySet()));
    List<FileEntry> sorted = new ArrayList<>(byName.values());
    sorted.sort(Comparator.comparing(FileEntry::name));
    return new Manifest(feed, date, FORMAT, rotation, sorted, new ArrayList<>(gapsByAfter.values()),
        new ArrayList<>(t), new ArrayList<>(types), !gapsByAfter.isEmpty());
  }

  /** The manifest as JSON bytes. */
  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise manifest", e);
    }
  }

  /** Parses manifest JSON; throws {@link IOException} saying what is wrong. */
  public static Manifest parse(byte[] json) throws IOException {
    Manifest m = JSON.readValue(json, Manifest.class);
    if (m == null || m.feed() == null || m.date() == null) {
      throw new IOException("manifest has no feed or date");
    }
    for (FileEntry f : m.files()) {
      if (f == null || f.name() == null) {
        throw new IOException("manifest lists a file without a name");
      }
    }
    return m;
  }

  /**
   * Reads {@code {dayDir}/manifest.json}: empty when there is none. A manifest that does not parse
   * is moved aside to {@code manifest.json.corrupt-<UTC timestamp>} with a WARN and reads as empty,
   * so the caller rebuilds it from the files; nothing is deleted.
   */
  public static Optional<Manifest> read(Path dayDir, Instant now) throws IOException {
    Path file = dayDir.resolve(ArchiveFormat.MANIFEST);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    byte[] bytes = Files.readAllBytes(file);
    try {
      return Optional.of(parse(bytes));
    } catch (IOException e) {
      Path aside = dayDir.resolve(ArchiveFormat.MANIFEST + ".corrupt-" + CORRUPT_TS.format(now));
      Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
      LOG.warn("manifest {} does not parse ({}); kept it as {} and rebuilding the manifest from the day's files",
          file, oneLine(e.getMessage()), aside.getFileName());
      return Optional.empty();
    }
  }

  /** Writes {@code {dayDir}/manifest.json} atomically: temporary file, fsync, rename, directory fsync. */
  public void writeAtomically(Path dayDir) throws IOException {
    Files.createDirectories(dayDir);
    Path tmp = dayDir.resolve(ArchiveFormat.MANIFEST + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(toJson());
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, dayDir.resolve(ArchiveFormat.MANIFEST), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    Fsync.directory(dayDir);
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").strip();
  }
}
