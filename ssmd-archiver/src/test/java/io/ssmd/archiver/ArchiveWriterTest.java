package io.ssmd.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveWriterTest {
  static final String FEED = "kraken";
  static final LocalDate DAY = LocalDate.of(2026, 11, 22);
  @TempDir Path root;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T14:14:50Z"));
  final List<Manifest.FileEntry> completed = new ArrayList<>();

  ArchiveWriter writer(Duration rotation) {
    return new ArchiveWriter(root, FEED, rotation, FsyncPolicy.BATCH, clock, new ArchiveWriter.Events() {
      @Override
      public void completed(Path dayDir, Manifest.FileEntry entry) {
        completed.add(entry);
      }
    });
  }

  static Incoming msg(long seq) {
    String type = seq % 3 == 0 ? "trade" : "ticker";
    String ticker = seq % 2 == 0 ? "BTC-USD" : "ETH-USD";
    return new Incoming(seq, "prod.kraken.json." + type + "." + ticker,
        ("{\"channel\":\"" + type + "\",\"n\":" + seq + "}").getBytes(StandardCharsets.UTF_8), 1_700_000_000_000_000L + seq);
  }

  static List<Incoming> range(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(ArchiveWriterTest::msg).toList();
  }

  static List<Long> seqs(Path root, LocalDate day) throws IOException {
    List<Long> out = new ArrayList<>();
    ArchiveReader r = ArchiveReader.open(root, FEED, day);
    r.forEach(l -> out.add(l.natsSeq()));
    assertThat(r.problems()).isEmpty();
    return out;
  }

  static Manifest manifest(Path root, LocalDate day) throws IOException {
    return Manifest.parse(Files.readAllBytes(ArchiveFormat.dayDir(root, FEED, day).resolve(ArchiveFormat.MANIFEST)));
  }

  @Test
  void rotatesOnTheWallClockEvenWhenIdleAndListsTheFileInTheManifest() throws IOException {
    ArchiveWriter w = writer(Duration.ofMinutes(15));
    w.recover();
    w.append(range(1, 6));
    assertThat(w.currentFile()).isEqualTo("kraken/2026-11-22/1400.jsonl.gz");
    clock.set(Instant.parse("2026-11-22T14:15:00.001Z"));
    w.rotateIfDue(); // the timer: no message needed
    assertThat(w.currentFile()).isNull();
    Path day = ArchiveFormat.dayDir(root, FEED, DAY);
    assertThat(day.resolve("1400.jsonl.gz")).exists();
    assertThat(day.resolve("1400.jsonl.gz.tmp")).doesNotExist();
    Manifest m = manifest(root, DAY);
    assertThat(m.files()).hasSize(1);
    Manifest.FileEntry f = m.files().get(0);
    assertThat(f.name()).isEqualTo("1400.jsonl.gz");
    assertThat(f.records()).isEqualTo(6);
    assertThat(f.natsStartSeq()).isEqualTo(1);
    assertThat(f.natsEndSeq()).isEqualTo(6);
    assertThat(f.start()).isEqualTo("2026-11-22T14:14:50Z");
    assertThat(f.end()).isEqualTo("2026-11-22T14:15:00Z");
    assertThat(f.recordsByType()).isEqualTo(Map.of("ticker", 4L, "trade", 2L));
    assertThat(f.bytes()).isEqualTo(Files.size(day.resolve(f.name())));
    assertThat(f.sha256()).isEqualTo(Repair.sha256(day.resolve(f.name())));
    assertThat(m.tickers()).containsExactly("BTC-USD", "ETH-USD");
    assertThat(m.messageTypes()).containsExactly("ticker", "trade");
    assertThat(m.rotationInterval()).isEqualTo("15m");
    assertThat(m.hasGaps()).isFalse();
    assertThat(day.resolve("1400.jsonl.gz.tmp" + TmpFile.SUBJECTS_SUFFIX)).doesNotExist();

    w.append(range(7, 8));
    assertThat(w.currentFile()).isEqualTo("kraken/2026-11-22/1415.jsonl.gz");
    w.close();
    assertThat(seqs(root, DAY)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(manifest(root, DAY).files()).extracting(Manifest.FileEntry::name).containsExactly("1400.jsonl.gz", "1415.jsonl.gz");
  }

  @Test
  void rollsOverTheUtcDay() throws IOException {
    clock.set(Instant.parse("2026-11-22T23:59:59Z"));
    ArchiveWriter w = writer(Duration.ofHours(1));
    w.recover();
    w.append(range(1, 3));
    clock.set(Instant.parse("2026-11-23T00:00:01Z"));
    w.append(range(4, 5));
    w.close();
    assertThat(seqs(root, DAY)).containsExactly(1L, 2L, 3L);
    assertThat(seqs(root, DAY.plusDays(1))).containsExactly(4L, 5L);
    assertThat(manifest(root, DAY).files()).extracting(Manifest.FileEntry::name).containsExactly("2300.jsonl.gz");
    assertThat(manifest(root, DAY).files().get(0).end()).isEqualTo("2026-11-23T00:00:00Z");
    assertThat(manifest(root, DAY.plusDays(1)).files()).extracting(Manifest.FileEntry::name).containsExactly("0000.jsonl.gz");
  }

  @Test
  void skipsRedeliveredSequencesAndRecordsGaps() throws IOException {
    ArchiveWriter w = writer(Duration.ofMinutes(15));
    w.recover();
    assertThat(w.append(range(1, 5))).isEqualTo(new ArchiveWriter.AppendResult(5, 0, 0));
    assertThat(w.append(range(3, 8))).isEqualTo(new ArchiveWriter.AppendResult(3, 3, 0));
    List<Incoming> jump = List.of(msg(12), msg(13));
    assertThat(w.append(jump)).isEqualTo(new ArchiveWriter.AppendResult(2, 0, 1));
    // the gap is in the manifest right away, before the file is finished
    Manifest m = manifest(root, DAY);
    assertThat(m.gaps()).extracting(Manifest.Gap::afterSeq, Manifest.Gap::missingCount).containsExactly(
        org.assertj.core.groups.Tuple.tuple(8L, 3L));
    assertThat(m.hasGaps()).isTrue();
    w.close();
    assertThat(seqs(root, DAY)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 12L, 13L);
    assertThat(manifest(root, DAY).gaps()).hasSize(1);
  }

  @Test
  void restartWithinTheWindowWritesANewPartThatSortsAfterTheFirst() throws IOException {
    ArchiveWriter w = writer(Duration.ofMinutes(15));
    w.recover();
    w.append(range(1, 3));
    w.close();
    clock.advance(Duration.ofSeconds(3));
    ArchiveWriter again = writer(Duration.ofMinutes(15));
    assertThat(again.recover()).isEqualTo(3);
    again.append(range(1, 6));
    again.close();
    assertThat(manifest(root, DAY).files()).extracting(Manifest.FileEntry::name)
        .containsExactly("1400.jsonl.gz", "141453.jsonl.gz");
    assertThat(seqs(root, DAY)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void aKilledWritersTmpIsRepairedToItsWholeLinesAndItsSequenceIsRemembered() throws IOException {
    ArchiveWriter w = writer(Duration.ofMinutes(15));
    w.recover();
    for (long s = 1; s <= 100; s += 10) {
      w.append(range(s, s + 9));
    }
    // "kill": the writer is dropped without close; cut the tmp inside its last chunk
    Path day = ArchiveFormat.dayDir(root, FEED, DAY);
    Path tmp = day.resolve("1400.jsonl.gz.tmp");
    long size = Files.size(tmp);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.truncate(size - 7);
    }
    ArchiveWriter restarted = writer(Duration.ofMinutes(15));
    long last = restarted.recover();
    List<Long> kept = seqs(root, DAY);
    assertThat(kept).isNotEmpty();
    assertThat(kept).isEqualTo(LongStream.rangeClosed(1, kept.size()).boxed().toList());
    assertThat(kept.size()).isGreaterThanOrEqualTo(90); // only the torn last chunk may be lost
    assertThat(last).isEqualTo(kept.get(kept.size() - 1));
    assertThat(tmp).doesNotExist();
    Manifest m = manifest(root, DAY);
    assertThat(m.files()).hasSize(1);
    assertThat(m.files().get(0).records()).isEqualTo(kept.size());
    // the subject index survived the kill, so the counts by type are exact
    assertThat(m.files().get(0).recordsByType().keySet()).containsExactly("ticker", "trade");
    assertThat(m.tickers()).containsExactly("BTC-USD", "ETH-USD");
    // JetStream redelivers everything unacknowledged: only the missing tail is written
    restarted.append(range(1, 100));
    restarted.close();
    assertThat(seqs(root, DAY)).isEqualTo(LongStream.rangeClosed(1, 100).boxed().toList());
    assertThat(manifest(root, DAY).records()).isEqualTo(100);
  }

  @Test
  void aFileFinishedButMissingFromTheManifestIsAddedAtStart() throws IOException {
    ArchiveWriter w = writer(Duration.ofMinutes(15));
    w.recover();
    w.append(range(1, 4));
    w.close();
    Path day = ArchiveFormat.dayDir(root, FEED, DAY);
    Files.delete(day.resolve(ArchiveFormat.MANIFEST)); // as if killed between rename and manifest write
    ArchiveWriter again = writer(Duration.ofMinutes(15));
    assertThat(again.recover()).isEqualTo(4);
    Manifest m = manifest(root, DAY);
    assertThat(m.files()).extracting(Manifest.FileEntry::name, Manifest.FileEntry::records)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("1400.jsonl.gz", 4L));
    // the subject index was deleted with the manifest entry, so types are unknown now
    assertThat(m.files().get(0).recordsByType()).isEqualTo(Map.of(Manifest.UNKNOWN_TYPE, 4L));
  }

  @Test
  void aManifestThatDoesNotParseIsKeptAsideAndRebuiltFromTheFiles() throws IOException {
    ArchiveWriter w = writer(Duration.ofMinutes(15));
    w.recover();
    w.append(range(1, 4));
    clock.advance(Duration.ofMinutes(1));
    w.rotateIfDue();
    clock.set(Instant.parse("2026-11-22T14:20:00Z"));
    w.append(range(5, 7));
    w.close();
    Path day = ArchiveFormat.dayDir(root, FEED, DAY);
    Files.writeString(day.resolve(ArchiveFormat.MANIFEST), "{\"feed\":\"kraken\",\"files\":[{\"nam");
    ArchiveWriter again = writer(Duration.ofMinutes(15));
    assertThat(again.recover()).isEqualTo(7);
    Manifest m = manifest(root, DAY);
    assertThat(m.files()).extracting(Manifest.FileEntry::name).containsExactly("1400.jsonl.gz", "1415.jsonl.gz");
    assertThat(m.records()).isEqualTo(7);
    try (Stream<Path> s = Files.list(day)) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("manifest.json.corrupt-")).toList())
          .hasSize(1);
    }
  }
}
