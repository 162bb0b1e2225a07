-- Polymarket reference data from the Gamma REST API: events, markets (one per CTF condition) and
-- the outcome tokens the CLOB WebSocket calls asset ids.
CREATE TABLE polymarket_events (
    event_id     text        PRIMARY KEY,
    ticker       text,
    slug         text,
    title        text,
    description  text,
    start_date   timestamptz,
    end_date     timestamptz,
    active       boolean,
    closed       boolean,
    archived     boolean,
    neg_risk     boolean,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    deleted_at   timestamptz
);

CREATE TABLE polymarket_markets (
    condition_id        text        PRIMARY KEY,
    market_id           text,
    event_id            text,
    question            text,
    slug                text,
    description         text,
    start_date          timestamptz,
    end_date            timestamptz,
    active              boolean,
    closed              boolean,
    archived            boolean,
    accepting_orders    boolean,
    enable_order_book   boolean,
    tick_size           numeric,
    min_order_size      numeric,
    neg_risk            boolean,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    deleted_at          timestamptz
);

CREATE INDEX polymarket_markets_event ON polymarket_markets (event_id);
CREATE INDEX polymarket_markets_slug ON polymarket_markets (slug);
CREATE INDEX polymarket_markets_live ON polymarket_markets (closed) WHERE deleted_at IS NULL;

-- token ids are decimal strings of up to 78 digits: text, never a number
CREATE TABLE polymarket_tokens (
    token_id       text        PRIMARY KEY,
    condition_id   text        NOT NULL,
    outcome        text,
    outcome_index  integer     NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    deleted_at     timestamptz
);

CREATE INDEX polymarket_tokens_market ON polymarket_tokens (condition_id);
