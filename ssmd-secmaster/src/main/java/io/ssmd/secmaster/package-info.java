/**
 * Security master: venue reference data in PostgreSQL, with change events.
 *
 * <ul>
 *   <li>{@link io.ssmd.secmaster.Database} opens a real PostgreSQL (JDBC URL) or an {@link
 *       io.ssmd.secmaster.EmbeddedDatabase} and migrates it (Flyway, {@code db/migration}).
 *   <li>{@link io.ssmd.secmaster.KalshiSync} pulls Kalshi series, events, markets and fee changes
 *       through {@link io.ssmd.secmaster.KalshiRestClient} (cursor paging, token bucket, retries),
 *       upserts them so that only real changes write, and returns a {@link io.ssmd.secmaster.SyncReport}.
 *   <li>Every change lands in the {@code change_events} outbox in the same transaction; {@link
 *       io.ssmd.secmaster.ChangeOutbox} reads it and publishes it on {@code {env}.secmaster.changes.{feed}}.
 *   <li>{@link io.ssmd.secmaster.SecurityMaster} answers the CLI's {@code list} and {@code show}.
 * </ul>
 *
 * <p>Table rules shared by every venue: soft deletes ({@code deleted_at}); {@code updated_at} moves
 * only when a tracked column changed ({@code ON CONFLICT DO UPDATE ... WHERE (tracked) IS DISTINCT
 * FROM (excluded)}), so a re-sync with no venue change writes zero rows.
 */
package io.ssmd.secmaster;
