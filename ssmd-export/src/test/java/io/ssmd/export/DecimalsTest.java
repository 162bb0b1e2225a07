package io.ssmd.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class DecimalsTest {
  @Test
  void valuesThatFitBecomeTheirUnscaledValueAtScaleEight() {
    assertThat(Decimals.misfit(new BigDecimal("0.1200"))).isNull();
    assertThat(Decimals.unscaled(new BigDecimal("0.1200"))).isEqualTo(12_000_000L);
    assertThat(Decimals.unscaled(new BigDecimal("-45283.5"))).isEqualTo(-4_528_350_000_000L);
    assertThat(Decimals.unscaled(new BigDecimal("1E+3"))).isEqualTo(100_000_000_000L);
    assertThat(Decimals.unscaled(new BigDecimal("0.123456780000"))).isEqualTo(12_345_678L); // zeros past the 8th digit are exact
    assertThat(Decimals.unscaled(new BigDecimal("9999999999.99999999"))).isEqualTo(999_999_999_999_999_999L);
  }

  @Test
  void valuesThatDoNotFitAreNamedNeverRounded() {
    assertThat(Decimals.misfit(new BigDecimal("0.123456789"))).isEqualTo("precision");
    assertThat(Decimals.misfit(new BigDecimal("10000000000"))).isEqualTo("out_of_range");
    assertThat(Decimals.misfit(new BigDecimal("-10000000000.5"))).isEqualTo("out_of_range");
    assertThat(Decimals.misfit(null)).isNull();
    assertThatThrownBy(() -> Decimals.unscaled(new BigDecimal("0.123456789"))).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void kindsAreNamedAsTheNormalizedEvents() {
    assertThat(ExportKind.of("book_snapshot")).isEqualTo(ExportKind.BOOK_SNAPSHOT);
    assertThat(ExportKind.BOOK_DELTA.fileName()).isEqualTo("book_delta.parquet");
    assertThatThrownBy(() -> ExportKind.of("ticker")).hasMessageContaining("unknown normalized kind 'ticker'");
  }
}
