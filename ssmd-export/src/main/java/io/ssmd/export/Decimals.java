package io.ssmd.export;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** BigDecimal to the unscaled BIGINT of a {@code DECIMAL(18,8)}, exactly or not at all. */
final class Decimals {
  private static final long MAX_UNSCALED = 999_999_999_999_999_999L;

  private Decimals() {}

  /** Why {@code v} does not fit {@code DECIMAL(18,8)}: a rejection reason, or null when it fits. */
  static String misfit(BigDecimal v) {
    if (v == null) {
      return null;
    }
    BigDecimal s;
    try {
      s = v.setScale(ExportKind.SCALE, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      return "precision";
    }
    if (s.precision() > 18) {
      return "out_of_range";
    }
    return null;
  }

  /** The unscaled value at scale 8; call only after {@link #misfit} said it fits. */
  static long unscaled(BigDecimal v) {
    long u = v.setScale(ExportKind.SCALE, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
    if (u > MAX_UNSCALED || u < -MAX_UNSCALED) {
      throw new ArithmeticException("does not fit DECIMAL(18,8): " + v.toPlainString());
    }
    return u;
  }
}
