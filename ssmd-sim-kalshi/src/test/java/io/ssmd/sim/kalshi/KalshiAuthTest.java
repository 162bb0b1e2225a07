package io.ssmd.sim.kalshi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KalshiAuthTest {

  @Test
  void signsAndVerifiesThePathWithoutQueryString() {
    KalshiAuth.DevKey key = KalshiAuth.generate();
    assertThat(KalshiAuth.message("1703123456789", "GET", "/trade-api/v2/portfolio/orders?limit=5"))
        .isEqualTo("1703123456789GET/trade-api/v2/portfolio/orders");
    String sig = KalshiAuth.sign(key.privateKey(), "1703123456789GET/trade-api/ws/v2");
    assertThat(KalshiAuth.verify(key.publicKey(), "1703123456789GET/trade-api/ws/v2", sig)).isTrue();
    assertThat(KalshiAuth.verify(key.publicKey(), "1703123456780GET/trade-api/ws/v2", sig)).isFalse();
    assertThat(KalshiAuth.verify(key.publicKey(), "1703123456789GET/trade-api/ws/v2", "!!notbase64")).isFalse();
    assertThat(key.toString()).doesNotContain("PRIVATE").contains(key.keyId());
  }

  @Test
  void writesPkcs1AndPkcs8DevKeysAndLoadsThemBack(@TempDir Path dir) throws Exception {
    KalshiAuth.DevKey k1 = KalshiAuth.loadOrGenerate(dir.resolve("a"), true);
    assertThat(Files.readString(dir.resolve("a/private_key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(Files.readString(dir.resolve("a/api_key")).trim()).isEqualTo(k1.keyId()).matches("[0-9a-f-]{36}");
    KalshiAuth.DevKey again = KalshiAuth.loadOrGenerate(dir.resolve("a"), true);
    assertThat(again.keyId()).isEqualTo(k1.keyId());
    assertThat(again.publicKey()).isEqualTo(k1.publicKey());
    String sig = KalshiAuth.sign(again.privateKey(), "m");
    assertThat(KalshiAuth.verify(k1.publicKey(), "m", sig)).isTrue();

    KalshiAuth.DevKey k2 = KalshiAuth.loadOrGenerate(dir.resolve("b"), false);
    assertThat(Files.readString(dir.resolve("b/private_key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(KalshiAuth.loadOrGenerate(dir.resolve("b"), false).privateKey()).isEqualTo(k2.privateKey());
  }

  @Test
  void formatsFixedPointFieldsAsKalshiDoes() {
    assertThat(KalshiSim.dollars(7)).isEqualTo("0.0700");
    assertThat(KalshiSim.dollars(99)).isEqualTo("0.9900");
    assertThat(KalshiSim.count(1050)).isEqualTo("10.50");
    assertThat(KalshiSim.count(-3)).isEqualTo("-0.03");
    assertThat(KalshiSim.oversizeFrame(1000)).hasSize(1000);
  }
}
