UPDATE roles SET permissions = permissions - 'staff:manage' WHERE name = 'manager' AND is_built_in;
DROP TABLE shoot_events;
DROP TABLE shoot_staff;
DROP TABLE shoots;
DROP TABLE packages;
ALTER TABLE order_items
    DROP CONSTRAINT order_items_kind_check,
    DROP CONSTRAINT order_items_order_product_key,
    ADD CONSTRAINT order_items_order_product_key UNIQUE (order_id, product_id),
    DROP COLUMN kind;
ALTER TABLE products DROP CONSTRAINT products_id_kind_key;
DROP TABLE time_off;
DROP TABLE working_hours;
DROP TYPE atelier_timerange;
DROP TABLE rooms;
DROP TABLE employees;
DROP TABLE customers;
