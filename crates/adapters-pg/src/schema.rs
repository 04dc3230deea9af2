//! Diesel's view of the tables, kept by hand beside `migrations/`. Every query in this crate is
//! covered by an integration test, which fails if a definition here drifts from the database.

diesel::table! {
    system_settings (id) {
        id -> Int8,
        setting_name -> Varchar,
        setting_value -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use diesel::pg::sql_types::Citext;

    roles (id) {
        id -> Int8,
        name -> Citext,
        description -> Text,
        permissions -> Jsonb,
        is_built_in -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use diesel::pg::sql_types::Citext;

    users (id) {
        id -> Int8,
        username -> Citext,
        password_hash -> Text,
        email -> Nullable<Citext>,
        display_name -> Nullable<Varchar>,
        role_id -> Int8,
        status -> Varchar,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        deleted_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    password_reset_tokens (id) {
        id -> Int8,
        user_id -> Int8,
        token_hash -> Text,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    addresses (id) {
        id -> Int8,
        user_id -> Int8,
        name -> Varchar,
        phone -> Varchar,
        line1 -> Varchar,
        line2 -> Nullable<Varchar>,
        city -> Varchar,
        state -> Nullable<Varchar>,
        postal_code -> Nullable<Varchar>,
        country -> Text,
        is_default -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    outbound_messages (id) {
        id -> Int8,
        recipient -> Text,
        subject -> Text,
        body -> Text,
        kind -> Varchar,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use diesel::pg::sql_types::Citext;

    categories (id) {
        id -> Int8,
        name -> Citext,
        slug -> Citext,
        description -> Text,
        display_order -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    // `search_vector` (generated, tsvector) is left out: searches name it in SQL.
    products (id) {
        id -> Int8,
        sku -> Varchar,
        kind -> Varchar,
        name -> Varchar,
        description -> Text,
        detailed_description -> Text,
        list_price -> Numeric,
        category_id -> Nullable<Int8>,
        status -> Varchar,
        attributes -> Jsonb,
        tags -> Array<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    stores (id) {
        id -> Int8,
        code -> Varchar,
        owner_id -> Int8,
        name -> Varchar,
        description -> Text,
        status -> Varchar,
        time_zone -> Varchar,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        closed_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    store_inventory (store_id, product_id) {
        store_id -> Int8,
        product_id -> Int8,
        on_hand -> Int4,
        reserved -> Int4,
        price -> Numeric,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    stock_movements (id) {
        id -> Int8,
        store_id -> Int8,
        product_id -> Int8,
        reason -> Varchar,
        on_hand_delta -> Int4,
        reserved_delta -> Int4,
        on_hand_after -> Int4,
        reserved_after -> Int4,
        price_after -> Numeric,
        note -> Text,
        actor_id -> Nullable<Int8>,
        order_id -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    product_images (id) {
        id -> Int8,
        product_id -> Int8,
        storage_key -> Varchar,
        content_type -> Varchar,
        byte_size -> Int8,
        width -> Nullable<Int4>,
        height -> Nullable<Int4>,
        alt_text -> Varchar,
        display_order -> Int4,
        is_primary -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    cart_items (id) {
        id -> Int8,
        user_id -> Int8,
        store_id -> Int8,
        product_id -> Int8,
        quantity -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    orders (id) {
        id -> Int8,
        number -> Varchar,
        user_id -> Int8,
        store_id -> Int8,
        status -> Varchar,
        currency -> Varchar,
        subtotal -> Numeric,
        discount -> Numeric,
        total -> Numeric,
        paid_amount -> Numeric,
        refunded_amount -> Numeric,
        email -> Nullable<Text>,
        shipping_name -> Nullable<Text>,
        shipping_phone -> Nullable<Text>,
        shipping_address -> Nullable<Jsonb>,
        note -> Text,
        inventory_reserved -> Bool,
        reserved_until -> Timestamptz,
        payment_session_id -> Nullable<Text>,
        carrier -> Nullable<Text>,
        tracking_number -> Nullable<Text>,
        tracking_details -> Nullable<Jsonb>,
        tracking_last_sync -> Nullable<Timestamptz>,
        paid_at -> Nullable<Timestamptz>,
        shipped_at -> Nullable<Timestamptz>,
        delivered_at -> Nullable<Timestamptz>,
        completed_at -> Nullable<Timestamptz>,
        closed_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        coupon_code -> Nullable<Text>,
    }
}

diesel::table! {
    order_items (id) {
        id -> Int8,
        order_id -> Int8,
        product_id -> Int8,
        sku -> Text,
        product_name -> Text,
        unit_price -> Numeric,
        quantity -> Int4,
        line_total -> Numeric,
        kind -> Varchar,
    }
}

diesel::table! {
    order_events (id) {
        id -> Int8,
        order_id -> Int8,
        action -> Varchar,
        from_status -> Nullable<Varchar>,
        to_status -> Varchar,
        actor_id -> Nullable<Int8>,
        note -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    marketing_campaigns (id) {
        id -> Int8,
        name -> Varchar,
        description -> Text,
        starts_on -> Date,
        ends_on -> Date,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use diesel::pg::sql_types::Citext;

    coupons (id) {
        id -> Int8,
        code -> Citext,
        description -> Text,
        kind -> Varchar,
        value -> Numeric,
        valid_from -> Timestamptz,
        valid_until -> Nullable<Timestamptz>,
        min_order_amount -> Numeric,
        usage_limit -> Nullable<Int4>,
        per_customer_limit -> Nullable<Int4>,
        used_count -> Int4,
        campaign_id -> Nullable<Int8>,
        store_id -> Nullable<Int8>,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    coupon_redemptions (id) {
        id -> Int8,
        coupon_id -> Int8,
        user_id -> Int8,
        order_id -> Int8,
        discount -> Numeric,
        redeemed_at -> Timestamptz,
    }
}

diesel::table! {
    payments (id) {
        id -> Int8,
        order_id -> Int8,
        payer_id -> Int8,
        method -> Varchar,
        status -> Varchar,
        amount -> Numeric,
        currency -> Varchar,
        refunded_amount -> Numeric,
        provider_session_id -> Nullable<Text>,
        checkout_url -> Nullable<Text>,
        provider_reference -> Nullable<Text>,
        created_at -> Timestamptz,
        completed_at -> Nullable<Timestamptz>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    provider_events (id) {
        id -> Int8,
        event_id -> Text,
        event_type -> Text,
        payment_id -> Nullable<Int8>,
        received_at -> Timestamptz,
    }
}

diesel::joinable!(users -> roles (role_id));
diesel::joinable!(products -> categories (category_id));
diesel::joinable!(password_reset_tokens -> users (user_id));
diesel::joinable!(addresses -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(roles, users, password_reset_tokens, addresses);
diesel::allow_tables_to_appear_in_same_query!(categories, products);
diesel::joinable!(stores -> users (owner_id));
diesel::joinable!(store_inventory -> stores (store_id));
diesel::joinable!(store_inventory -> products (product_id));
diesel::joinable!(stock_movements -> users (actor_id));
diesel::allow_tables_to_appear_in_same_query!(
    stores,
    store_inventory,
    stock_movements,
    users,
    products
);
diesel::joinable!(product_images -> products (product_id));
diesel::allow_tables_to_appear_in_same_query!(products, product_images);
diesel::joinable!(cart_items -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(cart_items, users);
diesel::joinable!(orders -> stores (store_id));
diesel::joinable!(order_items -> orders (order_id));
diesel::joinable!(order_events -> orders (order_id));
diesel::joinable!(orders -> users (user_id));
diesel::joinable!(order_events -> users (actor_id));
diesel::allow_tables_to_appear_in_same_query!(orders, order_items, order_events);
diesel::allow_tables_to_appear_in_same_query!(orders, stores);
diesel::allow_tables_to_appear_in_same_query!(orders, users);
diesel::allow_tables_to_appear_in_same_query!(order_events, users);

diesel::table! {
    wallets (user_id) {
        user_id -> Int8,
        balance -> Numeric,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    financial_transactions (id) {
        id -> Int8,
        kind -> Varchar,
        status -> Varchar,
        wallet_user_id -> Nullable<Int8>,
        amount -> Numeric,
        currency -> Varchar,
        order_id -> Nullable<Int8>,
        payment_id -> Nullable<Int8>,
        provider_reference -> Nullable<Text>,
        note -> Text,
        actor_id -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(wallets -> users (user_id));
// `financial_transactions` names users twice (wallet, actor): joins go through aliases of
// `users` with explicit `ON` clauses.
diesel::allow_tables_to_appear_in_same_query!(wallets, users);
diesel::allow_tables_to_appear_in_same_query!(financial_transactions, users);

diesel::joinable!(coupons -> marketing_campaigns (campaign_id));
diesel::joinable!(coupons -> stores (store_id));
diesel::joinable!(coupon_redemptions -> coupons (coupon_id));
diesel::allow_tables_to_appear_in_same_query!(
    marketing_campaigns,
    coupons,
    coupon_redemptions,
    stores
);
diesel::joinable!(payments -> orders (order_id));
diesel::allow_tables_to_appear_in_same_query!(payments, orders);
diesel::allow_tables_to_appear_in_same_query!(payments, financial_transactions);

diesel::table! {
    use diesel::sql_types::*;
    use diesel::pg::sql_types::Citext;

    customers (id) {
        id -> Int8,
        first_name -> Varchar,
        last_name -> Varchar,
        email -> Nullable<Citext>,
        phone -> Nullable<Varchar>,
        birthday -> Nullable<Date>,
        anniversary -> Nullable<Date>,
        lead_source -> Nullable<Varchar>,
        notes -> Text,
        user_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        search_name -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use diesel::pg::sql_types::Citext;

    employees (id) {
        id -> Int8,
        store_id -> Int8,
        first_name -> Varchar,
        last_name -> Varchar,
        position -> Varchar,
        email -> Nullable<Citext>,
        phone -> Nullable<Varchar>,
        active -> Bool,
        user_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    rooms (id) {
        id -> Int8,
        store_id -> Int8,
        name -> Varchar,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    working_hours (id) {
        id -> Int8,
        employee_id -> Int8,
        weekday -> Int2,
        starts_at -> Time,
        ends_at -> Time,
    }
}

diesel::table! {
    time_off (id) {
        id -> Int8,
        employee_id -> Nullable<Int8>,
        room_id -> Nullable<Int8>,
        starts_at -> Timestamptz,
        ends_at -> Timestamptz,
        reason -> Text,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    packages (product_id) {
        product_id -> Int8,
        kind -> Varchar,
        shoot_minutes -> Int4,
        looks -> Int4,
        retouched_photos -> Int4,
        prints -> Int4,
        albums -> Int4,
        extra_photo_price -> Numeric,
        deposit -> Numeric,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    shoots (id) {
        id -> Int8,
        customer_id -> Int8,
        store_id -> Int8,
        order_id -> Nullable<Int8>,
        package_id -> Nullable<Int8>,
        photos_included -> Nullable<Int4>,
        extra_photo_price -> Nullable<Numeric>,
        room_id -> Nullable<Int8>,
        retoucher_id -> Nullable<Int8>,
        starts_at -> Timestamptz,
        ends_at -> Timestamptz,
        stage -> Varchar,
        photos_selected -> Nullable<Int4>,
        extra_photos -> Int4,
        notes -> Text,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        during -> Tstzrange,
        active -> Bool,
    }
}

diesel::table! {
    shoot_staff (shoot_id, employee_id) {
        shoot_id -> Int8,
        employee_id -> Int8,
        position -> Varchar,
        during -> Tstzrange,
        active -> Bool,
    }
}

diesel::table! {
    shoot_events (id) {
        id -> Int8,
        shoot_id -> Int8,
        kind -> Varchar,
        from_stage -> Nullable<Varchar>,
        to_stage -> Nullable<Varchar>,
        details -> Jsonb,
        actor_id -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(employees -> stores (store_id));
diesel::joinable!(rooms -> stores (store_id));
diesel::joinable!(working_hours -> employees (employee_id));
diesel::joinable!(packages -> products (product_id));
diesel::joinable!(shoots -> customers (customer_id));
diesel::joinable!(shoot_staff -> employees (employee_id));
diesel::joinable!(shoot_events -> shoots (shoot_id));
diesel::allow_tables_to_appear_in_same_query!(employees, stores);
diesel::allow_tables_to_appear_in_same_query!(employees, users);
diesel::allow_tables_to_appear_in_same_query!(employees, working_hours);
diesel::allow_tables_to_appear_in_same_query!(rooms, stores);
diesel::allow_tables_to_appear_in_same_query!(customers, users);
diesel::allow_tables_to_appear_in_same_query!(customers, orders);
diesel::allow_tables_to_appear_in_same_query!(customers, shoots);
diesel::allow_tables_to_appear_in_same_query!(shoots, orders);
diesel::allow_tables_to_appear_in_same_query!(shoots, stores);
diesel::allow_tables_to_appear_in_same_query!(packages, products);
diesel::allow_tables_to_appear_in_same_query!(packages, order_items);
diesel::allow_tables_to_appear_in_same_query!(shoot_events, users);
diesel::allow_tables_to_appear_in_same_query!(shoots, shoot_staff, shoot_events, employees, rooms);
