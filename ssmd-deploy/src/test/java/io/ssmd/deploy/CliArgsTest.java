package io.ssmd.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.ssmd.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every container's arguments, after the kubelet's {@code $(VAR)} expansion, parsed by the real
 * picocli command tree ({@link Main#commandLine()}), so a renamed or removed flag breaks the build
 * rather than a rollout; and every absolute path an argument names exists in the files the
 * container has mounted (its ConfigMaps and Secrets).
 *
 * <p>A command that is registered but does not declare its options yet (gateway, agent, schedule
 * while their modules are being built) is reported as an aborted case naming the command, never
 * as a pass.
 */
class CliArgsTest {
  private static final Set<String> STANDARD = Set.of("--help", "-h", "--version", "-V", "--verbose");

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> everyContainersArgumentsParseWithTheRealCli() {
    List<DynamicTest> tests = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String dir : Rendered.DIRS) {
      if (dir.equals("monitoring")) {
        continue;
      }
      Rendered r = Rendered.of(dir);
      int i = 0;
      for (PodView p : ManifestTest.pods(r, tmp.resolve(dir.replace('/', '-')))) {
        List<String> args = p.args();
        // the same container unchanged by an overlay is one case, not four
        if (!seen.add(String.join(" ", args))) {
          continue;
        }
        String name = dir + " " + p.describe() + ": ssmd " + String.join(" ", args);
        tests.add(DynamicTest.dynamicTest(name, () -> check(p, args)));
        i++;
      }
      assertThat(i + seen.size()).isPositive();
    }
    return tests.stream();
  }

  private static void check(PodView p, List<String> args) {
    assertThat(p.container.path("command").isMissingNode()).as("the image's entrypoint is the ssmd launcher; containers set args only")
        .isTrue();
    assertThat(p.problems).as("arguments expand").isEmpty();
    // files first: they are checked even while the command itself cannot be
    for (String a : args) {
      String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : a;
      if (value.startsWith("/")) {
        assertThat(Files.exists(p.at(value))).as(p.describe() + ": " + value + " is provided by a mounted ConfigMap or Secret").isTrue();
      }
    }
    CommandLine root = Main.commandLine();
    try {
      CommandLine.ParseResult parsed = root.parseArgs(args.toArray(String[]::new));
      CommandLine.ParseResult leaf = parsed;
      while (leaf.subcommand() != null) {
        leaf = leaf.subcommand();
      }
      assertThat(leaf.commandSpec().subcommands()).as("args name a runnable command, not a group").isEmpty();
    } catch (CommandLine.ParameterException e) {
      CommandLine target = deepest(root, args);
      boolean declaresOnlyStandardOptions = target.getCommandSpec().options().stream()
          .allMatch(o -> Set.of(o.names()).stream().anyMatch(STANDARD::contains))
          && target.getCommandSpec().positionalParameters().isEmpty() && target.getSubcommands().isEmpty();
      Assumptions.assumeFalse(declaresOnlyStandardOptions, "ssmd " + target.getCommandSpec().qualifiedName().replaceFirst("^ssmd ", "")
          + " is registered but declares no options yet (its module is being built), so `" + String.join(" ", args)
          + "` cannot be checked: " + e.getMessage());
      fail(p.describe() + ": ssmd rejects `" + String.join(" ", args) + "`: " + e.getMessage());
    }
  }

  /** The deepest registered command that the leading words of {@code args} name. */
  private static CommandLine deepest(CommandLine root, List<String> args) {
    CommandLine c = root;
    for (String a : args) {
      CommandLine sub = c.getSubcommands().get(a);
      if (sub == null) {
        break;
      }
      c = sub;
    }
    return c;
  }
}
