# syntax=docker/dockerfile:1
# The single ssmd image: the command selects the component (see deploy/ and docs/operations.md):
#   docker run ghcr.io/ssmd/ssmd:0.1.0 run connector --env=/etc/ssmd/exchanges/environments/kraken-prod.yaml

# ---- build: the ssmd CLI and its runtime dependencies (ssmd-cli/target/{ssmd-cli.jar,lib/}) ----
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
# poms first: the dependency layer is rebuilt only when a pom changes, not on every source edit
COPY pom.xml ./
COPY ssmd-agent/pom.xml ssmd-agent/
COPY ssmd-archiver/pom.xml ssmd-archiver/
COPY ssmd-bench/pom.xml ssmd-bench/
COPY ssmd-cli/pom.xml ssmd-cli/
COPY ssmd-config/pom.xml ssmd-config/
COPY ssmd-connector/pom.xml ssmd-connector/
COPY ssmd-data/pom.xml ssmd-data/
COPY ssmd-deploy/pom.xml ssmd-deploy/
COPY ssmd-export/pom.xml ssmd-export/
COPY ssmd-gateway/pom.xml ssmd-gateway/
COPY ssmd-market/pom.xml ssmd-market/
COPY ssmd-observability/pom.xml ssmd-observability/
COPY ssmd-secmaster/pom.xml ssmd-secmaster/
COPY ssmd-sim/pom.xml ssmd-sim/
COPY ssmd-sim-kalshi/pom.xml ssmd-sim-kalshi/
COPY ssmd-sim-kraken/pom.xml ssmd-sim-kraken/
COPY ssmd-sim-polymarket/pom.xml ssmd-sim-polymarket/
COPY ssmd-storage/pom.xml ssmd-storage/
COPY ssmd-system-tests/pom.xml ssmd-system-tests/
COPY ssmd-testkit/pom.xml ssmd-testkit/
COPY ssmd-transport/pom.xml ssmd-transport/
COPY ssmd-venue-kalshi/pom.xml ssmd-venue-kalshi/
COPY ssmd-venue-kraken/pom.xml ssmd-venue-kraken/
COPY ssmd-venue-polymarket/pom.xml ssmd-venue-polymarket/
COPY ssmd-worker/pom.xml ssmd-worker/
# warms the dependency cache only: the reactor's own modules are not built yet, so their
# SNAPSHOTs cannot resolve here and the package step below is the one that must succeed
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -ntp -pl ssmd-cli -am dependency:go-offline -DexcludeReactor=true || true
COPY . .
# tests run in CI (.ci/run) before a tag is pushed; the image build only packages
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -ntp -pl ssmd-cli -am package -DskipTests

# ---- runtime: JRE 21, non-root, read-only root filesystem friendly ----
FROM eclipse-temurin:21-jre
# uid/gid 10001 match runAsUser/runAsGroup in deploy/ (ManifestTest, DockerfileTest)
RUN groupadd --system --gid 10001 ssmd \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/ssmd --shell /usr/sbin/nologin ssmd \
 && mkdir -p /var/lib/ssmd /etc/ssmd \
 && chown 10001:10001 /var/lib/ssmd
COPY --from=build /src/ssmd-cli/target/ssmd-cli.jar /opt/ssmd/ssmd-cli.jar
COPY --from=build /src/ssmd-cli/target/lib/ /opt/ssmd/lib/
# the repository's feeds and environments as defaults; in Kubernetes ConfigMaps are mounted over them
COPY exchanges/ /etc/ssmd/exchanges/
USER 10001:10001
WORKDIR /var/lib/ssmd
# 8080: /health /ready /metrics of every component; 9000: gateway WebSocket + REST
EXPOSE 8080 9000
# Heap follows the container memory limit; an OutOfMemoryError exits so Kubernetes restarts the pod
# instead of leaving a half-working JVM. DuckDB (data export/query) loads a native library.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED", \
            "-cp", "/opt/ssmd/ssmd-cli.jar:/opt/ssmd/lib/*", "io.ssmd.cli.Main"]
CMD ["--help"]
