package io.ssmd.venue.kraken;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class KrakenBookTest {
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @Test
  void formatsTheDocumentationExample() {
    // docs.kraken.com book checksum guide: price "45285.2" -> "452852", qty "0.00100000" -> "100000"
    assertThat(KrakenBook.format(new BigDecimal("45285.2"), 1)).isEqualTo("452852");
    assertThat(KrakenBook.format(new BigDecimal("0.00100000"), 8)).isEqualTo("100000");
  }

  @Test
  void reappliesPrecisionToNumbersTheWireShortened() {
    // the wire drops trailing zeros: 0.001 and 45290 must be widened to the pair's precision
    assertThat(KrakenBook.format(new BigDecimal("0.001"), 8)).isEqualTo("100000");
    assertThat(KrakenBook.format(new BigDecimal("45290"), 1)).isEqualTo("452900");
    assertThat(KrakenBook.format(new BigDecimal("1E-7"), 7)).isEqualTo("1");
    assertThat(KrakenBook.format(new BigDecimal("740.0"), 8)).isEqualTo("74000000000");
  }

  @Test
  void keepsDigitsBeyondThePrecisionSoTheyMismatchInsteadOfRoundingIntoAgreement() {
    assertThat(KrakenBook.format(new BigDecimal("45285.25"), 1)).isEqualTo("4528525");
  }

  @Test
  void checksumIsCrc32OfAsksAscendingThenBidsDescending() throws Exception {
    KrakenBook b = new KrakenBook(10);
    b.apply(JSON.readTree("{\"bids\":[{\"price\":45283.5,\"qty\":0.5},{\"price\":45284,\"qty\":1}],"
        + "\"asks\":[{\"price\":45286,\"qty\":0.25},{\"price\":45285.2,\"qty\":0.001}]}"));
    CRC32 crc = new CRC32();
    crc.update(("452852100000" + "45286025000000" + "452840100000000" + "45283550000000").getBytes(StandardCharsets.US_ASCII));
    assertThat(b.checksum(1, 8)).isEqualTo(crc.getValue());
  }

  @Test
  void appliesUpdatesInOrderRemovesZeroAndTruncatesToDepth() throws Exception {
    KrakenBook b = new KrakenBook(2);
    b.apply(JSON.readTree("{\"bids\":[{\"price\":10,\"qty\":1},{\"price\":9,\"qty\":1}],\"asks\":[{\"price\":11,\"qty\":1}]}"));
    b.apply(JSON.readTree("{\"bids\":[{\"price\":10.5,\"qty\":2},{\"price\":10.5,\"qty\":3}],\"asks\":[{\"price\":11,\"qty\":0}]}"));
    assertThat(b.bids).containsOnlyKeys(new BigDecimal("10.5"), new BigDecimal("10"));
    assertThat(b.bids.get(new BigDecimal("10.5"))).isEqualByComparingTo("3");
    assertThat(b.asks).isEmpty();
  }
}
