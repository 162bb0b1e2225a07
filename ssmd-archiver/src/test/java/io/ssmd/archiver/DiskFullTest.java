package io.ssmd.archiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real: the archive root is a 256 KiB tmpfs (mounting needs root, which the test
 * sandbox and CI containers have; elsewhere the test is skipped and says why).
 */
class DiskFullTest {
  static final LocalDate DAY = LocalDate.of(2026, 11, 22);
  @TempDir Path tmp;
  Path root;
  boolean mounted;
  final Random random = new Random(7);
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));

  @BeforeEach
  void mountTinyFilesystem() throws Exception {
    root = tmp.resolve("tiny");
    Files.createDirectories(root);
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", root.toString())
        .redirectErrorStream(true).start();
    boolean done = p.waitFor(10, TimeUnit.SECONDS);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assumptions.assumeTrue(done && p.exitValue() == 0, "cannot mount a tmpfs (needs root): " + out.strip());
    mounted = true;
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      new ProcessBuilder("umount", root.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  Incoming msg(long seq) {
    byte[] noise = new byte[1500];
    random.nextBytes(noise); // incompressible, so the disk fills quickly
    String frame = "{\"channel\":\"trade\",\"noise\":\"" + Base64.getEncoder().encodeToString(noise) + "\"}";
    return new Incoming(seq, "prod.kraken.json.trade.BTC-USD", frame.getBytes(StandardCharsets.UTF_8), seq);
  }

  List<Incoming> batch(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(this::msg).toList();
  }

  @Test
  void aFullDiskAcknowledgesNothingKeepsWholeLinesAndRecoversWhenSpaceReturns() throws IOException {
    Path filler = root.resolve("filler");
    Files.write(filler, new byte[160 * 1024]);
    List<Long> errors = new ArrayList<>();
    ArchiveWriter w = new ArchiveWriter(root, "kraken", Duration.ofMinutes(15), FsyncPolicy.BATCH, clock,
        new ArchiveWriter.Events() {
          @Override
          public void writeError(Path path, IOException e) {
            errors.add(1L);
          }
        });
    w.recover();
    long acked = 0;
    List<Incoming> failed = null;
    for (long s = 1; s < 1000; s += 5) {
      List<Incoming> b = batch(s, s + 4);
      try {
        w.append(b);
        acked = s + 4;
      } catch (IOException e) {
        assertThat(e.getMessage()).containsIgnoringCase("space");
        failed = b;
        break;
      }
    }
    assertThat(failed).as("the tmpfs never filled up").isNotNull();
    assertThat(errors).hasSize(1);
    assertThat(w.lastSeq()).isEqualTo(acked);
    // the tmp was cut back to the last batch that was acknowledged
    Path day = ArchiveFormat.dayDir(root, "kraken", DAY);
    List<Long> inTmp = new ArrayList<>();
    List<ArchiveReader.Problem> problems = new ArrayList<>();
    ArchiveReader.readFile(day.resolve("1000.jsonl.gz.tmp"), l -> inTmp.add(l.natsSeq()), problems);
    assertThat(inTmp).isEqualTo(LongStream.rangeClosed(1, acked).boxed().toList());

    // still full: the retry fails too, and nothing is lost
    List<Incoming> retry = failed;
    assertThatThrownBy(() -> w.append(retry)).isInstanceOf(IOException.class);

    Files.delete(filler);
    w.append(failed);
    w.append(batch(acked + 6, acked + 7));
    w.close();
    List<Long> seqs = new ArrayList<>();
    ArchiveReader reader = ArchiveReader.open(root, "kraken", DAY);
    reader.forEach(l -> seqs.add(l.natsSeq()));
    assertThat(reader.problems()).isEmpty();
    assertThat(seqs).isEqualTo(LongStream.rangeClosed(1, acked + 7).boxed().toList());
    Manifest m = Manifest.parse(Files.readAllBytes(day.resolve(ArchiveFormat.MANIFEST)));
    assertThat(m.records()).isEqualTo(acked + 7);
    assertThat(m.files()).extracting(Manifest.FileEntry::name).containsExactly("1000.jsonl.gz", "100000.jsonl.gz");
  }
}
