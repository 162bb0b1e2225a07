package io.ssmd.worker.internal;

import io.ssmd.worker.workflows.DayInput;
import io.ssmd.worker.workflows.DayStep;
import io.ssmd.worker.workflows.QualityReport;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The steps of the day workflows. */
@ActivityInterface
public interface DayActivities {
  /** Loads the environment and resolves the date (today in its timezone when the input has none). */
  @ActivityMethod(name = "ResolveDay")
  DayContext resolveDay(DayInput input);

  /** Creates or updates the feed's JetStream stream (SKIPPED on the memory transport). */
  @ActivityMethod(name = "ApplyStreams")
  DayStep applyStreams(DayContext day);

  /** Migrates the security-master schema (Flyway). */
  @ActivityMethod(name = "ApplySchema")
  DayStep applySchema(DayContext day);

  /** Polls the /ready URLs of the environment's components until all are ready, heartbeating. */
  @ActivityMethod(name = "AwaitReady")
  DayStep awaitReady(DayContext day);

  /** Checks the day's archive files against the manifest (presence, size, SHA-256, line count). */
  @ActivityMethod(name = "VerifyArchive")
  ArchiveCheck verifyArchive(DayContext day);

  /** Uploads the day's files and manifest to the raw bucket, verified (SKIPPED with local storage). */
  @ActivityMethod(name = "UploadArchive")
  DayStep upload(DayContext day);

  /** Exports the day to Parquet (and uploads it to the normalized bucket with S3 storage). */
  @ActivityMethod(name = "ExportParquet")
  DayStep exportParquet(DayContext day);

  /** Grades the day's feed and stores the report. */
  @ActivityMethod(name = "CheckQuality")
  QualityReport checkQuality(DayContext day);

  /**
   * Records that a day workflow ({@code DayStart} or {@code DayEnd}) of the environment finished,
   * for the {@code ssmd_worker_day_status_age_seconds} gauge (alert DayStatusStale).
   */
  @ActivityMethod(name = "RecordDay")
  void recordDay(DayContext day, String workflow, boolean ok);
}
