//! Roles: named sets of permissions. Every account has exactly one.

use std::collections::BTreeSet;
use std::fmt;

use super::permission::Permission;
use crate::Invalid;

/// `admin`, `front_desk`, ...: 2 to 50 lower-case letters, digits and `_`, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoleName(String);

impl RoleName {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let valid = (2..=50).contains(&raw.len())
            && raw.starts_with(|c: char| c.is_ascii_lowercase())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(Invalid::new(
                "must be 2 to 50 lower-case letters, digits and `_`, starting with a letter",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_admin(&self) -> bool {
        self.0 == BuiltInRole::Admin.name()
    }
}

impl fmt::Display for RoleName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The roles every deployment has. Their permissions may be changed (except the admin's, which
/// is every permission); they cannot be deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltInRole {
    Admin,
    Manager,
    FrontDesk,
    Photographer,
    MakeupArtist,
    Retoucher,
    Seller,
    Customer,
}

impl BuiltInRole {
    pub const ALL: &[BuiltInRole] = &[
        Self::Admin,
        Self::Manager,
        Self::FrontDesk,
        Self::Photographer,
        Self::MakeupArtist,
        Self::Retoucher,
        Self::Seller,
        Self::Customer,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Manager => "manager",
            Self::FrontDesk => "front_desk",
            Self::Photographer => "photographer",
            Self::MakeupArtist => "makeup_artist",
            Self::Retoucher => "retoucher",
            Self::Seller => "seller",
            Self::Customer => "customer",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Self::Admin => "Everything, including roles and settings.",
            Self::Manager => {
                "Runs a studio: staff, catalogue, orders, money, customers and reports."
            }
            Self::FrontDesk => "Customers and bookings at the front desk.",
            Self::Photographer => "Takes shoots through their stages.",
            Self::MakeupArtist => "Takes part in shoots.",
            Self::Retoucher => "Retouches the photos of shoots.",
            Self::Seller => "Runs a store of their own on the marketplace.",
            Self::Customer => "Shops, books and pays; the role of every new account.",
        }
    }

    /// The permissions the role starts with.
    pub fn default_permissions(self) -> BTreeSet<Permission> {
        use Permission::*;
        let list: &[Permission] = match self {
            Self::Admin => Permission::ALL,
            Self::Manager => &[
                UsersRead,
                SettingsRead,
                MessagesRead,
                CatalogWrite,
                StoresManage,
                OrdersReadAll,
                OrdersManage,
                LedgerRead,
                MarketingManage,
                CustomersManage,
                StudioSchedule,
                StudioShoots,
                StudioReports,
                StaffManage,
            ],
            Self::FrontDesk => &[CustomersManage, StudioSchedule, OrdersReadAll],
            Self::Photographer | Self::MakeupArtist | Self::Retoucher => &[StudioShoots],
            Self::Seller => &[StoresOpen],
            Self::Customer => &[],
        };
        list.iter().copied().collect()
    }

    pub fn of(name: &RoleName) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|r| r.name() == name.as_str())
    }

    pub fn role_name(self) -> RoleName {
        RoleName(self.name().to_owned())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub name: RoleName,
    pub description: String,
    pub permissions: BTreeSet<Permission>,
    pub is_built_in: bool,
}

impl Role {
    pub fn built_in(role: BuiltInRole) -> Self {
        Self {
            name: role.role_name(),
            description: role.description().to_owned(),
            permissions: role.default_permissions(),
            is_built_in: true,
        }
    }
}

/// What a role may do, as checked on each request. The admin may do everything, including
/// what permissions added after its role was stored allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub role: RoleName,
    pub permissions: BTreeSet<Permission>,
}

impl Access {
    pub fn allows(&self, permission: Permission) -> bool {
        self.role.is_admin() || self.permissions.contains(&permission)
    }
}

/// Why a change to a role is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoleRuleViolation {
    #[error("the admin role always has every permission")]
    AdminPermissionsFixed,
    #[error("built-in roles cannot be deleted")]
    BuiltInRoleDeleted,
}

/// Changing a role's permissions: refused for the admin.
pub fn check_permission_change(role: &Role) -> Result<(), RoleRuleViolation> {
    if role.name.is_admin() {
        Err(RoleRuleViolation::AdminPermissionsFixed)
    } else {
        Ok(())
    }
}

/// Deleting a role: refused for built-in ones (a role still in use is refused by storage).
pub fn check_deletion(role: &Role) -> Result<(), RoleRuleViolation> {
    if role.is_built_in {
        Err(RoleRuleViolation::BuiltInRoleDeleted)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_names_are_valid_role_names() {
        for role in BuiltInRole::ALL {
            let name = RoleName::parse(role.name()).unwrap();
            assert_eq!(BuiltInRole::of(&name), Some(*role));
        }
        assert!(RoleName::parse("Front Desk").is_err());
        assert!(RoleName::parse("x").is_err());
        assert!(RoleName::parse("9lives").is_err());
    }

    #[test]
    fn admin_allows_everything_others_what_they_hold() {
        let admin = Access {
            role: BuiltInRole::Admin.role_name(),
            permissions: BTreeSet::new(),
        };
        assert!(Permission::ALL.iter().all(|p| admin.allows(*p)));

        let desk = Access {
            role: BuiltInRole::FrontDesk.role_name(),
            permissions: BuiltInRole::FrontDesk.default_permissions(),
        };
        assert!(desk.allows(Permission::StudioSchedule));
        assert!(!desk.allows(Permission::UsersManage));
        let customer = BuiltInRole::Customer.default_permissions();
        assert!(customer.is_empty());
    }

    #[test]
    fn admin_permissions_are_fixed_and_built_ins_stay() {
        let admin = Role::built_in(BuiltInRole::Admin);
        assert_eq!(
            check_permission_change(&admin),
            Err(RoleRuleViolation::AdminPermissionsFixed)
        );
        let manager = Role::built_in(BuiltInRole::Manager);
        assert_eq!(check_permission_change(&manager), Ok(()));
        assert_eq!(
            check_deletion(&manager),
            Err(RoleRuleViolation::BuiltInRoleDeleted)
        );
        let custom = Role {
            is_built_in: false,
            ..manager
        };
        assert_eq!(check_deletion(&custom), Ok(()));
    }
}
