package io.ssmd.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmd.worker.WorkerSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The worker's environment in each overlay, read by the worker's own {@link WorkerSettings#fromEnv}
 * (every bad variable is an error there), and the services it names are ones the overlay deploys.
 */
class WorkerEnvTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/prod", "overlays/staging", "overlays/vault"})
  void workerSettingsAcceptTheManifestsEnvironment(String dir) {
    Rendered r = Rendered.of(dir);
    ObjectNode worker = r.find("Deployment", "ssmd-worker").orElseThrow();
    PodView p = new PodView(r, worker, Rendered.containers(worker).getFirst(), new ExternalSecrets(), tmp);
    assertThat(p.problems).isEmpty();
    // directories as the container sees them, under the materialised root
    WorkerSettings s = WorkerSettings.fromEnv(
        n -> n.startsWith("SSMD_") && n.endsWith("_DIR") && p.env.containsKey(n) ? p.at(p.env.get(n)).toString() : p.env.get(n),
        Optional.empty(), p.at("/var/lib/ssmd/data"));
    assertThat(s.temporalAddress()).as("a real Temporal cluster, never the embedded server").isPresent();
    assertThat(s.healthPort()).isEqualTo(8080);
    assertThat(s.databaseUrl()).isPresent();
    assertThat(s.configDir()).isEqualTo(p.at("/etc/ssmd/exchanges"));
    assertThat(Files.isDirectory(s.configDir().resolve("environments")))
        .as("SSMD_CONFIG_DIR/environments is mounted").isTrue();
    assertThat(s.readyUrls()).isNotEmpty();
    for (var ready : s.readyUrls()) {
      URI u = ready.url();
      String service = u.getHost().split("\\.")[0];
      ObjectNode svc = r.find("Service", service).orElse(null);
      assertThat(svc).as("SSMD_READY_URLS names Service " + service).isNotNull();
      assertThat(svc.path("spec").path("ports").toString()).contains("\"port\":" + u.getPort());
      assertThat(Egress.of(r, worker).allowsNamespace("ssmd", u.getPort(), "TCP")).as("worker egress to " + u).isTrue();
    }
  }
}
