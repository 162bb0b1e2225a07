package io.ssmd.systemtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built {@code ssmd} CLI (ssmd-cli/target) as a separate process, as the launcher does. */
final class Ssmd {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  record Result(int exit, String out, String err) {}

  private Ssmd() {}

  static Process spawn(Path workDir, Path out, Path err, Path stdin, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
        REPO.resolve("ssmd-cli/target/ssmd-cli.jar") + ":" + REPO.resolve("ssmd-cli/target/lib") + "/*",
        "io.ssmd.cli.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
    if (stdin != null) {
      pb.redirectInput(stdin.toFile());
    }
    return pb.start();
  }

  static Result run(Path workDir, Path stdin, String... args) throws Exception {
    Path out = Files.createTempFile(workDir, "out", ".txt");
    Path err = Files.createTempFile(workDir, "err", ".txt");
    Process p = spawn(workDir, out, err, stdin, args);
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("ssmd " + String.join(" ", args) + " did not finish in 90 s");
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
