//! Checkout and orders: placing them, reading them, moving them along.

use chrono::Duration;
use domain::Invalid;
use domain::catalog::product::ProductId;
use domain::identity::address::{AddressFields, RawAddress};
use domain::identity::permission::Permission;
use domain::identity::user::Principal;
use domain::money::Money;
use domain::ordering::cart::CartQuantity;
use domain::ordering::checkout::{self, WantedLine};
use domain::ordering::order::{
    Order, OrderAction, OrderEvent, OrderId, OrderStatus, parse_shipment_field,
};
use domain::pagination::{Page, PageRequest};
use ports::ordering::{
    CouponUse, OrderFilter, PlaceError, PlaceOrders, StatusChange, StatusChangeError,
};

use super::{Ordering, OrderingError};
use crate::stores::store_named;

/// One item asked for at checkout.
#[derive(Debug, Clone)]
pub struct CheckoutItem {
    /// The store's code.
    pub store: String,
    pub product_id: ProductId,
    pub quantity: i64,
}

/// Where the order goes.
#[derive(Debug, Clone)]
pub enum ShipTo {
    /// An address of the buyer's address book.
    Saved(i64),
    /// An address given with the order.
    Given(RawAddress),
    /// The buyer's default address, if they have one.
    Default,
}

#[derive(Debug, Clone)]
pub struct Checkout {
    /// What to order; `None` orders the cart.
    pub items: Option<Vec<CheckoutItem>>,
    pub ship_to: ShipTo,
    pub note: String,
    /// A coupon code, for the order it applies to (`domain::marketing::coupon::order_for_coupon`).
    pub coupon: Option<String>,
}

/// An order with its payments and history.
#[derive(Debug, Clone)]
pub struct OrderDetail {
    pub order: Order,
    pub payments: Vec<domain::finance::payment::Payment>,
    pub events: Vec<OrderEvent>,
}

const NOTE_MAX: usize = 500;

/// How many expired orders one claim takes.
const EXPIRY_BATCH: i64 = 100;

impl Ordering {
    /// Places one order per store for the items (or the cart), holding their stock until the
    /// reservation ends. Changes nothing when any item cannot be had, and says which.
    pub async fn checkout(
        &self,
        caller: &Principal,
        input: Checkout,
    ) -> Result<Vec<Order>, OrderingError> {
        let note = domain::text::optional(&input.note, NOTE_MAX)
            .map_err(|reason| OrderingError::invalid("note", reason))?;
        let (lines, from_cart) = match input.items {
            Some(items) => (self.wanted(&items).await?, false),
            None => (self.cart_lines(caller).await?, true),
        };
        let baskets =
            checkout::baskets(&lines).map_err(|reason| OrderingError::invalid("items", reason))?;
        let shipping_address = self.ship_to(caller, input.ship_to).await?;
        let coupon = match input.coupon.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => Some(self.coupon_for(caller, code, &baskets).await?),
        };
        let now = self.ports.clock.now();
        let seconds: i64 = self
            .settings
            .value("orders.reservation_seconds")
            .await?
            .parse()
            .map_err(|e| ports::InfraError::Unknown(anyhow::anyhow!("reservation seconds: {e}")))?;
        let email = self
            .ports
            .users
            .find(caller.user_id)
            .await?
            .and_then(|user| user.email)
            .map(|email| email.as_str().to_owned());
        let request = PlaceOrders {
            buyer: caller.user_id,
            baskets,
            currency: self.settings.value("currency").await?,
            email,
            shipping_address,
            note,
            reserved_until: now + Duration::seconds(seconds),
            clear_cart_lines: from_cart,
            coupon,
        };
        let currency = request.currency.clone();
        let ids = self
            .ports
            .orders
            .place(&request)
            .await
            .map_err(|e| match e {
                PlaceError::Unavailable(items) => OrderingError::Unavailable(items),
                PlaceError::TotalTooLarge => OrderingError::invalid(
                    "items",
                    Invalid::new("the order would cost more than an amount can hold"),
                ),
                PlaceError::Coupon(rejection) => OrderingError::CouponRejected(rejection, currency),
                PlaceError::Infra(e) => e.into(),
            })?;
        let mut orders = Vec::with_capacity(ids.len());
        for id in ids {
            orders.extend(self.ports.orders.find(id).await?);
        }
        Ok(orders)
    }

    /// The coupon as it applies to the baskets at the stores' prices now; checkout settles the
    /// discount again on the prices it locks, and takes the use in its transaction.
    async fn coupon_for(
        &self,
        caller: &Principal,
        code: &str,
        baskets: &[checkout::StoreBasket],
    ) -> Result<CouponUse, OrderingError> {
        let mut subtotals = Vec::with_capacity(baskets.len());
        for basket in baskets {
            let products: Vec<ProductId> = basket.lines.iter().map(|l| l.0).collect();
            let offers = self
                .ports
                .inventory
                .offers(basket.store_id, &products)
                .await?;
            let sum: rust_decimal::Decimal = basket
                .lines
                .iter()
                .filter_map(|(product, quantity)| {
                    offers
                        .iter()
                        .find(|o| o.product_id == *product)
                        .map(|o| o.price.amount() * rust_decimal::Decimal::from(*quantity))
                })
                .sum();
            subtotals.push((basket.store_id, Money::parse(sum).unwrap_or(Money::ZERO)));
        }
        let applied = self
            .marketing
            .apply_coupon(caller.user_id, code, &subtotals)
            .await
            .map_err(OrderingError::Coupon)?;
        Ok(CouponUse {
            coupon_id: applied.coupon_id,
            code: code.to_owned(),
            store_id: applied.store_id,
            discount: applied.terms,
            minimum: applied.minimum,
        })
    }

    async fn wanted(&self, items: &[CheckoutItem]) -> Result<Vec<WantedLine>, OrderingError> {
        let mut lines = Vec::with_capacity(items.len());
        let mut stores = Vec::<(String, i64)>::new();
        for (index, item) in items.iter().enumerate() {
            let quantity = CartQuantity::parse(item.quantity)
                .map_err(|reason| {
                    OrderingError::invalid(&format!("items[{index}].quantity"), reason)
                })?
                .get();
            let store_id = match stores.iter().find(|(code, _)| *code == item.store) {
                Some((_, id)) => *id,
                None => {
                    let store = store_named(self.ports.stores.as_ref(), &item.store)
                        .await?
                        .ok_or_else(|| {
                            OrderingError::invalid(
                                &format!("items[{index}].store"),
                                Invalid::new("names no store"),
                            )
                        })?;
                    stores.push((item.store.clone(), store.id));
                    store.id
                }
            };
            lines.push(WantedLine {
                store_id,
                product_id: item.product_id,
                quantity,
            });
        }
        Ok(lines)
    }

    async fn cart_lines(&self, caller: &Principal) -> Result<Vec<WantedLine>, OrderingError> {
        let lines = self.ports.cart.lines(caller.user_id).await?;
        if lines.is_empty() {
            return Err(OrderingError::invalid(
                "items",
                Invalid::new("the cart is empty; name the items or add some to the cart"),
            ));
        }
        Ok(lines
            .iter()
            .map(|line| WantedLine {
                store_id: line.store_id,
                product_id: line.product_id,
                quantity: line.quantity,
            })
            .collect())
    }

    async fn ship_to(
        &self,
        caller: &Principal,
        ship_to: ShipTo,
    ) -> Result<Option<AddressFields>, OrderingError> {
        match ship_to {
            ShipTo::Saved(id) => {
                let found = match self.ports.addresses.find(caller.user_id, id).await {
                    Ok(found) => found,
                    Err(ports::identity::AddressStoreError::Infra(e)) => return Err(e.into()),
                    Err(_) => None,
                };
                found.map(|address| Some(address.fields)).ok_or_else(|| {
                    OrderingError::invalid("address_id", Invalid::new("names no address of yours"))
                })
            }
            ShipTo::Given(raw) => AddressFields::parse(&raw).map(Some).map_err(|errors| {
                OrderingError::Invalid(
                    errors
                        .into_iter()
                        .map(|(field, reason)| (format!("address.{field}"), reason))
                        .collect(),
                )
            }),
            ShipTo::Default => Ok(self
                .ports
                .addresses
                .list(caller.user_id)
                .await?
                .into_iter()
                .find(|address| address.is_default)
                .map(|address| address.fields)),
        }
    }

    /// The order if the caller may see it, expired first if its reservation has run out.
    pub async fn order(
        &self,
        caller: &Principal,
        number: &str,
    ) -> Result<OrderDetail, OrderingError> {
        let order = self.visible(caller, number).await?;
        let events = self.ports.orders.events(order.id).await?;
        let payments = self.ports.payments.payments(order.id).await?;
        Ok(OrderDetail {
            order,
            payments,
            events,
        })
    }

    pub(super) async fn visible(
        &self,
        caller: &Principal,
        number: &str,
    ) -> Result<Order, OrderingError> {
        let order = self
            .ports
            .orders
            .find_by_number(number)
            .await?
            .filter(|order| order.visible_to(caller.user_id, &caller.access))
            .ok_or(OrderingError::OrderNotFound)?;
        self.expired_if_due(order).await
    }

    /// Expires an unpaid order whose reservation has run out, so it never looks payable.
    pub(super) async fn expired_if_due(&self, order: Order) -> Result<Order, OrderingError> {
        let now = self.ports.clock.now();
        if order.status_at(now) == order.status {
            return Ok(order);
        }
        let change = StatusChange {
            order: order.id,
            action: OrderAction::Expire,
            actor: None,
            note: "unpaid when its reservation ended".to_owned(),
            shipment: None,
            now,
        };
        match self.ports.orders.change_status(&change).await {
            Ok(expired) => Ok(expired),
            // Someone else moved it first (the sweeper, a payment just in time): read it again.
            Err(StatusChangeError::Illegal(_)) => self
                .ports
                .orders
                .find(order.id)
                .await?
                .ok_or(OrderingError::OrderNotFound),
            Err(e) => Err(e.into()),
        }
    }

    /// The caller's own orders, newest first.
    pub async fn my_orders(
        &self,
        caller: &Principal,
        status: Option<OrderStatus>,
        page: &PageRequest<OrderId>,
    ) -> Result<Page<Order>, OrderingError> {
        let filter = OrderFilter {
            buyer: Some(caller.user_id),
            store: None,
            status,
        };
        self.listed(&filter, page).await
    }

    /// A store's orders, for its owner and for staff who see every order.
    pub async fn store_orders(
        &self,
        caller: &Principal,
        store: &str,
        status: Option<OrderStatus>,
        page: &PageRequest<OrderId>,
    ) -> Result<Page<Order>, OrderingError> {
        let store = store_named(self.ports.stores.as_ref(), store)
            .await?
            .ok_or(OrderingError::StoreNotFound)?;
        let sees_all = caller.access.allows(Permission::OrdersReadAll);
        if !sees_all && !store.manageable_by(caller.user_id, &caller.access) {
            return Err(OrderingError::Forbidden(
                "a store's orders are for its owner and staff with orders:read_all",
            ));
        }
        let filter = OrderFilter {
            buyer: None,
            store: Some(store.id),
            status,
        };
        self.listed(&filter, page).await
    }

    async fn listed(
        &self,
        filter: &OrderFilter,
        page: &PageRequest<OrderId>,
    ) -> Result<Page<Order>, OrderingError> {
        let now = self.ports.clock.now();
        let mut page = self.ports.orders.list(filter, page).await?;
        // Shown as they are now; the sweeper or the next read of each writes it down.
        for order in &mut page.items {
            order.status = order.status_at(now);
        }
        Ok(page)
    }

    /// Ships a paid order (its store's owner or staff).
    pub async fn ship(
        &self,
        caller: &Principal,
        number: &str,
        carrier: &str,
        tracking_number: &str,
    ) -> Result<Order, OrderingError> {
        let mut errors = domain::Fields::default();
        let carrier = errors.check("carrier", parse_shipment_field(carrier));
        let tracking_number =
            errors.check("tracking_number", parse_shipment_field(tracking_number));
        errors.finish().map_err(OrderingError::Invalid)?;
        let (Some(carrier), Some(tracking_number)) = (carrier, tracking_number) else {
            unreachable!("both fields passed");
        };
        self.act(
            caller,
            number,
            OrderAction::Ship,
            Some((carrier, tracking_number)),
        )
        .await
    }

    /// Moves an order by `action` (deliver, complete, cancel an unpaid order) for a caller the
    /// order allows it.
    pub async fn act(
        &self,
        caller: &Principal,
        number: &str,
        action: OrderAction,
        shipment: Option<(String, String)>,
    ) -> Result<Order, OrderingError> {
        let order = self.visible(caller, number).await?;
        if !order.allows(action, caller.user_id, &caller.access) {
            return Err(OrderingError::Forbidden(match action {
                OrderAction::Ship => {
                    "only the store's owner or staff with orders:manage ship an order"
                }
                OrderAction::Cancel => {
                    "only the buyer, the store's owner or staff with orders:manage cancel an order"
                }
                _ => "only the buyer or staff with orders:manage do that",
            }));
        }
        let change = StatusChange {
            order: order.id,
            action,
            actor: Some(caller.user_id),
            note: String::new(),
            shipment,
            now: self.ports.clock.now(),
        };
        let order = self.ports.orders.change_status(&change).await?;
        if action == OrderAction::Cancel {
            self.make_provider_refunds(&order).await?;
        }
        Ok(order)
    }

    /// Expires every unpaid order whose reservation has ended; how many. Safe to run in every
    /// replica at once.
    pub async fn expire_due(&self) -> Result<usize, OrderingError> {
        let mut total = 0;
        loop {
            let expired = self
                .ports
                .orders
                .expire_due(self.ports.clock.now(), EXPIRY_BATCH)
                .await?;
            total += expired.len();
            if (expired.len() as i64) < EXPIRY_BATCH {
                return Ok(total);
            }
        }
    }
}
