package io.ssmd.secmaster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TokenBucketTest {
  @Test
  @Timeout(10)
  void spendsTheBurstAtOnceThenPacesAtTheRate() throws Exception {
    TokenBucket b = new TokenBucket(20, 5);
    long t0 = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      b.acquire();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(100));
    for (int i = 0; i < 10; i++) {
      b.acquire();
    }
    // ten more tokens at 20/s need about half a second
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
  }
}
