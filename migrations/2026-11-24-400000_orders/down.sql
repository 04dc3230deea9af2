DROP INDEX stock_movements_order_id_idx;
ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_order_id_fkey;
DROP TABLE order_events;
DROP TABLE order_items;
DROP TABLE orders;
DROP SEQUENCE orders_number_seq;
