-- Wallets and the ledger (seed 004's `user.balance`, seed 000's `financial_transactions`).
--
-- Money moves only through the ledger: every change of a wallet's balance writes ledger rows in
-- the same transaction, so a wallet's balance always equals the sum of its rows' amounts.
-- The code that writes both is `adapters_pg::finance::ledger::post_in`.

-- A person's balance. A person without a row has 0; the row appears with the first credit.
CREATE TABLE wallets (
    user_id    BIGINT        NOT NULL,
    balance    NUMERIC(12,2) NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT wallets_pkey PRIMARY KEY (user_id),
    CONSTRAINT wallets_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT wallets_balance_check CHECK (balance >= 0)
);

CREATE TRIGGER wallets_set_updated_at
    BEFORE UPDATE ON wallets
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();

-- One row per money movement. `amount` is signed:
-- - a row with a wallet (`wallet_user_id`) changes that wallet's balance by `amount`;
-- - a row without one is money through the outside world (the payment provider, a bank):
--   + coming in, - going out.
-- Which sign a kind takes is fixed (`domain::finance::ledger`): top_up + and withdrawal - (always
-- a wallet); payment - from a wallet or + from the provider; refund and payout + to a wallet or
-- - out to the provider. Wallet rows are always `succeeded`: a wallet changes at once or not at
-- all; `pending` and `failed` are for money still on its way through the provider.
CREATE TABLE financial_transactions (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY,
    kind               VARCHAR(20)   NOT NULL,
    status             VARCHAR(20)   NOT NULL DEFAULT 'succeeded',
    wallet_user_id     BIGINT,
    amount             NUMERIC(12,2) NOT NULL,
    currency           VARCHAR(3)    NOT NULL,
    -- The order and payment a row belongs to (their foreign keys come with those tables).
    order_id           BIGINT,
    payment_id         BIGINT,
    -- The provider's id of the movement (a checkout session, a charge, a refund).
    provider_reference TEXT,
    note               TEXT          NOT NULL DEFAULT '',
    -- Who made it happen; NULL for the system (a webhook, the sweeper).
    actor_id           BIGINT,
    created_at         TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT financial_transactions_pkey PRIMARY KEY (id),
    CONSTRAINT financial_transactions_wallet_user_id_fkey FOREIGN KEY (wallet_user_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT financial_transactions_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT financial_transactions_kind_check CHECK (kind IN ('top_up', 'withdrawal', 'payment', 'payout', 'refund')),
    CONSTRAINT financial_transactions_status_check CHECK (status IN ('succeeded', 'pending', 'failed')),
    CONSTRAINT financial_transactions_amount_check CHECK (amount <> 0),
    CONSTRAINT financial_transactions_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT financial_transactions_wallet_status_check CHECK (wallet_user_id IS NULL OR status = 'succeeded'),
    CONSTRAINT financial_transactions_wallet_kind_check CHECK (wallet_user_id IS NOT NULL OR kind NOT IN ('top_up', 'withdrawal')),
    CONSTRAINT financial_transactions_sign_check CHECK (
        CASE kind
            WHEN 'top_up' THEN amount > 0
            WHEN 'withdrawal' THEN amount < 0
            WHEN 'payment' THEN (amount > 0) = (wallet_user_id IS NULL)
            ELSE (amount > 0) = (wallet_user_id IS NOT NULL)
        END
    )
);

-- A wallet's statement, newest first.
CREATE INDEX financial_transactions_wallet_idx ON financial_transactions (wallet_user_id, created_at DESC, id DESC);
-- The staff listing, newest first.
CREATE INDEX financial_transactions_created_at_idx ON financial_transactions (created_at DESC, id DESC);
CREATE INDEX financial_transactions_order_id_idx ON financial_transactions (order_id);
CREATE INDEX financial_transactions_actor_id_idx ON financial_transactions (actor_id);
