package io.ssmd.archiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveFormatTest {
  @TempDir Path dir;

  private static String enc(String frame) {
    return new String(ArchiveFormat.encode(frame.getBytes(StandardCharsets.UTF_8), 1700000000123456L, 42), StandardCharsets.UTF_8);
  }

  private static String roundTrip(String frame) {
    byte[] line = ArchiveFormat.encode(frame.getBytes(StandardCharsets.UTF_8), 7, 9);
    ArchiveLine l = ArchiveFormat.decode("f", line);
    assertThat(l.natsSeq()).isEqualTo(9);
    assertThat(l.receivedAtMicros()).isEqualTo(7);
    return new String(l.frame(), StandardCharsets.UTF_8);
  }

  @Test
  void appendsReceivedAtAndSeqBeforeTheClosingBrace() {
    assertThat(enc("{\"type\":\"trade\",\"msg\":{\"p\":\"0.12\"}}"))
        .isEqualTo("{\"type\":\"trade\",\"msg\":{\"p\":\"0.12\"},\"_received_at\":1700000000123456,\"_nats_seq\":42}");
    assertThat(enc("{}")).isEqualTo("{\"_received_at\":1700000000123456,\"_nats_seq\":42}");
  }

  @Test
  void wrapsFramesThatAreNotJsonObjects() {
    assertThat(enc("PONG")).isEqualTo("{\"_raw\":\"PONG\",\"_received_at\":1700000000123456,\"_nats_seq\":42}");
    assertThat(enc("[{\"a\":1}]")).startsWith("{\"_raw\":\"[{\\\"a\\\":1}]\"");
  }

  @Test
  void decodeGivesBackTheExactFrame() {
    for (String f : List.of("{\"type\":\"trade\"}", "{}", "{ }", "PONG", "[]", "{\"a\":\"x,\\\"_nats_seq\\\":1\"}", "{\"s\":\"é ✓\"}",
        "{\"a\":1 }", "not json {")) {
      assertThat(roundTrip(f)).as(f).isEqualTo(f);
    }
  }

  @Test
  void decodeRejectsLinesWithoutTheAppendedFields() {
    assertThatThrownBy(() -> ArchiveFormat.decode("f", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("_nats_seq");
  }

  @Test
  void fileNamesAreUtcHourMinute() {
    assertThat(ArchiveFormat.fileName(Instant.parse("2026-11-22T14:15:00Z"))).isEqualTo("1415.jsonl.gz");
  }

  @Test
  void readerKeepsWholeLinesOfATruncatedFileAndReportsWhere() throws Exception {
    Path day = ArchiveFormat.dayDir(dir, "kraken", LocalDate.of(2026, 11, 22));
    Files.createDirectories(day);
    Path f = day.resolve("0000.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
      for (int i = 1; i <= 1000; i++) {
        out.write(ArchiveFormat.encode(("{\"i\":" + i + ",\"pad\":\"" + "x".repeat(i % 50) + "\"}").getBytes(StandardCharsets.UTF_8), i, i));
        out.write('\n');
      }
    }
    byte[] all = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(all, all.length / 2));
    Files.write(day.resolve("0015.jsonl.gz"), "not gzip".getBytes(StandardCharsets.UTF_8));
    Files.write(day.resolve("0030.jsonl.gz.tmp"), "in progress".getBytes(StandardCharsets.UTF_8));
    ArchiveReader reader = ArchiveReader.open(dir, "kraken", LocalDate.of(2026, 11, 22));
    List<Long> seqs = new ArrayList<>();
    long n = reader.forEach(l -> seqs.add(l.natsSeq()));
    assertThat(n).isEqualTo(seqs.size()).isBetween(1L, 999L);
    for (int i = 0; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).isEqualTo(i + 1);
    }
    assertThat(reader.problems()).extracting(ArchiveReader.Problem::file).containsExactly("0000.jsonl.gz", "0015.jsonl.gz");
    assertThat(reader.problems().get(0).what()).contains("truncated");
    assertThat(reader.problems().get(1).what()).contains("not a gzip file");
  }
}
