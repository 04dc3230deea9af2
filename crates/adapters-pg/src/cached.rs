//! Statements diesel would prepare anew every time, kept prepared by their SQL text.
//!
//! diesel's statement cache is keyed by a query's type, and refuses the types that can stand
//! for more than one SQL text: every `UPDATE`, every `ON CONFLICT ... DO UPDATE`, every
//! multi-row `INSERT`. Each run of one costs a Parse/Describe round trip and a plan.
//! [`Cached`] gives such a statement no type key, so the cache keys it by its SQL text and bind
//! types (as diesel keys any query without a static type id): the same text is prepared once
//! per connection, and a different text (another changeset, another number of rows) is another
//! statement. Only for statements of a few shapes, since each shape stays prepared on every
//! connection that ran it.

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::QueryResult;

/// `statement`, prepared once per connection and SQL text. See the module.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cached<Q>(Q);

/// `.cached()` on any statement.
pub(crate) trait CacheByText: Sized {
    fn cached(self) -> Cached<Self> {
        Cached(self)
    }
}

impl<Q: QueryFragment<Pg>> CacheByText for Q {}

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Cached<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &Pg) -> QueryResult<bool> {
        Ok(true)
    }
}

impl<Q> QueryId for Cached<Q> {
    type QueryId = ();
    // No type key: the statement cache keys the statement by its SQL text and bind types.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for Cached<Q> {
    type SqlType = Q::SqlType;
}

#[cfg(test)]
mod tests {
    use diesel::pg::Pg;
    use diesel::query_builder::{QueryFragment, QueryId};
    use diesel::{ExpressionMethods, QueryDsl, QueryableByName};

    use super::CacheByText;
    use crate::schema::wallets;

    /// An `UPDATE` run three times through [`super::Cached`] stays prepared on the connection
    /// (one statement in `pg_prepared_statements`); run three more times without it, it is
    /// prepared and closed each time (none left).
    #[tokio::test]
    async fn a_cached_update_stays_prepared_on_its_connection() {
        use diesel::sql_types::Text;
        use diesel_async::RunQueryDsl;

        #[derive(QueryableByName)]
        struct Prepared {
            #[diesel(sql_type = Text)]
            statement: String,
        }

        let db = testkit::TestDatabase::new().await;
        let mut conn = db.connect().await;
        let update = |user: i64| {
            diesel::update(wallets::table.filter(wallets::user_id.eq(user)))
                .set(wallets::balance.eq(wallets::balance + rust_decimal::Decimal::ONE))
        };
        let prepared = async |conn: &mut diesel_async::AsyncPgConnection| {
            diesel::sql_query("SELECT statement FROM pg_prepared_statements")
                .load::<Prepared>(conn)
                .await
                .unwrap()
                .into_iter()
                .filter(|p| p.statement.starts_with("UPDATE \"wallets\""))
                .count()
        };
        for user in 1..=3 {
            update(user).execute(&mut conn).await.unwrap();
        }
        assert_eq!(prepared(&mut conn).await, 0);
        for user in 1..=3 {
            update(user).cached().execute(&mut conn).await.unwrap();
        }
        assert_eq!(prepared(&mut conn).await, 1);
    }

    #[test]
    fn an_update_is_kept_by_its_text() {
        let update = diesel::update(wallets::table.filter(wallets::user_id.eq(1_i64)))
            .set(wallets::balance.eq(wallets::balance + rust_decimal::Decimal::ONE));
        assert!(!update.is_safe_to_cache_prepared(&Pg).unwrap());
        let sql = diesel::debug_query::<Pg, _>(&update).to_string();
        let cached = update.cached();
        assert!(cached.is_safe_to_cache_prepared(&Pg).unwrap());
        assert!(<super::Cached<()> as QueryId>::query_id().is_none());
        assert_eq!(diesel::debug_query::<Pg, _>(&cached).to_string(), sql);
    }
}
