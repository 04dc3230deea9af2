-- A page of search results (`PgProductRepository::search`; `cargo xtask bench search` runs
-- it too). Ranks every match (the order needs it), counts them, then cuts the page after the
-- key. $1/$2 are the English and CJK parts of the query (either may be null), $3/$4 the key,
-- $5 the page size.
WITH query AS (
    SELECT coalesce(to_tsquery('english', $1), ''::tsquery)
           && coalesce(to_tsquery('simple', $2), ''::tsquery) AS q
), matches AS (
    SELECT p.id, p.sku, p.kind, p.name, p.description, p.detailed_description,
           p.list_price, p.category_id, p.status, p.attributes, p.tags,
           p.created_at, p.updated_at,
           ts_rank_cd(p.search_vector, query.q)::real AS rank,
           count(*) OVER () AS total
    FROM products p, query
    WHERE p.search_vector @@ query.q AND p.status = 'active'
)
SELECT * FROM matches
WHERE $3::real IS NULL OR rank < $3 OR (rank = $3 AND id > $4)
ORDER BY rank DESC, id
LIMIT $5
