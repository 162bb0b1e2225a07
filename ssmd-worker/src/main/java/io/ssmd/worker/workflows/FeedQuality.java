package io.ssmd.worker.workflows;

import java.util.List;

/**
 * Data quality of one feed for one day.
 *
 * @param feed feed name
 * @param grade GREEN, YELLOW or RED
 * @param reasons why it is not GREEN (empty when GREEN)
 * @param files archive files of the day
 * @param records records in them per the manifest
 * @param trailingMeanRecords mean records per day over the trailing days that had data (0: none)
 * @param gaps sequence gaps recorded in the manifest
 * @param lastFileEnd end of the last file's time range (ISO-8601), or null when there is no file
 */
public record FeedQuality(
    String feed, Quality grade, List<String> reasons, long files, long records, long trailingMeanRecords, long gaps, String lastFileEnd) {
  public FeedQuality {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
  }
}
