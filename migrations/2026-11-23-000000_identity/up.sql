-- Identity and access: roles with JSON permissions (seed 000), users (seeds 000, 002, 004),
-- password reset tokens and addresses (seed 002), and the outbox of messages to people.
-- Sessions live in Redis.

CREATE TABLE roles (
    id          BIGINT GENERATED ALWAYS AS IDENTITY,
    name        CITEXT      NOT NULL,
    description TEXT        NOT NULL DEFAULT '',
    -- A JSON array of permission names such as "catalog:write".
    permissions JSONB       NOT NULL DEFAULT '[]',
    is_built_in BOOLEAN     NOT NULL DEFAULT false,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT roles_pkey PRIMARY KEY (id),
    CONSTRAINT roles_name_key UNIQUE (name),
    CONSTRAINT roles_name_check CHECK (name ~ '^[a-z][a-z0-9_]{1,49}$'),
    CONSTRAINT roles_permissions_check CHECK (jsonb_typeof(permissions) = 'array')
);

CREATE TRIGGER roles_set_updated_at
    BEFORE UPDATE ON roles
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY,
    -- The bookstore contract's `user_id`; unique ignoring case.
    username      CITEXT       NOT NULL,
    password_hash TEXT         NOT NULL,
    email         CITEXT,
    display_name  VARCHAR(100),
    role_id       BIGINT       NOT NULL,
    -- Seed 004's account status: a disabled account cannot log in and its sessions stop.
    status        VARCHAR(20)  NOT NULL DEFAULT 'active',
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- Set when the account is deleted: the row stays (orders refer to it), anonymised.
    deleted_at    TIMESTAMPTZ,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_username_key UNIQUE (username),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_role_id_fkey FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE RESTRICT,
    CONSTRAINT users_status_check CHECK (status IN ('active', 'disabled')),
    CONSTRAINT users_username_check CHECK (char_length(username) BETWEEN 1 AND 100),
    CONSTRAINT users_email_check CHECK (email IS NULL OR (char_length(email) <= 254 AND position('@' IN email) > 1))
);

CREATE INDEX users_role_id_idx ON users (role_id);

CREATE TRIGGER users_set_updated_at
    BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();

-- Only a hash of each token is kept; a token is live until used or expired.
CREATE TABLE password_reset_tokens (
    id         BIGINT GENERATED ALWAYS AS IDENTITY,
    user_id    BIGINT      NOT NULL,
    token_hash TEXT        NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT password_reset_tokens_pkey PRIMARY KEY (id),
    CONSTRAINT password_reset_tokens_token_hash_key UNIQUE (token_hash),
    CONSTRAINT password_reset_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

-- One unused token per user: requesting a new one replaces the old.
CREATE UNIQUE INDEX password_reset_tokens_one_unused_per_user_key
    ON password_reset_tokens (user_id) WHERE used_at IS NULL;

CREATE TABLE addresses (
    id          BIGINT GENERATED ALWAYS AS IDENTITY,
    user_id     BIGINT       NOT NULL,
    name        VARCHAR(100) NOT NULL,
    phone       VARCHAR(30)  NOT NULL,
    line1       VARCHAR(200) NOT NULL,
    line2       VARCHAR(200),
    city        VARCHAR(100) NOT NULL,
    state       VARCHAR(100),
    postal_code VARCHAR(20),
    -- ISO 3166-1 alpha-2.
    country     CHAR(2)      NOT NULL,
    is_default  BOOLEAN      NOT NULL DEFAULT false,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT addresses_pkey PRIMARY KEY (id),
    CONSTRAINT addresses_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT addresses_country_check CHECK (country ~ '^[A-Z]{2}$')
);

CREATE INDEX addresses_user_id_idx ON addresses (user_id);
-- At most one default address per person.
CREATE UNIQUE INDEX addresses_one_default_per_user_key ON addresses (user_id) WHERE is_default;

CREATE TRIGGER addresses_set_updated_at
    BEFORE UPDATE ON addresses
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();

-- Messages to people (password resets, later order notices), as the default mailer "sends"
-- them: staff can read them, and tests take tokens from them.
CREATE TABLE outbound_messages (
    id         BIGINT GENERATED ALWAYS AS IDENTITY,
    recipient  TEXT        NOT NULL,
    subject    TEXT        NOT NULL,
    body       TEXT        NOT NULL,
    kind       VARCHAR(50) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT outbound_messages_pkey PRIMARY KEY (id)
);

CREATE INDEX outbound_messages_recipient_idx ON outbound_messages (recipient);
