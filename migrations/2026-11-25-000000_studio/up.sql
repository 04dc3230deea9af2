-- The studio (seed 000): customers, employees, rooms, when people work, packages (套系) and
-- shoots (seed 000 `photo_tasks`) with the people and room they book.
--
-- No double booking (invariant 7) is the database's to enforce: a room's active shoots may not
-- overlap (an exclusion constraint on `shoots`), and neither may a person's (one on
-- `shoot_staff`, which carries its shoot's time and state through a foreign key that cascades,
-- so moving or cancelling a shoot moves or frees its people in the same statement).

-- Seed 000 `customers`, with what a studio's CRM keeps besides. A customer is a person the
-- studio serves; they may or may not have an online account (`user_id`).
CREATE TABLE customers (
    id          BIGINT GENERATED ALWAYS AS IDENTITY,
    -- Given name and family name (张三: first_name 三, last_name 张).
    first_name  VARCHAR(50)  NOT NULL,
    last_name   VARCHAR(50)  NOT NULL DEFAULT '',
    email       CITEXT,
    phone       VARCHAR(20),
    birthday    DATE,
    -- A wedding or other date the studio remembers.
    anniversary DATE,
    lead_source VARCHAR(20),
    notes       TEXT         NOT NULL DEFAULT '',
    user_id     BIGINT,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- The name as a person searches for it: family name first (张三), then given name first.
    search_name TEXT         GENERATED ALWAYS AS (last_name || first_name || ' ' || first_name || ' ' || last_name) STORED,
    CONSTRAINT customers_pkey PRIMARY KEY (id),
    CONSTRAINT customers_email_key UNIQUE (email),
    CONSTRAINT customers_phone_key UNIQUE (phone),
    CONSTRAINT customers_user_id_key UNIQUE (user_id),
    -- An account that goes away leaves the customer, unlinked.
    CONSTRAINT customers_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT customers_first_name_check CHECK (char_length(first_name) >= 1),
    CONSTRAINT customers_contact_check CHECK (email IS NOT NULL OR phone IS NOT NULL),
    CONSTRAINT customers_lead_source_check CHECK (lead_source IN ('walk_in', 'referral', 'website', 'social_media', 'partner', 'advertising', 'event', 'other'))
);

-- Seed 000: customers by email and by phone (the unique constraints' indexes), and partial
-- matches on name, phone and email (trigrams; C.UTF-8 makes Chinese characters letters).
CREATE INDEX customers_search_name_trgm_idx ON customers USING gin (search_name gin_trgm_ops);
CREATE INDEX customers_phone_trgm_idx ON customers USING gin (phone gin_trgm_ops);
CREATE INDEX customers_email_trgm_idx ON customers USING gin ((email::text) gin_trgm_ops);
CREATE INDEX customers_created_at_idx ON customers (created_at, id);

CREATE TRIGGER customers_set_updated_at
    BEFORE UPDATE ON customers
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();

-- Seed 000 `employees`: who works at which store, as what; linked to the account they sign in
-- with, whose role says what they may do.
CREATE TABLE employees (
    id         BIGINT GENERATED ALWAYS AS IDENTITY,
    store_id   BIGINT       NOT NULL,
    first_name VARCHAR(50)  NOT NULL,
    last_name  VARCHAR(50)  NOT NULL DEFAULT '',
    position   VARCHAR(20)  NOT NULL,
    email      CITEXT,
    phone      VARCHAR(20),
    active     BOOLEAN      NOT NULL DEFAULT true,
    user_id    BIGINT,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT employees_pkey PRIMARY KEY (id),
    CONSTRAINT employees_user_id_key UNIQUE (user_id),
    CONSTRAINT employees_store_id_fkey FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE RESTRICT,
    CONSTRAINT employees_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT employees_first_name_check CHECK (char_length(first_name) >= 1),
    CONSTRAINT employees_position_check CHECK (position IN ('photographer', 'makeup_artist', 'retoucher', 'front_desk', 'sales', 'manager'))
);

CREATE INDEX employees_store_id_idx ON employees (store_id, position, id);

CREATE TRIGGER employees_set_updated_at
    BEFORE UPDATE ON employees
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();

-- A store's shooting rooms (studios, sets).
CREATE TABLE rooms (
    id         BIGINT GENERATED ALWAYS AS IDENTITY,
    store_id   BIGINT       NOT NULL,
    name       VARCHAR(100) NOT NULL,
    active     BOOLEAN      NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT rooms_pkey PRIMARY KEY (id),
    CONSTRAINT rooms_store_id_name_key UNIQUE (store_id, name),
    CONSTRAINT rooms_store_id_fkey FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE RESTRICT,
    CONSTRAINT rooms_name_check CHECK (char_length(name) >= 1)
);

CREATE TRIGGER rooms_set_updated_at
    BEFORE UPDATE ON rooms
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();

-- Times of day, for a person's working periods.
CREATE TYPE atelier_timerange AS RANGE (subtype = time);

-- When a person works, week by week, in their store's local wall time: one row per period of
-- a weekday (ISO: 1 is Monday). Breaks are the gaps between a day's periods, which may not
-- overlap.
CREATE TABLE working_hours (
    id          BIGINT GENERATED ALWAYS AS IDENTITY,
    employee_id BIGINT      NOT NULL,
    weekday     SMALLINT    NOT NULL,
    starts_at   TIME        NOT NULL,
    ends_at     TIME        NOT NULL,
    CONSTRAINT working_hours_pkey PRIMARY KEY (id),
    CONSTRAINT working_hours_employee_id_fkey FOREIGN KEY (employee_id) REFERENCES employees (id) ON DELETE CASCADE,
    CONSTRAINT working_hours_weekday_check CHECK (weekday BETWEEN 1 AND 7),
    CONSTRAINT working_hours_period_check CHECK (starts_at < ends_at),
    CONSTRAINT working_hours_no_overlap EXCLUDE USING gist (
        employee_id WITH =, weekday WITH =, atelier_timerange(starts_at, ends_at) WITH &&
    )
);

-- Time a person is away (leave, sickness) or a room is closed (repairs): exactly one of the
-- two per row.
CREATE TABLE time_off (
    id          BIGINT GENERATED ALWAYS AS IDENTITY,
    employee_id BIGINT,
    room_id     BIGINT,
    starts_at   TIMESTAMPTZ NOT NULL,
    ends_at     TIMESTAMPTZ NOT NULL,
    reason      TEXT        NOT NULL DEFAULT '',
    created_by  BIGINT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT time_off_pkey PRIMARY KEY (id),
    CONSTRAINT time_off_employee_id_fkey FOREIGN KEY (employee_id) REFERENCES employees (id) ON DELETE CASCADE,
    CONSTRAINT time_off_room_id_fkey FOREIGN KEY (room_id) REFERENCES rooms (id) ON DELETE CASCADE,
    CONSTRAINT time_off_created_by_fkey FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT time_off_resource_check CHECK (num_nonnulls(employee_id, room_id) = 1),
    CONSTRAINT time_off_period_check CHECK (starts_at < ends_at)
);

CREATE INDEX time_off_employee_id_idx ON time_off USING gist (employee_id, tstzrange(starts_at, ends_at));
CREATE INDEX time_off_room_id_idx ON time_off USING gist (room_id, tstzrange(starts_at, ends_at));

-- A package (套系) is a product of kind `package`; this is what it includes. The pair
-- (product_id, kind) refers to products, so only a package can have a row here.
ALTER TABLE products ADD CONSTRAINT products_id_kind_key UNIQUE (id, kind);

CREATE TABLE packages (
    product_id        BIGINT        NOT NULL,
    kind              VARCHAR(20)   NOT NULL DEFAULT 'package',
    -- How long its shoot takes.
    shoot_minutes     INTEGER       NOT NULL,
    -- Outfits and make-ups (造型).
    looks             INTEGER       NOT NULL DEFAULT 1,
    -- Retouched photos included: the customer selects up to this many at no extra cost.
    retouched_photos  INTEGER       NOT NULL DEFAULT 0,
    prints            INTEGER       NOT NULL DEFAULT 0,
    albums            INTEGER       NOT NULL DEFAULT 0,
    -- What each photo selected beyond the allowance costs.
    extra_photo_price NUMERIC(12,2) NOT NULL DEFAULT 0,
    -- Paid at booking (订金); the rest (尾款) at pickup.
    deposit           NUMERIC(12,2) NOT NULL DEFAULT 0,
    created_at        TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT packages_pkey PRIMARY KEY (product_id),
    CONSTRAINT packages_product_fkey FOREIGN KEY (product_id, kind) REFERENCES products (id, kind) ON DELETE CASCADE ON UPDATE RESTRICT,
    CONSTRAINT packages_kind_check CHECK (kind = 'package'),
    CONSTRAINT packages_shoot_minutes_check CHECK (shoot_minutes BETWEEN 1 AND 960),
    CONSTRAINT packages_counts_check CHECK (looks >= 0 AND retouched_photos >= 0 AND prints >= 0 AND albums >= 0),
    CONSTRAINT packages_amounts_check CHECK (extra_photo_price >= 0 AND deposit >= 0)
);

CREATE TRIGGER packages_set_updated_at
    BEFORE UPDATE ON packages
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();

-- The photos a customer selects beyond their package's allowance become a line of the package's
-- order (`kind` extra_photos, of the package product beside its own line); such a line holds no
-- stock.
ALTER TABLE order_items
    ADD COLUMN kind VARCHAR(20) NOT NULL DEFAULT 'product',
    DROP CONSTRAINT order_items_order_product_key,
    ADD CONSTRAINT order_items_order_product_key UNIQUE (order_id, product_id, kind),
    ADD CONSTRAINT order_items_kind_check CHECK (kind IN ('product', 'extra_photos'));

-- Seed 000 `photo_tasks`: a shoot for a customer at a store, maybe for a package order, and
-- where it is in the studio's workflow. `during` and `active` are derived so that the
-- exclusion constraints can use them: a cancelled shoot or a no-show holds no time.
CREATE TABLE shoots (
    id                BIGINT GENERATED ALWAYS AS IDENTITY,
    customer_id       BIGINT        NOT NULL,
    store_id          BIGINT        NOT NULL,
    order_id          BIGINT,
    -- The package it was booked for, with what it allowed then.
    package_id        BIGINT,
    photos_included   INTEGER,
    extra_photo_price NUMERIC(12,2),
    room_id           BIGINT,
    -- Who retouches (not booked for the shoot's time).
    retoucher_id      BIGINT,
    starts_at         TIMESTAMPTZ   NOT NULL,
    ends_at           TIMESTAMPTZ   NOT NULL,
    stage             VARCHAR(20)   NOT NULL DEFAULT 'booked',
    -- How many photos the customer chose (选片), and what beyond the allowance cost.
    photos_selected   INTEGER,
    extra_photos      INTEGER       NOT NULL DEFAULT 0,
    notes             TEXT          NOT NULL DEFAULT '',
    created_by        BIGINT,
    created_at        TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ   NOT NULL DEFAULT now(),
    during            TSTZRANGE     GENERATED ALWAYS AS (tstzrange(starts_at, ends_at)) STORED,
    active            BOOLEAN       GENERATED ALWAYS AS (stage NOT IN ('cancelled', 'no_show')) STORED,
    CONSTRAINT shoots_pkey PRIMARY KEY (id),
    -- What shoot_staff refers to, so a shoot's time and state reach its people.
    CONSTRAINT shoots_id_during_active_key UNIQUE (id, during, active),
    CONSTRAINT shoots_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE RESTRICT,
    CONSTRAINT shoots_store_id_fkey FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE RESTRICT,
    CONSTRAINT shoots_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE RESTRICT,
    CONSTRAINT shoots_package_id_fkey FOREIGN KEY (package_id) REFERENCES packages (product_id) ON DELETE RESTRICT,
    CONSTRAINT shoots_room_id_fkey FOREIGN KEY (room_id) REFERENCES rooms (id) ON DELETE RESTRICT,
    CONSTRAINT shoots_retoucher_id_fkey FOREIGN KEY (retoucher_id) REFERENCES employees (id) ON DELETE RESTRICT,
    CONSTRAINT shoots_created_by_fkey FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT shoots_period_check CHECK (starts_at < ends_at),
    CONSTRAINT shoots_stage_check CHECK (stage IN ('booked', 'confirmed', 'shot', 'selecting', 'retouching', 'proofing', 'ready_for_pickup', 'completed', 'cancelled', 'no_show')),
    CONSTRAINT shoots_package_check CHECK ((package_id IS NULL) = (photos_included IS NULL) AND (package_id IS NULL) = (extra_photo_price IS NULL)),
    CONSTRAINT shoots_photos_check CHECK (photos_selected >= 0 AND extra_photos >= 0),
    CONSTRAINT shoots_room_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&) WHERE (active)
);

-- Seed 000: a customer's shoots; a store's board by time; an order's shoots.
CREATE INDEX shoots_customer_id_idx ON shoots (customer_id, starts_at);
CREATE INDEX shoots_store_id_idx ON shoots (store_id, starts_at);
CREATE INDEX shoots_order_id_idx ON shoots (order_id);
CREATE INDEX shoots_retoucher_id_idx ON shoots (retoucher_id);

CREATE TRIGGER shoots_set_updated_at
    BEFORE UPDATE ON shoots
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();

-- The people booked for a shoot (seed 000 `assigned_to`), each for the shoot's whole time.
CREATE TABLE shoot_staff (
    shoot_id    BIGINT      NOT NULL,
    employee_id BIGINT      NOT NULL,
    -- What they do in this shoot.
    position    VARCHAR(20) NOT NULL,
    during      TSTZRANGE   NOT NULL,
    active      BOOLEAN     NOT NULL,
    CONSTRAINT shoot_staff_pkey PRIMARY KEY (shoot_id, employee_id),
    CONSTRAINT shoot_staff_shoot_fkey FOREIGN KEY (shoot_id, during, active) REFERENCES shoots (id, during, active) ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT shoot_staff_employee_id_fkey FOREIGN KEY (employee_id) REFERENCES employees (id) ON DELETE RESTRICT,
    CONSTRAINT shoot_staff_position_check CHECK (position IN ('photographer', 'makeup_artist', 'retoucher', 'front_desk', 'sales', 'manager')),
    CONSTRAINT shoot_staff_no_overlap EXCLUDE USING gist (employee_id WITH =, during WITH &&) WHERE (active)
);

-- Seed 000: the shoots assigned to a person.
CREATE INDEX shoot_staff_employee_id_idx ON shoot_staff (employee_id, shoot_id);

-- The history of a shoot: booking, every change of stage, moves, and the selection, with who
-- made the change.
CREATE TABLE shoot_events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY,
    shoot_id   BIGINT      NOT NULL,
    kind       VARCHAR(20) NOT NULL,
    from_stage VARCHAR(20),
    to_stage   VARCHAR(20),
    details    JSONB       NOT NULL DEFAULT '{}',
    actor_id   BIGINT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT shoot_events_pkey PRIMARY KEY (id),
    CONSTRAINT shoot_events_shoot_id_fkey FOREIGN KEY (shoot_id) REFERENCES shoots (id) ON DELETE RESTRICT,
    CONSTRAINT shoot_events_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT shoot_events_kind_check CHECK (kind IN ('booked', 'stage', 'rescheduled', 'selection', 'staffing')),
    CONSTRAINT shoot_events_details_check CHECK (jsonb_typeof(details) = 'object')
);

CREATE INDEX shoot_events_shoot_id_idx ON shoot_events (shoot_id, id);

-- Managers of a deployment made before this migration get the new `staff:manage` permission,
-- as new deployments' managers do (built-in roles are created at startup when missing).
UPDATE roles SET permissions = permissions || '["staff:manage"]'::jsonb
WHERE name = 'manager' AND is_built_in AND NOT permissions ? 'staff:manage';
