package io.ssmd.worker.workflows;

import java.util.List;

/**
 * Result of {@link DataQualityWorkflow}: per-feed grades for one day; stored where {@code ssmd day status} reads it.
 *
 * @param env environment
 * @param date trading day
 * @param grade the worst feed grade (GREEN when there are no feeds)
 * @param feeds per feed
 * @param checkedAt when the check ran (ISO-8601)
 */
public record QualityReport(String env, String date, Quality grade, List<FeedQuality> feeds, String checkedAt) {
  public QualityReport {
    feeds = feeds == null ? List.of() : List.copyOf(feeds);
  }
}
