-- Payments of orders (seed 002's payment session, seed 004's pay-from-balance): an order is paid
-- in one or more payments, each from the buyer's wallet or through the outside payment provider
-- (a hosted checkout session confirmed by a signed webhook). provider_events remembers every
-- webhook event taken, so a replayed event is refused. The ledger, the stock movements and the
-- coupon redemptions made by orders now point at them.

CREATE TABLE payments (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY,
    order_id            BIGINT        NOT NULL,
    payer_id            BIGINT        NOT NULL,
    method              VARCHAR(20)   NOT NULL,
    status              VARCHAR(20)   NOT NULL,
    amount              NUMERIC(12,2) NOT NULL,
    currency            VARCHAR(3)    NOT NULL,
    refunded_amount     NUMERIC(12,2) NOT NULL DEFAULT 0,
    -- The provider's checkout session, where the buyer pays, and its payment reference.
    provider_session_id TEXT,
    checkout_url        TEXT,
    provider_reference  TEXT,
    created_at          TIMESTAMPTZ   NOT NULL DEFAULT now(),
    completed_at        TIMESTAMPTZ,
    updated_at          TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT payments_pkey PRIMARY KEY (id),
    CONSTRAINT payments_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE RESTRICT,
    CONSTRAINT payments_payer_id_fkey FOREIGN KEY (payer_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT payments_provider_session_id_key UNIQUE (provider_session_id),
    CONSTRAINT payments_method_check CHECK (method IN ('wallet', 'provider')),
    CONSTRAINT payments_status_check CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded')),
    CONSTRAINT payments_amount_check CHECK (amount > 0),
    CONSTRAINT payments_refunded_amount_check CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
    -- A wallet payment is settled at once; only the provider's wait for their webhook.
    CONSTRAINT payments_wallet_check CHECK (method = 'provider' OR (status <> 'pending' AND provider_session_id IS NULL)),
    CONSTRAINT payments_completed_at_check CHECK ((status = 'pending') = (completed_at IS NULL))
);

CREATE INDEX payments_order_id_idx ON payments (order_id, id);
CREATE INDEX payments_payer_id_idx ON payments (payer_id);

CREATE TRIGGER payments_set_updated_at
    BEFORE UPDATE ON payments
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();

CREATE TABLE provider_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY,
    event_id    TEXT        NOT NULL,
    event_type  TEXT        NOT NULL,
    payment_id  BIGINT,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT provider_events_pkey PRIMARY KEY (id),
    CONSTRAINT provider_events_event_id_key UNIQUE (event_id),
    CONSTRAINT provider_events_payment_id_fkey FOREIGN KEY (payment_id) REFERENCES payments (id) ON DELETE RESTRICT
);

CREATE INDEX provider_events_payment_id_idx ON provider_events (payment_id);

-- The coupon an order was placed with, as it was written.
ALTER TABLE orders ADD COLUMN coupon_code TEXT;

-- A store owner gives back what a payout brought when its order is refunded.
ALTER TABLE financial_transactions
    DROP CONSTRAINT financial_transactions_kind_check,
    DROP CONSTRAINT financial_transactions_wallet_kind_check,
    DROP CONSTRAINT financial_transactions_sign_check,
    ADD CONSTRAINT financial_transactions_kind_check CHECK (kind IN ('top_up', 'withdrawal', 'payment', 'payout', 'refund', 'clawback')),
    ADD CONSTRAINT financial_transactions_wallet_kind_check CHECK (wallet_user_id IS NOT NULL OR kind NOT IN ('top_up', 'withdrawal', 'clawback')),
    ADD CONSTRAINT financial_transactions_sign_check CHECK (
        CASE kind
            WHEN 'top_up' THEN amount > 0
            WHEN 'withdrawal' THEN amount < 0
            WHEN 'clawback' THEN amount < 0
            WHEN 'payment' THEN (amount > 0) = (wallet_user_id IS NULL)
            ELSE (amount > 0) = (wallet_user_id IS NOT NULL)
        END
    ),
    ADD CONSTRAINT financial_transactions_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE RESTRICT,
    ADD CONSTRAINT financial_transactions_payment_id_fkey FOREIGN KEY (payment_id) REFERENCES payments (id) ON DELETE RESTRICT;

CREATE INDEX financial_transactions_payment_id_idx ON financial_transactions (payment_id) WHERE payment_id IS NOT NULL;

ALTER TABLE coupon_redemptions
    ADD CONSTRAINT coupon_redemptions_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE RESTRICT;
