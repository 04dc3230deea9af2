-- Stores and what they stock (seeds 004 and 002, with seed 000's inventory): a store (a studio
-- branch, or a seller's shop on the marketplace) is owned by a user, is known by a unique code
-- (the bookstore contract's `store_id`), and keeps, per product, what it holds (`on_hand`), what
-- unpaid orders hold back (`reserved`) and its own price. Every change to those is written to
-- `stock_movements`, the history of who changed what and why.

CREATE TABLE stores (
    id          BIGINT GENERATED ALWAYS AS IDENTITY,
    code        VARCHAR(100) NOT NULL,
    owner_id    BIGINT       NOT NULL,
    name        VARCHAR(100) NOT NULL,
    description TEXT         NOT NULL DEFAULT '',
    status      VARCHAR(20)  NOT NULL DEFAULT 'open',
    -- An IANA zone name (`Asia/Shanghai`): opening hours and shoot slots are local wall time.
    time_zone   VARCHAR(64)  NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    closed_at   TIMESTAMPTZ,
    CONSTRAINT stores_pkey PRIMARY KEY (id),
    CONSTRAINT stores_code_key UNIQUE (code),
    CONSTRAINT stores_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE RESTRICT,
    -- URL-safe: the code is a path segment.
    CONSTRAINT stores_code_check CHECK (code ~ '^[A-Za-z0-9._~-]{1,100}$'),
    CONSTRAINT stores_name_check CHECK (char_length(name) >= 1),
    CONSTRAINT stores_status_check CHECK (status IN ('open', 'closed')),
    CONSTRAINT stores_closed_at_check CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);

CREATE INDEX stores_owner_id_idx ON stores (owner_id, id);

CREATE TRIGGER stores_set_updated_at
    BEFORE UPDATE ON stores
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();

CREATE TABLE store_inventory (
    store_id   BIGINT        NOT NULL,
    product_id BIGINT        NOT NULL,
    on_hand    INTEGER       NOT NULL DEFAULT 0,
    reserved   INTEGER       NOT NULL DEFAULT 0,
    price      NUMERIC(12,2) NOT NULL,
    created_at TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT store_inventory_pkey PRIMARY KEY (store_id, product_id),
    CONSTRAINT store_inventory_store_id_fkey FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE RESTRICT,
    CONSTRAINT store_inventory_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE RESTRICT,
    -- Nothing is promised that is not there: 0 <= reserved <= on_hand.
    CONSTRAINT store_inventory_reserved_check CHECK (reserved >= 0 AND reserved <= on_hand),
    CONSTRAINT store_inventory_price_check CHECK (price >= 0)
);

-- Where a product is stocked (the primary key serves a store's own list).
CREATE INDEX store_inventory_product_id_idx ON store_inventory (product_id, store_id);

CREATE TRIGGER store_inventory_set_updated_at
    BEFORE UPDATE ON store_inventory
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();

-- The history of a store's stock: one row per change, with the quantities and price after it.
-- `reason`: receipt (stock came in), adjustment (a count or loss, with a note), repricing,
-- reservation and release (an order holds and lets go), sale (a held item leaves), return.
CREATE TABLE stock_movements (
    id             BIGINT GENERATED ALWAYS AS IDENTITY,
    store_id       BIGINT        NOT NULL,
    product_id     BIGINT        NOT NULL,
    reason         VARCHAR(20)   NOT NULL,
    on_hand_delta  INTEGER       NOT NULL DEFAULT 0,
    reserved_delta INTEGER       NOT NULL DEFAULT 0,
    on_hand_after  INTEGER       NOT NULL,
    reserved_after INTEGER       NOT NULL,
    price_after    NUMERIC(12,2) NOT NULL,
    note           TEXT          NOT NULL DEFAULT '',
    -- Who made the change; NULL for the system (an order expiring).
    actor_id       BIGINT,
    -- The order behind a reservation, release or sale (orders come with checkout).
    order_id       BIGINT,
    created_at     TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT stock_movements_pkey PRIMARY KEY (id),
    CONSTRAINT stock_movements_inventory_fkey FOREIGN KEY (store_id, product_id) REFERENCES store_inventory (store_id, product_id) ON DELETE RESTRICT,
    CONSTRAINT stock_movements_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT stock_movements_reason_check CHECK (reason IN ('receipt', 'adjustment', 'repricing', 'reservation', 'release', 'sale', 'return')),
    CONSTRAINT stock_movements_delta_check CHECK (on_hand_delta <> 0 OR reserved_delta <> 0 OR reason = 'repricing'),
    CONSTRAINT stock_movements_after_check CHECK (reserved_after >= 0 AND reserved_after <= on_hand_after)
);

CREATE INDEX stock_movements_inventory_idx ON stock_movements (store_id, product_id, id);
CREATE INDEX stock_movements_store_id_idx ON stock_movements (store_id, id);
CREATE INDEX stock_movements_actor_id_idx ON stock_movements (actor_id);
