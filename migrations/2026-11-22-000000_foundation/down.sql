DROP TABLE system_settings;
DROP FUNCTION atelier_set_updated_at();
DROP EXTENSION IF EXISTS btree_gist;
DROP EXTENSION IF EXISTS pg_trgm;
DROP EXTENSION IF EXISTS citext;
