-- Orders (seeds 002, 000 and 004): one order per store, placed at checkout. An order keeps what
-- was bought at the price it was bought at (order_items is a snapshot, never a reference to the
-- current price), where it goes (the shipping address as it was), how long its stock is held
-- (reserved_until), how much of it is paid, and where it is on its way. order_events is the
-- history of every change of status. History is never deleted: RESTRICT everywhere.

-- Order numbers are what people quote: the day it was placed and a running number.
CREATE SEQUENCE orders_number_seq AS BIGINT;

CREATE TABLE orders (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY,
    number             VARCHAR(32)   NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD') || '-' || lpad(nextval('orders_number_seq')::text, 6, '0'),
    user_id            BIGINT        NOT NULL,
    store_id           BIGINT        NOT NULL,
    status             VARCHAR(20)   NOT NULL DEFAULT 'pending_payment',
    currency           VARCHAR(3)    NOT NULL,
    subtotal           NUMERIC(12,2) NOT NULL,
    discount           NUMERIC(12,2) NOT NULL DEFAULT 0,
    total              NUMERIC(12,2) NOT NULL,
    -- What the buyer has paid so far (an order may be paid in parts), and given back.
    paid_amount        NUMERIC(12,2) NOT NULL DEFAULT 0,
    refunded_amount    NUMERIC(12,2) NOT NULL DEFAULT 0,
    -- The buyer's email when the order was placed (seed 002), for receipts.
    email              TEXT,
    shipping_name      TEXT,
    shipping_phone     TEXT,
    shipping_address   JSONB,
    note               TEXT          NOT NULL DEFAULT '',
    -- Whether the order holds stock back (seed 002): exactly while it waits for payment.
    inventory_reserved BOOLEAN       NOT NULL DEFAULT true,
    reserved_until     TIMESTAMPTZ   NOT NULL,
    -- The provider's checkout session of the latest payment started (seed 002 stripe_session_id).
    payment_session_id TEXT,
    carrier            TEXT,
    tracking_number    TEXT,
    tracking_details   JSONB,
    tracking_last_sync TIMESTAMPTZ,
    paid_at            TIMESTAMPTZ,
    shipped_at         TIMESTAMPTZ,
    delivered_at       TIMESTAMPTZ,
    completed_at       TIMESTAMPTZ,
    -- When it was cancelled, expired or refunded.
    closed_at          TIMESTAMPTZ,
    created_at         TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT orders_number_key UNIQUE (number),
    CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT orders_store_id_fkey FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE RESTRICT,
    CONSTRAINT orders_status_check CHECK (status IN ('pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'expired', 'refunded')),
    CONSTRAINT orders_amounts_check CHECK (subtotal >= 0 AND discount >= 0 AND discount <= subtotal AND total = subtotal - discount),
    CONSTRAINT orders_paid_amount_check CHECK (paid_amount >= 0 AND paid_amount <= total),
    CONSTRAINT orders_refunded_amount_check CHECK (refunded_amount >= 0 AND refunded_amount <= paid_amount),
    -- Paid and beyond means paid in full.
    CONSTRAINT orders_paid_in_full_check CHECK (status NOT IN ('paid', 'shipped', 'delivered', 'completed') OR paid_amount = total),
    CONSTRAINT orders_inventory_reserved_check CHECK (inventory_reserved = (status = 'pending_payment')),
    CONSTRAINT orders_shipping_address_check CHECK (shipping_address IS NULL OR jsonb_typeof(shipping_address) = 'object'),
    CONSTRAINT orders_shipment_check CHECK (shipped_at IS NULL OR (carrier IS NOT NULL AND tracking_number IS NOT NULL))
);

-- A buyer's orders and a store's orders, newest first.
CREATE INDEX orders_user_id_idx ON orders (user_id, id DESC);
CREATE INDEX orders_store_id_idx ON orders (store_id, id DESC);
-- The expiry sweeper's work list: only unpaid orders, by the end of their reservation.
CREATE INDEX orders_reserved_until_idx ON orders (reserved_until) WHERE status = 'pending_payment';

CREATE TRIGGER orders_set_updated_at
    BEFORE UPDATE ON orders
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();

CREATE TABLE order_items (
    id           BIGINT GENERATED ALWAYS AS IDENTITY,
    order_id     BIGINT        NOT NULL,
    product_id   BIGINT        NOT NULL,
    -- The product as it was sold.
    sku          TEXT          NOT NULL,
    product_name TEXT          NOT NULL,
    unit_price   NUMERIC(12,2) NOT NULL,
    quantity     INTEGER       NOT NULL,
    line_total   NUMERIC(12,2) NOT NULL,
    CONSTRAINT order_items_pkey PRIMARY KEY (id),
    CONSTRAINT order_items_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE RESTRICT,
    CONSTRAINT order_items_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE RESTRICT,
    CONSTRAINT order_items_order_product_key UNIQUE (order_id, product_id),
    CONSTRAINT order_items_quantity_check CHECK (quantity >= 1),
    CONSTRAINT order_items_line_total_check CHECK (unit_price >= 0 AND line_total = unit_price * quantity)
);

CREATE INDEX order_items_product_id_idx ON order_items (product_id);

-- Every change of an order's status (and every part payment), with who made it.
CREATE TABLE order_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY,
    order_id    BIGINT      NOT NULL,
    action      VARCHAR(20) NOT NULL,
    from_status VARCHAR(20),
    to_status   VARCHAR(20) NOT NULL,
    -- Who did it; NULL for the system (expiry, a provider's webhook).
    actor_id    BIGINT,
    note        TEXT        NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT order_events_pkey PRIMARY KEY (id),
    CONSTRAINT order_events_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE RESTRICT,
    CONSTRAINT order_events_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT order_events_action_check CHECK (action IN ('place', 'part_payment', 'pay', 'ship', 'deliver', 'complete', 'cancel', 'expire')),
    CONSTRAINT order_events_from_status_check CHECK (from_status IS NULL OR from_status IN ('pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'expired', 'refunded')),
    CONSTRAINT order_events_to_status_check CHECK (to_status IN ('pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'expired', 'refunded'))
);

CREATE INDEX order_events_order_id_idx ON order_events (order_id, id);
CREATE INDEX order_events_actor_id_idx ON order_events (actor_id);

-- Stock movements made by orders now point at them.
ALTER TABLE stock_movements
    ADD CONSTRAINT stock_movements_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE RESTRICT;
CREATE INDEX stock_movements_order_id_idx ON stock_movements (order_id) WHERE order_id IS NOT NULL;
