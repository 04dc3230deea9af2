//! What a role may do. Each endpoint that needs more than a login names one permission.

/// Declares the catalogue in one table: variant, name, description.
macro_rules! permissions {
    ($($variant:ident = $name:literal, $description:literal;)+) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Permission {
            $($variant,)+
        }

        impl Permission {
            /// Every permission, in catalogue order.
            pub const ALL: &[Permission] = &[$(Self::$variant),+];

            /// The stable name: `<area>:<action>`.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name,)+ }
            }

            pub fn description(self) -> &'static str {
                match self { $(Self::$variant => $description,)+ }
            }

            pub fn parse(name: &str) -> Option<Self> {
                match name { $($name => Some(Self::$variant),)+ _ => None }
            }
        }
    };
}

permissions! {
    UsersRead = "users:read", "See accounts, roles and permissions.";
    UsersManage = "users:manage", "Create, change and delete roles; assign roles to accounts.";
    SettingsRead = "settings:read", "See system settings.";
    SettingsWrite = "settings:write", "Change system settings.";
    MessagesRead = "messages:read", "Read the messages sent to people, such as password resets.";
    CatalogWrite = "catalog:write", "Create and change categories, products and their images.";
    StoresOpen = "stores:open", "Open a store of one's own and manage it.";
    StoresManage = "stores:manage", "Manage every store and its inventory.";
    OrdersReadAll = "orders:read_all", "See every order.";
    OrdersManage = "orders:manage", "Ship, cancel and refund any order.";
    LedgerRead = "ledger:read", "See the ledger of money movements.";
    MarketingManage = "marketing:manage", "Manage campaigns and coupons.";
    CustomersManage = "customers:manage", "Manage studio customers.";
    StudioSchedule = "studio:schedule", "Book, move and cancel shoots; manage rooms and working hours.";
    StudioShoots = "studio:shoots", "Move one's own shoots through their stages.";
    StudioReports = "studio:reports", "See studio reports.";
    StaffManage = "staff:manage", "Manage employees, their accounts and rooms.";
    PartnersManage = "partners:manage", "Manage partners, their API keys and webhooks.";
}

#[cfg(test)]
mod tests {
    use super::Permission;

    #[test]
    fn names_are_unique_area_colon_action_and_parse_back() {
        let mut names: Vec<&str> = Permission::ALL.iter().map(|p| p.as_str()).collect();
        for (permission, name) in Permission::ALL.iter().zip(&names) {
            assert_eq!(Permission::parse(name), Some(*permission));
            let (area, action) = name.split_once(':').unwrap();
            assert!(!area.is_empty() && !action.is_empty(), "{name}");
            assert!(!permission.description().is_empty());
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Permission::ALL.len());
        assert_eq!(Permission::parse("users:everything"), None);
    }
}
