package io.ssmd.sim.kraken;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.NavigableMap;
import java.util.zip.CRC32;

/** Kraken v2 wire formatting shared by the simulator's messages. */
final class Wire {
  /** Kraken v2 timestamps: RFC3339, UTC, microseconds. */
  private static final DateTimeFormatter RFC3339_MICROS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private Wire() {}

  static String now() {
    return RFC3339_MICROS.format(Instant.now().truncatedTo(ChronoUnit.MICROS));
  }

  /**
   * A price or quantity as Kraken puts it on the wire: a JSON number without trailing zeros
   * ({@code 0.566}, {@code 740.0} shows up as {@code 740}), never in exponent form. Clients must
   * re-apply the pair's precision for the checksum, which is the edge case that broke other clients.
   */
  static String num(BigDecimal v) {
    BigDecimal s = v.stripTrailingZeros();
    if (s.scale() < 0) {
      s = s.setScale(0);
    }
    return s.toPlainString();
  }

  static StringBuilder levels(StringBuilder sb, Iterable<Map.Entry<BigDecimal, BigDecimal>> levels) {
    sb.append('[');
    boolean first = true;
    for (Map.Entry<BigDecimal, BigDecimal> e : levels) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append("{\"price\":").append(num(e.getKey())).append(",\"qty\":").append(num(e.getValue())).append('}');
    }
    return sb.append(']');
  }

  /**
   * Kraken v2 book checksum: CRC32 over the top 10 asks (ascending) then the top 10 bids
   * (descending), each level as price then qty formatted with the pair's precision, '.' removed,
   * leading zeros stripped.
   */
  static long checksum(NavigableMap<BigDecimal, BigDecimal> asks, NavigableMap<BigDecimal, BigDecimal> bids, int pricePrecision, int qtyPrecision) {
    StringBuilder sb = new StringBuilder(512);
    appendTop(sb, asks, pricePrecision, qtyPrecision);
    appendTop(sb, bids, pricePrecision, qtyPrecision);
    CRC32 crc = new CRC32();
    crc.update(sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return crc.getValue();
  }

  private static void appendTop(StringBuilder sb, NavigableMap<BigDecimal, BigDecimal> side, int pp, int qp) {
    int n = 0;
    for (Map.Entry<BigDecimal, BigDecimal> e : side.entrySet()) {
      if (n++ == 10) {
        break;
      }
      sb.append(digits(e.getKey().setScale(pp, java.math.RoundingMode.HALF_EVEN)));
      sb.append(digits(e.getValue().setScale(qp, java.math.RoundingMode.HALF_EVEN)));
    }
  }

  private static String digits(BigDecimal v) {
    String s = v.toPlainString().replace(".", "");
    int i = 0;
    while (i < s.length() - 1 && s.charAt(i) == '0') {
      i++;
    }
    return s.substring(i);
  }
}
