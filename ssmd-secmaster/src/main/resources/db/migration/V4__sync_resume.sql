-- Keys a resumable sync has already received, per run and table. A sync normally keeps these in
-- temporary tables, which die with the connection; a sync that can be resumed on another
-- connection (the worker's retried activity) also writes them here, so the resumed attempt still
-- deduplicates, soft-deletes and re-derives exactly as an uninterrupted sync would. Logged on
-- purpose: an unlogged table is emptied by a crash, and a resume would then soft-delete rows the
-- first attempt saw. A finished run deletes its rows; a fresh run of the same feed and scope
-- deletes the leftovers of abandoned ones.
create table sync_seen (
  run_id  text not null,
  tbl     text not null,
  k       text not null,
  primary key (run_id, tbl, k)
);
