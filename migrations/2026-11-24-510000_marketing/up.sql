-- Marketing (seed 000's marketing_campaigns and coupons): campaigns with a period in days, and
-- coupons (percentage or fixed discounts) with a validity window, a minimum order amount, usage
-- limits in total and per customer, optionally part of a campaign or one store's own. Each use
-- of a coupon is a redemption row of one order; cancelling an unpaid order deletes it and gives
-- the use back.
--
-- Limits hold under concurrency (invariant 6): a redemption first runs the guarded
-- `UPDATE coupons SET used_count = used_count + 1 WHERE ... used_count < usage_limit`, which
-- also queues redemptions of one coupon behind each other, and the checks below make the
-- database refuse what a bug might still try.

CREATE TABLE marketing_campaigns (
    id          BIGINT GENERATED ALWAYS AS IDENTITY,
    name        VARCHAR(100) NOT NULL,
    description TEXT         NOT NULL DEFAULT '',
    -- Whole days in the deployment's time zone (the `studio.time_zone` setting), both included.
    starts_on   DATE         NOT NULL,
    ends_on     DATE         NOT NULL,
    active      BOOLEAN      NOT NULL DEFAULT true,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT marketing_campaigns_pkey PRIMARY KEY (id),
    CONSTRAINT marketing_campaigns_name_check CHECK (char_length(name) >= 1),
    CONSTRAINT marketing_campaigns_period_check CHECK (ends_on >= starts_on)
);

CREATE TRIGGER marketing_campaigns_set_updated_at
    BEFORE UPDATE ON marketing_campaigns
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();

CREATE TABLE coupons (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY,
    -- What customers type; unique ignoring case, kept as staff wrote it.
    code               CITEXT        NOT NULL,
    description        TEXT          NOT NULL DEFAULT '',
    -- `percentage`: `value` percent of the order's subtotal; `fixed`: `value` off it.
    kind               VARCHAR(20)   NOT NULL,
    value              NUMERIC(12,2) NOT NULL,
    valid_from         TIMESTAMPTZ   NOT NULL DEFAULT now(),
    -- NULL: no end.
    valid_until        TIMESTAMPTZ,
    min_order_amount   NUMERIC(12,2) NOT NULL DEFAULT 0,
    -- NULL: no limit.
    usage_limit        INTEGER,
    per_customer_limit INTEGER,
    used_count         INTEGER       NOT NULL DEFAULT 0,
    campaign_id        BIGINT,
    -- A store's own coupon applies only to that store's order; NULL: any store.
    store_id           BIGINT,
    active             BOOLEAN       NOT NULL DEFAULT true,
    created_at         TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT coupons_pkey PRIMARY KEY (id),
    CONSTRAINT coupons_code_key UNIQUE (code),
    CONSTRAINT coupons_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES marketing_campaigns (id) ON DELETE RESTRICT,
    CONSTRAINT coupons_store_id_fkey FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE RESTRICT,
    CONSTRAINT coupons_code_check CHECK (code ~ '^[A-Za-z0-9_-]{3,50}$'),
    CONSTRAINT coupons_kind_check CHECK (kind IN ('percentage', 'fixed')),
    CONSTRAINT coupons_value_check CHECK (
        (kind = 'percentage' AND value > 0 AND value <= 100) OR (kind = 'fixed' AND value > 0)
    ),
    CONSTRAINT coupons_window_check CHECK (valid_until IS NULL OR valid_until > valid_from),
    CONSTRAINT coupons_min_order_amount_check CHECK (min_order_amount >= 0),
    CONSTRAINT coupons_usage_limit_check CHECK (usage_limit IS NULL OR usage_limit > 0),
    CONSTRAINT coupons_per_customer_limit_check CHECK (per_customer_limit IS NULL OR per_customer_limit > 0),
    CONSTRAINT coupons_used_count_check CHECK (used_count >= 0 AND (usage_limit IS NULL OR used_count <= usage_limit))
);

CREATE INDEX coupons_campaign_id_idx ON coupons (campaign_id, id);
CREATE INDEX coupons_store_id_idx ON coupons (store_id);

CREATE TRIGGER coupons_set_updated_at
    BEFORE UPDATE ON coupons
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();

-- One row per use: history, so RESTRICT. `order_id` names the order the coupon was used on (at
-- most one coupon an order); its foreign key to `orders` comes with orders.
CREATE TABLE coupon_redemptions (
    id          BIGINT GENERATED ALWAYS AS IDENTITY,
    coupon_id   BIGINT        NOT NULL,
    user_id     BIGINT        NOT NULL,
    order_id    BIGINT        NOT NULL,
    discount    NUMERIC(12,2) NOT NULL,
    redeemed_at TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT coupon_redemptions_pkey PRIMARY KEY (id),
    CONSTRAINT coupon_redemptions_order_id_key UNIQUE (order_id),
    CONSTRAINT coupon_redemptions_coupon_id_fkey FOREIGN KEY (coupon_id) REFERENCES coupons (id) ON DELETE RESTRICT,
    CONSTRAINT coupon_redemptions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT coupon_redemptions_discount_check CHECK (discount >= 0)
);

-- A customer's uses of a coupon (the per-customer limit).
CREATE INDEX coupon_redemptions_coupon_user_idx ON coupon_redemptions (coupon_id, user_id);
CREATE INDEX coupon_redemptions_user_id_idx ON coupon_redemptions (user_id);
