package io.ssmd.archiver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one feed's archive: appends batches to the current window's {@code .tmp}, rotates on the
 * archiver's UTC wall clock, completes files (rename, manifest) and repairs what a previous run
 * left behind. Knows the last stream sequence written and drops anything at or below it, which is
 * what makes a redelivery after a crash harmless.
 *
 * <p>Windows follow the archiver's clock, not the messages' receive times: a file holds what was
 * archived during its window, so rotation never waits for data and a late message never reopens a
 * finished file. {@code _received_at} in each line keeps the capture time.
 *
 * <p>Thread-safe: every method is synchronized (the rotation timer and the fetch loop share it).
 */
final class ArchiveWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ArchiveWriter.class);
  private static final DateTimeFormatter HHMMSS = DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC);
  private static final int MAX_PARTS = 999;

  /** What the writer reports; the archiver turns it into metrics and uploads. */
  interface Events {
    /** A batch is written (and forced, per policy): {@code records} lines, {@code bytes} compressed. */
    default void written(int records, long bytes) {}

    default void duplicates(int count) {}

    default void gap(Manifest.Gap gap) {}

    default void writeError(Path path, IOException e) {}

    /** A file is finished and listed in its day's manifest. */
    default void completed(Path dayDir, Manifest.FileEntry entry) {}
  }

  /** Outcome of one {@link #append}. */
  record AppendResult(int written, int duplicates, int gaps) {}

  private final Path feedDir;
  private final String feed;
  private final Duration rotation;
  private final String rotationText;
  private final FsyncPolicy fsync;
  private final Clock clock;
  private final Events events;
  private final List<TmpFile> orphans = new ArrayList<>();
  private final List<Manifest.Gap> pendingGaps = new ArrayList<>();
  private final List<Pending> pendingCommits = new ArrayList<>();
  private TmpFile current;
  private Instant currentWindow;
  private long lastSeq = -1;

  private record Pending(Path dayDir, Repair.Completed completed) {}

  ArchiveWriter(Path root, String feed, Duration rotation, FsyncPolicy fsync, Clock clock, Events events) {
    this.feedDir = root.resolve(feed);
    this.feed = feed;
    this.rotation = rotation;
    this.rotationText = ArchiverOptions.formatRotation(rotation);
    this.fsync = fsync;
    this.clock = clock;
    this.events = events;
  }

  /** Last stream sequence written, -1 when none is known. */
  synchronized long lastSeq() {
    return lastSeq;
  }

  /** The file being written, e.g. {@code kalshi/2026-11-22/1415.jsonl.gz}, or null. */
  synchronized String currentFile() {
    return current == null ? null : feed + "/" + current.dayDir().getFileName() + "/" + current.name();
  }

  /** Start of the window containing {@code t}: windows are aligned to midnight UTC. */
  Instant windowOf(Instant t) {
    long s = rotation.getSeconds();
    return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), s) * s);
  }

  /**
   * Completes what a previous run left in the two most recent day directories (leftover {@code
   * .tmp} files repaired to their whole lines, finished files missing from the manifest added) and
   * recovers the last sequence written. Returns it, -1 when the archive is empty.
   */
  synchronized long recover() throws IOException {
    Files.createDirectories(feedDir);
    List<Path> days = dayDirs();
    List<Path> recent = days.subList(Math.max(0, days.size() - 2), days.size());
    long last = -1;
    for (Path day : recent) {
      Manifest m = recoverDay(day);
      for (Manifest.FileEntry f : m.files()) {
        last = Math.max(last, f.natsEndSeq());
      }
    }
    lastSeq = Math.max(lastSeq, last);
    LOG.info("archive {}: last stream sequence written {}", feedDir, lastSeq < 0 ? "none" : lastSeq);
    return lastSeq;
  }

  /** Day directories of the feed, oldest first. */
  List<Path> dayDirs() throws IOException {
    if (!Files.isDirectory(feedDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(feedDir)) {
      return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("\\d{4}-\\d{2}-\\d{2}"))
          .sorted().toList();
    }
  }

  private Manifest recoverDay(Path day) throws IOException {
    List<Repair.Completed> done = new ArrayList<>();
    for (Path p : list(day)) {
      String f = p.getFileName().toString();
      if (f.endsWith(Repair.REPAIR_SUFFIX) || f.equals(ArchiveFormat.MANIFEST + ".tmp")) {
        Files.deleteIfExists(p); // a rewrite or manifest write cut short; its source is still there
      }
    }
    Manifest onDisk = Manifest.read(day, clock.instant()).orElse(null);
    for (Path p : list(day)) {
      String f = p.getFileName().toString();
      if (f.endsWith(ArchiveFormat.TMP_SUFFIX)) {
        String name = f.substring(0, f.length() - ".tmp".length());
        String target = name;
        if (Files.exists(day.resolve(name)) || (onDisk != null && onDisk.file(name).isPresent())) {
          target = freeName(day, onDisk, baseOf(name));
        }
        Repair.completeTmp(day, name, target).ifPresent(done::add);
      }
    }
    Manifest m = commit(day, done, List.of());
    deleteIndexes(day);
    for (Repair.Completed c : done) {
      events.completed(day, c.entry());
    }
    return m;
  }

  /**
   * Appends the messages above the last sequence written, in order; redelivered ones are counted
   * as duplicates and dropped, a jump in sequence is recorded as a gap. When this returns the
   * lines are flushed (and forced with {@link FsyncPolicy#BATCH}): the batch may be acknowledged.
   * On an {@link IOException} nothing may be acknowledged; the file is cut back to its last whole
   * batch and completed on the next call, and the batch can be appended again.
   */
  synchronized AppendResult append(List<Incoming> batch) throws IOException {
    Instant now = clock.instant();
    heal();
    rotateIfDue(now);
    List<Incoming> toWrite = new ArrayList<>(batch.size());
    List<Manifest.Gap> gaps = new ArrayList<>();
    int duplicates = 0;
    long last = lastSeq;
    for (Incoming m : batch) {
      if (last >= 0 && m.seq() <= last) {
        duplicates++;
        continue;
      }
      if (last >= 0 && m.seq() > last + 1) {
        gaps.add(new Manifest.Gap(last, m.seq() - last - 1, now.toString()));
      }
      toWrite.add(m);
      last = m.seq();
    }
    if (!toWrite.isEmpty()) {
      if (current == null) {
        open(now);
      }
      long before = current.bytes();
      try {
        current.append(toWrite);
        if (fsync == FsyncPolicy.BATCH) {
          current.force();
        }
      } catch (IOException e) {
        Path path = TmpFile.tmpPath(current.dayDir(), current.name());
        current.abandon();
        orphans.add(current);
        current = null;
        events.writeError(path, e);
        throw e;
      }
      lastSeq = last;
      events.written(toWrite.size(), current.bytes() - before);
    }
    if (duplicates > 0) {
      events.duplicates(duplicates);
    }
    if (!gaps.isEmpty()) {
      gaps.forEach(events::gap);
      pendingGaps.addAll(gaps);
      Path day = current != null ? current.dayDir() : dayDir(now);
      try {
        commit(day, List.of(), pendingGaps);
        pendingGaps.clear();
      } catch (IOException e) {
        // the data is safe; the gap is kept and written with the next manifest
        LOG.error("cannot record gap(s) {} in {}: {}", gaps, day.resolve(ArchiveFormat.MANIFEST), e.toString());
      }
    }
    return new AppendResult(toWrite.size(), duplicates, gaps.size());
  }

  /** Finishes the current file when its window has ended (called by the rotation timer too). */
  synchronized void rotateIfDue() throws IOException {
    heal();
    rotateIfDue(clock.instant());
  }

  private void rotateIfDue(Instant now) throws IOException {
    if (current != null && !windowOf(now).equals(currentWindow)) {
      finishCurrent(now);
    }
  }

  /** Finishes the current file (fsync, rename, manifest). */
  @Override
  public synchronized void close() throws IOException {
    if (current != null) {
      finishCurrent(clock.instant());
    }
    heal();
  }

  /** Completes files a failed write or rename left behind and retries manifest writes; throws while the disk still fails. */
  private void heal() throws IOException {
    while (!orphans.isEmpty()) {
      TmpFile t = orphans.get(0);
      Path day = t.dayDir();
      var done = Repair.completeTmp(day, t.name(), t.name());
      orphans.remove(0);
      if (done.isPresent()) {
        lastSeq = Math.max(lastSeq, done.get().entry().natsEndSeq());
        pendingCommits.add(new Pending(day, done.get()));
      } else {
        Files.deleteIfExists(TmpFile.subjectsPath(day, t.name()));
      }
    }
    while (!pendingCommits.isEmpty()) {
      Pending p = pendingCommits.get(0);
      commit(p.dayDir(), List.of(p.completed()), pendingGaps);
      pendingGaps.clear();
      pendingCommits.remove(0);
      Files.deleteIfExists(TmpFile.subjectsPath(p.dayDir(), p.completed().entry().name()));
      events.completed(p.dayDir(), p.completed().entry());
    }
  }

  private void open(Instant now) throws IOException {
    Instant window = windowOf(now);
    Path day = dayDir(window);
    Files.createDirectories(day);
    Manifest m = Manifest.read(day, now).orElse(null);
    String base = baseName(window);
    String name = base + ArchiveFormat.SUFFIX;
    if (taken(day, m, name)) {
      // restarted within the window: a new part, named after the time it opens so names keep
      // sorting in capture order
      String atOpen = HHMMSS.format(now);
      name = !atOpen.equals(base) && !taken(day, m, atOpen + ArchiveFormat.SUFFIX)
          ? atOpen + ArchiveFormat.SUFFIX
          : freeName(day, m, base);
    }
    current = TmpFile.create(day, name, now.isAfter(window) ? now : window);
    currentWindow = window;
    Fsync.directory(day);
    LOG.debug("opened {}", TmpFile.tmpPath(day, name));
  }

  private void finishCurrent(Instant now) throws IOException {
    TmpFile t = current;
    current = null;
    Path day = t.dayDir();
    Path fin = day.resolve(t.name());
    try {
      t.finishData();
      Files.move(TmpFile.tmpPath(day, t.name()), fin, StandardCopyOption.ATOMIC_MOVE);
      Fsync.directory(day);
    } catch (IOException e) {
      t.abandon();
      orphans.add(t);
      events.writeError(fin, e);
      throw e;
    }
    Instant windowEnd = currentWindow.plus(rotation);
    Instant end = now.isBefore(windowEnd) ? now : windowEnd;
    Manifest.FileEntry entry = new Manifest.FileEntry(t.name(), t.start().toString(), end.toString(), t.records(),
        Files.size(fin), Repair.sha256(fin), t.firstSeq(), t.lastSeq(), t.byType());
    pendingCommits.add(new Pending(day, new Repair.Completed(entry, new TreeSet<>(t.tickers()), null)));
    heal();
    LOG.info("finished {}/{}: {} record(s), seq {}..{}, {} bytes", day.getFileName(), t.name(), t.records(),
        t.firstSeq(), t.lastSeq(), entry.bytes());
  }

  /**
   * Merges new entries and gaps into the day's manifest on disk and writes it atomically. Finished
   * files the manifest does not list (a crash before the manifest write, or a manifest rebuilt
   * after it did not parse) are scanned and added, so the manifest always lists every file.
   */
  private Manifest commit(Path day, List<Repair.Completed> done, List<Manifest.Gap> gaps) throws IOException {
    Manifest m = Manifest.read(day, clock.instant())
        .orElseGet(() -> Manifest.empty(feed, day.getFileName().toString(), rotationText));
    Set<String> known = new HashSet<>();
    m.files().forEach(f -> known.add(f.name()));
    List<Repair.Completed> all = new ArrayList<>(done);
    List<Repair.Completed> scanned = new ArrayList<>();
    done.forEach(c -> known.add(c.entry().name()));
    for (Path p : list(day)) {
      String f = p.getFileName().toString();
      if (f.endsWith(ArchiveFormat.SUFFIX) && !known.contains(f)) {
        Repair.Completed c = Repair.scanFinished(day, f);
        LOG.warn("{} was not in the manifest; added it ({} records)", p, c.entry().records());
        scanned.add(c);
      }
    }
    all.addAll(scanned);
    if (all.isEmpty() && gaps.isEmpty() && Files.exists(day.resolve(ArchiveFormat.MANIFEST))) {
      return m;
    }
    Collection<String> tickers = new TreeSet<>();
    all.forEach(c -> tickers.addAll(c.tickers()));
    Manifest merged = m.with(all.stream().map(Repair.Completed::entry).toList(), gaps, tickers, List.of(), rotationText);
    if (!merged.files().isEmpty() || !merged.gaps().isEmpty()) {
      merged.writeAtomically(day);
    }
    scanned.forEach(c -> events.completed(day, c.entry()));
    return merged;
  }

  private void deleteIndexes(Path day) throws IOException {
    for (Path p : list(day)) {
      String f = p.getFileName().toString();
      if (f.endsWith(TmpFile.SUBJECTS_SUFFIX)) {
        String tmp = f.substring(0, f.length() - TmpFile.SUBJECTS_SUFFIX.length());
        if (!Files.exists(day.resolve(tmp))) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private String freeName(Path day, Manifest m, String base) {
    for (int n = 1; n <= MAX_PARTS; n++) {
      String name = base + "_" + (n < 10 ? "0" + n : Integer.toString(n)) + ArchiveFormat.SUFFIX;
      if (!taken(day, m, name)) {
        return name;
      }
    }
    throw new IllegalStateException("more than " + MAX_PARTS + " parts of " + day.resolve(base) + " in one window");
  }

  private static boolean taken(Path day, Manifest m, String name) {
    return Files.exists(day.resolve(name)) || Files.exists(TmpFile.tmpPath(day, name))
        || Files.exists(TmpFile.subjectsPath(day, name))
        || (m != null && m.file(name).isPresent());
  }

  private static String baseOf(String name) {
    return name.substring(0, name.length() - ArchiveFormat.SUFFIX.length());
  }

  private String baseName(Instant window) {
    String name = rotation.getSeconds() % 60 == 0 ? ArchiveFormat.fileName(window) : HHMMSS.format(window) + ArchiveFormat.SUFFIX;
    return baseOf(name);
  }

  private Path dayDir(Instant t) {
    return ArchiveFormat.dayDir(feedDir.getParent(), feed, LocalDate.ofInstant(t, ZoneOffset.UTC));
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    }
  }
}
