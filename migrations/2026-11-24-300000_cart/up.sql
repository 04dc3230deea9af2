-- The shopping cart (seed 002's cart_items), one line per person, store and product: a cart may
-- hold the items of several stores (checkout makes one order per store). Lines are disposable:
-- they go with the person, the store or the product.
CREATE TABLE cart_items (
    id         BIGINT GENERATED ALWAYS AS IDENTITY,
    user_id    BIGINT      NOT NULL,
    store_id   BIGINT      NOT NULL,
    product_id BIGINT      NOT NULL,
    quantity   INTEGER     NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT cart_items_pkey PRIMARY KEY (id),
    CONSTRAINT cart_items_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT cart_items_store_id_fkey FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE,
    CONSTRAINT cart_items_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE,
    CONSTRAINT cart_items_line_key UNIQUE (user_id, store_id, product_id),
    CONSTRAINT cart_items_quantity_check CHECK (quantity BETWEEN 1 AND 999)
);

CREATE INDEX cart_items_store_id_idx ON cart_items (store_id);
CREATE INDEX cart_items_product_id_idx ON cart_items (product_id);

CREATE TRIGGER cart_items_set_updated_at
    BEFORE UPDATE ON cart_items
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();
