package io.ssmd.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile and the workflows agree with the manifests and the build: the image runs as the
 * uid the pods require, starts the real CLI, has every module's pom for the dependency layer and
 * ships the config where the ConfigMaps are mounted; CI runs .ci/run and images are built on tags.
 */
class ImageAndCiTest {
  @Test
  void imageRunsTheCliAsTheManifestsNonRootUserWithConfigWhereTheConfigMapsMount() throws Exception {
    String dockerfile = Files.readString(Yaml.REPO.resolve("Dockerfile"));
    List<String> froms = all(Pattern.compile("(?m)^FROM (\\S+)"), dockerfile);
    assertThat(froms).hasSize(2);
    assertThat(froms.getLast()).as("runtime image").matches("eclipse-temurin:21-jre.*");
    String user = all(Pattern.compile("(?m)^USER (\\S+)"), dockerfile).getLast();
    assertThat(user).isEqualTo("10001:10001");
    for (var w : Rendered.of("overlays/prod").workloads()) {
      JsonNode sec = Kustomize.podTemplate(w).path("spec").path("securityContext");
      assertThat(sec.path("runAsUser").asText() + ":" + sec.path("runAsGroup").asText()).as(Rendered.id(w)).isEqualTo(user);
    }
    Matcher entry = Pattern.compile("(?s)ENTRYPOINT \\[(.*?)]").matcher(dockerfile);
    assertThat(entry.find()).isTrue();
    String mainClass = entry.group(1).replaceAll("[\\s\\\\\"]", "").replaceAll(".*,", "");
    assertThat(mainClass).isEqualTo("io.ssmd.cli.Main");
    assertThat(Class.forName(mainClass).getMethod("main", String[].class)).isNotNull();
    assertThat(dockerfile).contains("COPY exchanges/ /etc/ssmd/exchanges/");

    List<String> modules = all(Pattern.compile("<module>([^<]+)</module>"), Files.readString(Yaml.REPO.resolve("pom.xml")));
    assertThat(modules).isNotEmpty();
    for (String m : modules) {
      assertThat(dockerfile).as("the dependency layer copies " + m + "/pom.xml").contains("COPY " + m + "/pom.xml " + m + "/");
    }
    assertThat(Files.readString(Yaml.REPO.resolve(".dockerignore"))).contains("**/target", ".git");
  }

  @Test
  void ciRunsTheTestEntryPointAndImagesAreBuiltOnReleaseTagsAfterTests() {
    JsonNode ci = Kustomize.read(Yaml.REPO.resolve(".github/workflows/ci.yml")).getFirst();
    assertThat(ci.path("jobs").toString()).contains("bash .ci/run");
    JsonNode image = Kustomize.read(Yaml.REPO.resolve(".github/workflows/image.yml")).getFirst();
    // YAML 1.1 reads the key `on` as boolean true
    JsonNode on = image.has("on") ? image.path("on") : image.path("true");
    assertThat(on.path("push").path("tags").toString()).contains("v*");
    assertThat(image.path("jobs").path("image").path("needs").asText()).isEqualTo("test");
    assertThat(image.path("jobs").path("test").toString()).contains("bash .ci/run");
    assertThat(image.path("jobs").path("image").toString()).contains("docker/build-push-action").contains("latest=false");
  }

  private static List<String> all(Pattern p, String s) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(s);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
