package io.ssmd.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * Each check catches the mistake it exists for: the production render with one mistake put in
 * is reported, naming the object.
 */
class ManifestChecksMutationTest {
  private static final ExternalSecrets SECRETS = new ExternalSecrets();

  private static Rendered prod() {
    return Rendered.of("overlays/prod");
  }

  private static ObjectNode container(Rendered r, String kind, String name) {
    return (ObjectNode) Kustomize.podTemplate(r.find(kind, name).orElseThrow()).path("spec").path("containers").get(0);
  }

  @Test
  void theUnchangedRenderHasNoProblems() {
    Rendered r = prod();
    assertThat(ManifestChecks.services(r, SECRETS)).isEmpty();
    assertThat(ManifestChecks.probes(r)).isEmpty();
    assertThat(ManifestChecks.security(r)).isEmpty();
    assertThat(ManifestChecks.images(r)).isEmpty();
  }

  @Test
  void aServiceTargetingAPortNoContainerExposesIsReported() {
    Rendered r = prod();
    ObjectNode svc = r.find("Service", "ssmd-gateway").orElseThrow();
    ((ObjectNode) svc.path("spec").path("ports").get(0)).put("targetPort", "websocket");
    assertThat(ManifestChecks.services(r, SECRETS)).singleElement().asString()
        .contains("Service/ssmd-gateway").contains("targetPort websocket");
  }

  @Test
  void aServiceSelectingNoPodIsReported() {
    Rendered r = prod();
    ((ObjectNode) r.find("Service", "ssmd-connector-kraken").orElseThrow().path("spec").path("selector"))
        .put("app", "ssmd-connector-kraken");
    assertThat(ManifestChecks.services(r, SECRETS)).anySatisfy(p -> assertThat(p).contains("matches no pod template"));
  }

  @Test
  void aProbeOnAnUndeclaredPortOrTheWrongEndpointIsReported() {
    Rendered r = prod();
    ObjectNode c = container(r, "Deployment", "ssmd-agent");
    ((ObjectNode) c.path("livenessProbe").path("httpGet")).put("port", 9090);
    // the seed probed readiness on /health: ready then meant only "the process is up"
    ((ObjectNode) c.path("readinessProbe").path("httpGet")).put("path", "/health");
    assertThat(ManifestChecks.probes(r)).hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("livenessProbe port 9090 is not a declared container port"))
        .anySatisfy(p -> assertThat(p).contains("readinessProbe path /health, expected /ready"));
  }

  @Test
  void aContainerWithoutLimitsOrRunningAsRootIsReported() {
    Rendered r = prod();
    ObjectNode c = container(r, "Deployment", "ssmd-worker");
    ((ObjectNode) c.path("resources")).remove("limits");
    ((ObjectNode) c.path("securityContext")).put("runAsUser", 0).put("readOnlyRootFilesystem", false);
    assertThat(ManifestChecks.security(r)).containsExactlyInAnyOrder(
        "Deployment/ssmd-worker worker: no limits.cpu",
        "Deployment/ssmd-worker worker: no limits.memory",
        "Deployment/ssmd-worker worker: runAsUser is unset or root (the image's user would decide)",
        "Deployment/ssmd-worker worker: root filesystem is writable");
  }

  @Test
  void anUntaggedOrLatestImageIsReported() {
    Rendered r = prod();
    container(r, "Deployment", "ssmd-gateway").put("image", "ghcr.io/ssmd/ssmd");
    container(r, "Deployment", "ssmd-agent").put("image", "ghcr.io/ssmd/ssmd:latest");
    assertThat(ManifestChecks.images(r)).containsExactlyInAnyOrder(
        "Deployment/ssmd-gateway: image ghcr.io/ssmd/ssmd has no tag",
        "Deployment/ssmd-agent: image ghcr.io/ssmd/ssmd:latest is :latest");
  }
}
