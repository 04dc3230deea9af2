-- The foundation every later migration builds on.

-- Case-insensitive text (emails, codes), trigram search (Chinese and partial words), and GiST
-- support for plain columns in exclusion constraints (no double booking).
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Keeps `updated_at` true whatever statement changes a row:
-- `CREATE TRIGGER <table>_set_updated_at BEFORE UPDATE ON <table>
--  FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();`
CREATE FUNCTION atelier_set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

-- Seed 000 `system_settings`. Only values that differ from the defaults declared in
-- `domain::backoffice::settings` are stored.
CREATE TABLE system_settings (
    id            BIGINT GENERATED ALWAYS AS IDENTITY,
    setting_name  VARCHAR(100) NOT NULL,
    setting_value TEXT         NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT system_settings_pkey PRIMARY KEY (id),
    CONSTRAINT system_settings_setting_name_key UNIQUE (setting_name),
    CONSTRAINT system_settings_setting_name_check CHECK (setting_name ~ '^[a-z][a-z0-9_.]*$')
);

CREATE TRIGGER system_settings_set_updated_at
    BEFORE UPDATE ON system_settings
    FOR EACH ROW EXECUTE FUNCTION atelier_set_updated_at();
