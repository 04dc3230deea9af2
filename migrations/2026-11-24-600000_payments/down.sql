ALTER TABLE coupon_redemptions DROP CONSTRAINT coupon_redemptions_order_id_fkey;
DROP INDEX financial_transactions_payment_id_idx;
ALTER TABLE financial_transactions
    DROP CONSTRAINT financial_transactions_payment_id_fkey,
    DROP CONSTRAINT financial_transactions_order_id_fkey,
    DROP CONSTRAINT financial_transactions_sign_check,
    DROP CONSTRAINT financial_transactions_wallet_kind_check,
    DROP CONSTRAINT financial_transactions_kind_check,
    ADD CONSTRAINT financial_transactions_kind_check CHECK (kind IN ('top_up', 'withdrawal', 'payment', 'payout', 'refund')),
    ADD CONSTRAINT financial_transactions_wallet_kind_check CHECK (wallet_user_id IS NOT NULL OR kind NOT IN ('top_up', 'withdrawal')),
    ADD CONSTRAINT financial_transactions_sign_check CHECK (
        CASE kind
            WHEN 'top_up' THEN amount > 0
            WHEN 'withdrawal' THEN amount < 0
            WHEN 'payment' THEN (amount > 0) = (wallet_user_id IS NULL)
            ELSE (amount > 0) = (wallet_user_id IS NOT NULL)
        END
    );
ALTER TABLE orders DROP COLUMN coupon_code;
DROP TABLE provider_events;
DROP TABLE payments;
