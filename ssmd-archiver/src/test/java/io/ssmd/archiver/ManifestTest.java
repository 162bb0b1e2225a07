package io.ssmd.archiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
  @TempDir Path dir;

  static Manifest.FileEntry file(String name, long records, long from, long to) {
    return new Manifest.FileEntry(name, "2026-11-22T14:00:00Z", "2026-11-22T14:15:00Z", records, 100, "ab", from, to,
        new TreeMap<>(Map.of("trade", records)));
  }

  @Test
  void mergeKeepsEveryFileAndGapOfBothSides() {
    Manifest disk = Manifest.empty("kalshi", "2026-11-22", "15m")
        .with(List.of(file("1400.jsonl.gz", 5, 1, 5)), List.of(new Manifest.Gap(5, 2, "t1")), List.of("A"), List.of(), "15m");
    Manifest mine = Manifest.empty("kalshi", "2026-11-22", "15m")
        .with(List.of(file("1415.jsonl.gz", 3, 8, 10)), List.of(new Manifest.Gap(5, 2, "t2"), new Manifest.Gap(10, 1, "t3")),
            List.of("B"), List.of(), "15m");
    Manifest merged = disk.merge(mine);
    assertThat(merged.files()).extracting(Manifest.FileEntry::name).containsExactly("1400.jsonl.gz", "1415.jsonl.gz");
    assertThat(merged.gaps()).extracting(Manifest.Gap::afterSeq).containsExactly(5L, 10L);
    assertThat(merged.gaps().get(0).detectedAt()).isEqualTo("t1"); // the first detection is kept
    assertThat(merged.tickers()).containsExactly("A", "B");
    assertThat(merged.messageTypes()).containsExactly("trade");
    assertThat(merged.hasGaps()).isTrue();
    assertThat(merged.records()).isEqualTo(8);
  }

  @Test
  void aFileListedOnBothSidesIsTakenFromTheNewer() {
    Manifest disk = Manifest.empty("k", "d", "15m").with(List.of(file("1400.jsonl.gz", 5, 1, 5)), List.of(), List.of(), List.of(), "15m");
    Manifest merged = disk.merge(Manifest.empty("k", "d", "15m")
        .with(List.of(file("1400.jsonl.gz", 6, 1, 6)), List.of(), List.of(), List.of(), "15m"));
    assertThat(merged.files()).singleElement().extracting(Manifest.FileEntry::records).isEqualTo(6L);
  }

  @Test
  void writesTheDesignFieldNamesAndReadsThemBack() throws IOException {
    Manifest m = Manifest.empty("kalshi", "2026-11-22", "15m")
        .with(List.of(file("1400.jsonl.gz", 5, 1, 5)), List.of(new Manifest.Gap(5, 2, "t")), List.of("X"), List.of(), "15m");
    m.writeAtomically(dir);
    String json = Files.readString(dir.resolve("manifest.json"), StandardCharsets.UTF_8);
    assertThat(json).contains("\"rotation_interval\"", "\"nats_start_seq\"", "\"nats_end_seq\"", "\"records_by_type\"",
        "\"after_seq\"", "\"missing_count\"", "\"detected_at\"", "\"message_types\"", "\"has_gaps\" : true",
        "\"format\" : \"jsonl.gz\"", "\"sha256\"");
    assertThat(Manifest.read(dir, Instant.now())).contains(m);
    assertThat(dir.resolve("manifest.json.tmp")).doesNotExist();
  }

  @Test
  void aManifestThatDoesNotParseIsMovedAsideNotDeleted() throws IOException {
    Files.writeString(dir.resolve("manifest.json"), "not json");
    assertThat(Manifest.read(dir, Instant.parse("2026-11-22T10:00:00Z"))).isEmpty();
    assertThat(dir.resolve("manifest.json")).doesNotExist();
    assertThat(dir.resolve("manifest.json.corrupt-20261122T100000Z")).hasContent("not json");
  }

  @Test
  void parseRejectsAManifestWithoutFeedOrDate() {
    assertThatThrownBy(() -> Manifest.parse("{\"files\":[]}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class).hasMessageContaining("no feed or date");
  }
}
