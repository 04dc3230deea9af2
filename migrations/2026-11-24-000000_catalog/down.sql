DROP TABLE products;
DROP TABLE categories;
DROP FUNCTION atelier_product_document(text, jsonb, text[], text, text);
DROP FUNCTION atelier_search_field(text, "char");
DROP FUNCTION atelier_cjk_bigrams(text);
