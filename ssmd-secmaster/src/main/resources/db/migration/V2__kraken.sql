-- Kraken spot pairs, keyed by the v2 symbol (BTC/USD). The v1 names (wsname XBT/USD, altname
-- XBTUSD, the AssetPairs key XXBTZUSD) are kept because REST and older captures use them.
CREATE TABLE kraken_pairs (
    symbol           text        PRIMARY KEY,
    rest_name        text,
    wsname           text,
    altname          text,
    base             text        NOT NULL,
    quote            text        NOT NULL,
    aclass_base      text,
    aclass_quote     text,
    price_precision  integer,
    qty_precision    integer,
    cost_precision   integer,
    lot_multiplier   integer,
    price_increment  numeric,
    qty_increment    numeric,
    ordermin         numeric,
    costmin          numeric,
    tick_size        numeric,
    status           text        NOT NULL,
    marginable       boolean,
    -- leverage_buy/sell, fees, fees_maker, fee_volume_currency, margin_call/stop, position limits:
    -- read rarely, shaped by the venue, so kept as the venue sent them
    margin_fees      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    deleted_at       timestamptz
);

CREATE INDEX kraken_pairs_wsname ON kraken_pairs (wsname);
CREATE INDEX kraken_pairs_live ON kraken_pairs (status) WHERE deleted_at IS NULL;
