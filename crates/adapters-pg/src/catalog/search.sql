-- A page of search results (`PgProductRepository::search`; `cargo xtask bench search` runs
-- it too). $1/$2 are the English and CJK parts of the query (either may be null), $3/$4 the
-- key of the last result of the previous page, $5 the rows to fetch, $6 the candidate limit,
-- $7 a store to keep to what it stocks (or null).
--
-- The cost of a search grows with the products that match: each one's search document is read
-- and ranked. So only the first $6 + 1 matches found (in storage order, roughly the oldest
-- first) are candidates: ranked, ordered, and counted. Up to $6 matches, that is every match
-- and the total is exact; beyond, the page is the best of the candidates and the total reads
-- "at least $6". Only the ids and ranks of the candidates are kept; the page's rows are read
-- after it is cut.
WITH query AS (
    SELECT coalesce(to_tsquery('english', $1), ''::tsquery)
           && coalesce(to_tsquery('simple', $2), ''::tsquery) AS q
), found AS MATERIALIZED (
    SELECT p.id, ts_rank_cd(p.search_vector, query.q)::real AS rank
    FROM products p, query
    WHERE p.search_vector @@ query.q AND p.status = 'active'
      AND ($7::bigint IS NULL OR EXISTS (
          SELECT 1 FROM store_inventory si WHERE si.store_id = $7 AND si.product_id = p.id))
), candidates AS MATERIALIZED (
    -- The one past the limit only tells that there are more: it is counted, never shown.
    SELECT id, rank, row_number() OVER () AS n FROM found LIMIT $6::bigint + 1
), page AS (
    SELECT id, rank FROM candidates
    WHERE n <= $6 AND ($3::real IS NULL OR rank < $3 OR (rank = $3 AND id > $4))
    ORDER BY rank DESC, id
    LIMIT $5
)
SELECT p.id, p.sku, p.kind, p.name, p.description, p.detailed_description,
       p.list_price, p.category_id, p.status, p.attributes, p.tags,
       (SELECT pi.storage_key FROM product_images pi
        WHERE pi.product_id = p.id AND pi.is_primary) AS primary_image_key,
       p.created_at, p.updated_at, page.rank,
       (SELECT count(*) FROM candidates) AS total
FROM page JOIN products p ON p.id = page.id
ORDER BY page.rank DESC, page.id
