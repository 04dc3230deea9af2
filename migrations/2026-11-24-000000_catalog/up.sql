-- The catalogue: categories (seed 002: CITEXT name and slug, display order) and products
-- (seeds 000, 002, 004: a global product with a unique SKU, a list price, kind-specific
-- attributes such as a book's author and ISBN, and tags), searchable in English and Chinese.

-- CJK text has no spaces between words, so the default parser takes a whole run of Chinese
-- characters for one word. This turns each run into its overlapping two-character pieces
-- ("撒哈拉的故事" -> "撒哈 哈拉 拉的 的故 故事"), the way CJK search engines index: a query
-- split the same way finds any run that contains it. A one-character run stands for itself.
CREATE FUNCTION atelier_cjk_bigrams(doc text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(
               CASE WHEN char_length(run.text) = 1 THEN run.text ELSE substr(run.text, i, 2) END,
               ' ' ORDER BY run.ord, i), '')
    FROM regexp_matches(doc, '[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+', 'g')
             WITH ORDINALITY AS found(parts, ord)
    CROSS JOIN LATERAL (SELECT found.parts[1] AS text, found.ord) AS run
    CROSS JOIN LATERAL generate_series(1, greatest(char_length(run.text) - 1, 1)) AS i
$$;

-- One field of a search document: English words stemmed (photographs -> photograph) and CJK
-- runs as bigrams, all with the field's weight.
CREATE FUNCTION atelier_search_field(doc text, weight "char") RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('english', coalesce(doc, ''))
                     || to_tsvector('simple', atelier_cjk_bigrams(coalesce(doc, ''))), weight)
$$;

-- The search document of a product. Weights name the fields a search can be scoped to:
-- A the name (a book's title), B the author and translator, C the tags, D the texts.
-- (`array_to_string` is only STABLE in general, but immutable for text[].)
CREATE FUNCTION atelier_product_document(
    name text, attributes jsonb, tags text[], description text, detailed_description text
) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT atelier_search_field(name || ' ' || coalesce(attributes ->> 'original_title', ''), 'A')
        || atelier_search_field(coalesce(attributes ->> 'author', '') || ' '
                                || coalesce(attributes ->> 'translator', ''), 'B')
        || atelier_search_field(array_to_string(tags, ' '), 'C')
        || atelier_search_field(left(description || ' ' || detailed_description || ' '
                                     || coalesce(attributes ->> 'book_intro', '') || ' '
                                     || coalesce(attributes ->> 'content', ''), 100000), 'D')
$$;

CREATE TABLE categories (
    id            BIGINT GENERATED ALWAYS AS IDENTITY,
    name          CITEXT      NOT NULL,
    slug          CITEXT      NOT NULL,
    description   TEXT        NOT NULL DEFAULT '',
    display_order INTEGER     NOT NULL DEFAULT 0,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT categories_pkey PRIMARY KEY (id),
    CONSTRAINT categories_name_key UNIQUE (name),
    CONSTRAINT categories_slug_key UNIQUE (slug),
    CONSTRAINT categories_name_check CHECK (char_length(name) BETWEEN 1 AND 100),
    -- `~` on citext ignores case: compare the text.
    CONSTRAINT categories_slug_check CHECK (slug::text ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length(slug) <= 100)
);

CREATE INDEX categories_display_order_idx ON categories (display_order, id);

CREATE TRIGGER categories_set_updated_at
    BEFORE UPDATE ON categories
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();

CREATE TABLE products (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY,
    -- The business key (the bookstore contract's book id); kept as given.
    sku                  VARCHAR(64)   NOT NULL,
    kind                 VARCHAR(20)   NOT NULL DEFAULT 'goods',
    name                 VARCHAR(200)  NOT NULL,
    description          TEXT          NOT NULL DEFAULT '',
    detailed_description TEXT          NOT NULL DEFAULT '',
    list_price           NUMERIC(12,2) NOT NULL,
    category_id          BIGINT,
    status               VARCHAR(20)   NOT NULL DEFAULT 'active',
    -- What only some kinds have: a book's author, publisher, isbn ...
    attributes           JSONB         NOT NULL DEFAULT '{}',
    tags                 TEXT[]        NOT NULL DEFAULT '{}',
    created_at           TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ   NOT NULL DEFAULT now(),
    search_vector        TSVECTOR      GENERATED ALWAYS AS (
        atelier_product_document(name, attributes, tags, description, detailed_description)
    ) STORED,
    CONSTRAINT products_pkey PRIMARY KEY (id),
    CONSTRAINT products_sku_key UNIQUE (sku),
    CONSTRAINT products_category_id_fkey FOREIGN KEY (category_id) REFERENCES categories (id) ON DELETE RESTRICT,
    CONSTRAINT products_kind_check CHECK (kind IN ('goods', 'book', 'package')),
    CONSTRAINT products_status_check CHECK (status IN ('active', 'archived')),
    CONSTRAINT products_list_price_check CHECK (list_price >= 0),
    CONSTRAINT products_name_check CHECK (char_length(name) >= 1),
    CONSTRAINT products_attributes_check CHECK (jsonb_typeof(attributes) = 'object')
);

-- Seed 000: products by category.
CREATE INDEX products_category_id_idx ON products (category_id, id);
CREATE INDEX products_search_vector_idx ON products USING gin (search_vector);
CREATE INDEX products_tags_idx ON products USING gin (tags);
-- The three browse orders, each with the id as the tie-breaker the cursor needs.
CREATE INDEX products_created_at_idx ON products (created_at, id);
CREATE INDEX products_list_price_idx ON products (list_price, id);
CREATE INDEX products_name_idx ON products (name, id);

CREATE TRIGGER products_set_updated_at
    BEFORE UPDATE ON products
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();
