package io.ssmd.worker.workflows;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Input of {@link SecmasterSyncWorkflow}: which Kalshi records to load into the security master.
 *
 * @param env environment name, resolved under the worker's config directory
 * @param mode {@code full} (default), {@code active} (open markets) or {@code series}
 * @param series series tickers, required for {@code series} unless {@code category} or {@code tags} narrow it
 * @param category only series of this category (null: any)
 * @param tags only series with these tags (empty: any)
 * @param minVolume skip markets traded less than this (null: no limit)
 * @param minCloseDaysAgo closed/settled markets only if they closed within this many days (null: all)
 * @param incremental only records updated since the last sync of the same scope (null: false)
 */
public record SecmasterSyncInput(
    String env,
    String mode,
    List<String> series,
    String category,
    List<String> tags,
    BigDecimal minVolume,
    Integer minCloseDaysAgo,
    Boolean incremental) {
  /** Accepted values of {@link #mode()}. */
  public static final Set<String> MODES = Set.of("full", "active", "series");

  public SecmasterSyncInput {
    String t = "SecmasterSyncInput";
    env = Inputs.requireText(t, "env", env, "name an environment under the config directory, e.g. \"kalshi-prod\"");
    mode = mode == null || mode.isBlank() ? "full" : mode.strip().toLowerCase(Locale.ROOT);
    if (!MODES.contains(mode)) {
      throw new IllegalArgumentException(t + ".mode must be one of full, active, series; got '" + mode + "'");
    }
    series = Inputs.textList(t, "series", series);
    tags = Inputs.textList(t, "tags", tags);
    category = category == null || category.isBlank() ? null : category.strip();
    if (mode.equals("series") && series.isEmpty() && category == null && tags.isEmpty()) {
      throw new IllegalArgumentException(t + ".series is required when mode is series (or give category or tags)");
    }
    if (minVolume != null && minVolume.signum() < 0) {
      throw new IllegalArgumentException(t + ".minVolume must be >= 0, got " + minVolume.toPlainString());
    }
    if (minCloseDaysAgo != null && minCloseDaysAgo < 0) {
      throw new IllegalArgumentException(t + ".minCloseDaysAgo must be >= 0 days, got " + minCloseDaysAgo);
    }
    incremental = incremental != null && incremental;
  }

  /** A full sync of one environment. */
  public static SecmasterSyncInput full(String env) {
    return new SecmasterSyncInput(env, "full", List.of(), null, List.of(), null, null, false);
  }
}
