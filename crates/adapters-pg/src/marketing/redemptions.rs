//! Taking and giving back a coupon's use, inside the caller's transaction.
//!
//! Redeeming first takes a use with one guarded statement
//! (`used_count = used_count + 1 WHERE active AND used_count < usage_limit`): at most
//! `usage_limit` such statements ever succeed, and the row lock it takes makes every other
//! redemption of the coupon wait until this transaction ends. Only then does it count the
//! customer's uses, so that count is exact under READ COMMITTED (each statement sees what
//! committed before it), and writes the redemption row, unique per order.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::BigInt;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::identity::user::UserId;
use domain::money::Money;

use crate::schema::{coupon_redemptions, coupons};

/// Why [`redeem_in`] took no use. The caller must roll its transaction back: after
/// `CustomerLimitReached` a use was taken, and after `OrderHasCoupon` or `Db` the transaction
/// is aborted.
#[derive(Debug, thiserror::Error)]
pub enum RedeemError {
    /// Every use is taken.
    #[error("the coupon has no uses left")]
    Exhausted,
    /// The coupon was switched off or deleted.
    #[error("the coupon is not active")]
    Inactive,
    #[error("the customer has used the coupon as often as one customer may")]
    CustomerLimitReached,
    /// A redemption exists for this order already.
    #[error("the order has a coupon already")]
    OrderHasCoupon,
    #[error(transparent)]
    Db(#[from] DieselError),
}

/// Records that `user` used coupon `coupon_id` on order `order_id`, taking `discount` off, and
/// takes one of its uses; within the caller's transaction (READ COMMITTED, the default).
pub async fn redeem_in(
    conn: &mut AsyncPgConnection,
    coupon_id: i64,
    user: UserId,
    order_id: i64,
    discount: Money,
) -> Result<(), RedeemError> {
    let taken: Option<Option<i32>> = diesel::update(
        coupons::table
            .filter(coupons::id.eq(coupon_id))
            .filter(coupons::active)
            .filter(
                coupons::usage_limit
                    .is_null()
                    .or(coupons::used_count.nullable().lt(coupons::usage_limit)),
            ),
    )
    .set(coupons::used_count.eq(coupons::used_count + 1))
    .returning(coupons::per_customer_limit)
    .get_result(conn)
    .await
    .optional()?;
    let Some(per_customer_limit) = taken else {
        let active: Option<bool> = coupons::table
            .find(coupon_id)
            .select(coupons::active)
            .first(conn)
            .await
            .optional()?;
        return Err(if active == Some(true) {
            RedeemError::Exhausted
        } else {
            RedeemError::Inactive
        });
    };
    if let Some(limit) = per_customer_limit {
        let uses: i64 = coupon_redemptions::table
            .filter(coupon_redemptions::coupon_id.eq(coupon_id))
            .filter(coupon_redemptions::user_id.eq(user))
            .count()
            .get_result(conn)
            .await?;
        if uses >= i64::from(limit) {
            return Err(RedeemError::CustomerLimitReached);
        }
    }
    diesel::insert_into(coupon_redemptions::table)
        .values((
            coupon_redemptions::coupon_id.eq(coupon_id),
            coupon_redemptions::user_id.eq(user),
            coupon_redemptions::order_id.eq(order_id),
            coupon_redemptions::discount.eq(discount.amount()),
        ))
        .execute(conn)
        .await
        .map_err(|error| match &error {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info)
                if info.constraint_name() == Some("coupon_redemptions_order_id_key") =>
            {
                RedeemError::OrderHasCoupon
            }
            _ => RedeemError::Db(error),
        })?;
    Ok(())
}

/// Gives back the use of order `order_id`'s coupon, if it had one (deletes the redemption and
/// takes one off the coupon's `used_count`), within the caller's transaction: for an order
/// cancelled or expired before it was paid. `false` when the order had no coupon.
pub async fn release_in(mut conn: &AsyncPgConnection, order_id: i64) -> Result<bool, DieselError> {
    let released = diesel::sql_query(
        "WITH released AS (
             DELETE FROM coupon_redemptions WHERE order_id = $1 RETURNING coupon_id
         )
         UPDATE coupons SET used_count = used_count - 1
         FROM released WHERE coupons.id = released.coupon_id",
    )
    .bind::<BigInt, _>(order_id)
    .execute(&mut conn)
    .await?;
    Ok(released > 0)
}
