-- Product images (seed 002's `product_images`, without the Cloudinary id): each row names a
-- file in the media store by its key; the bytes live there, not here. Rows go with their
-- product (CASCADE); the use case deletes the files.

CREATE TABLE product_images (
    id            BIGINT GENERATED ALWAYS AS IDENTITY,
    product_id    BIGINT       NOT NULL,
    -- Where the media store keeps the file (`products/<id>/<random>.<ext>`); unique, never
    -- reused, so its URL may be cached for ever.
    storage_key   VARCHAR(200) NOT NULL,
    -- Detected from the file's first bytes, not taken from the client.
    content_type  VARCHAR(50)  NOT NULL,
    byte_size     BIGINT       NOT NULL,
    -- Read from the file's header when it has one; null otherwise.
    width         INTEGER,
    height        INTEGER,
    alt_text      VARCHAR(300) NOT NULL DEFAULT '',
    display_order INTEGER      NOT NULL DEFAULT 0,
    is_primary    BOOLEAN      NOT NULL DEFAULT false,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT product_images_pkey PRIMARY KEY (id),
    CONSTRAINT product_images_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE,
    CONSTRAINT product_images_storage_key_key UNIQUE (storage_key),
    CONSTRAINT product_images_content_type_check CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'image/gif')),
    CONSTRAINT product_images_byte_size_check CHECK (byte_size > 0),
    CONSTRAINT product_images_dimensions_check CHECK ((width IS NULL OR width > 0) AND (height IS NULL OR height > 0))
);

-- A product's images in display order (and the foreign key's index).
CREATE INDEX product_images_product_id_idx ON product_images (product_id, display_order, id);
-- At most one primary image per product; also finds it for a product.
CREATE UNIQUE INDEX product_images_one_primary_idx ON product_images (product_id) WHERE is_primary;
