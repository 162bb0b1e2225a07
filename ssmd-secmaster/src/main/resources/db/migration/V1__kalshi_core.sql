-- Security master core: Kalshi reference data, the change-event outbox and sync bookkeeping.
-- Every venue table follows the same rules: soft deletes (deleted_at), and updated_at moves only
-- when a tracked column really changed (the upserts carry "WHERE (tracked) IS DISTINCT FROM
-- (excluded tracked)"), so a re-sync with no venue change writes nothing.

create table kalshi_series (
  ticker           text primary key,
  title            text,
  category         text,
  frequency        text,
  tags             text,
  fee_type         text,
  fee_multiplier   numeric,
  contract_url     text,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  deleted_at       timestamptz
);
create index kalshi_series_category on kalshi_series (category);

create table kalshi_events (
  event_ticker             text primary key,
  series_ticker            text,
  title                    text,
  sub_title                text,
  category                 text,
  mutually_exclusive       boolean,
  strike_date              timestamptz,
  fee_type_override        text,
  fee_multiplier_override  numeric,
  created_at               timestamptz not null default now(),
  updated_at               timestamptz not null default now(),
  deleted_at               timestamptz
);
create index kalshi_events_series on kalshi_events (series_ticker);

create table kalshi_markets (
  ticker                 text primary key,
  event_ticker           text not null,
  series_ticker          text,
  market_type            text,
  title                  text,
  yes_sub_title          text,
  no_sub_title           text,
  -- the venue's own status vocabulary (initialized|inactive|active|closed|determined|...)
  venue_status           text,
  -- derived from venue_status and open_time/close_time at sync time: unopened|open|closed|settled.
  -- Kalshi sends no WS event at open_time/close_time, so this is how the change is noticed.
  state                  text not null,
  open_time              timestamptz,
  close_time             timestamptz,
  expiration_time        timestamptz,
  result                 text,
  price_level_structure  text,
  rules_primary          text,
  volume                 numeric,
  open_interest          numeric,
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now(),
  deleted_at             timestamptz
);
create index kalshi_markets_event on kalshi_markets (event_ticker);
create index kalshi_markets_series on kalshi_markets (series_ticker);
create index kalshi_markets_state_close on kalshi_markets (state, close_time);

create table kalshi_fee_changes (
  id               text primary key,
  series_ticker    text not null,
  fee_type         text,
  fee_multiplier   numeric,
  scheduled_ts     timestamptz,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  deleted_at       timestamptz
);
create index kalshi_fee_changes_series on kalshi_fee_changes (series_ticker);

-- Transactional outbox: written in the same transaction as the rows it describes, published to
-- the transport afterwards (published_at), so a crash between the two never loses an event.
create table change_events (
  id            bigserial primary key,
  feed          text not null,
  entity        text not null,
  ticker        text not null,
  kind          text not null,
  fields        text[] not null default '{}',
  payload       jsonb not null,
  created_at    timestamptz not null default now(),
  published_at  timestamptz
);
create index change_events_unpublished on change_events (id) where published_at is null;

-- Last successful sync per feed and scope, the lower bound of the next incremental sync.
create table sync_state (
  feed          text not null,
  scope         text not null,
  last_sync_at  timestamptz not null,
  primary key (feed, scope)
);
