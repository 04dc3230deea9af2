//! The demo studio `cargo xtask run` starts with: the package of the demo catalogue with what
//! it includes, the demo accounts of the studio's roles as employees of the demo store with
//! working hours, two rooms, and a customer linked to the demo customer's account.

use chrono::{NaiveTime, Weekday};
use domain::studio::schedule::DayHours;
use rust_decimal::Decimal;

use super::schedule::Scheduling;
use super::shoots::{PackageInput, Shoots};
use super::{CustomerInput, EmployeeInput, RoomInput, Studio};
use crate::stores::DEMO_STORE;

/// The demo catalogue's package.
pub const DEMO_PACKAGE: &str = "PKG-WEDDING-GOLD";

fn time(hour: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default()
}

/// Creates the demo studio unless its package already says what it includes; whether it did.
pub async fn seed_demo_studio(
    studio: &Studio,
    scheduling: &Scheduling,
    shoots: &Shoots,
) -> anyhow::Result<bool> {
    if shoots.package(DEMO_PACKAGE).await.is_ok() {
        return Ok(false);
    }
    shoots
        .set_package(
            DEMO_PACKAGE,
            PackageInput {
                shoot_minutes: 240,
                looks: 3,
                retouched_photos: 30,
                prints: 2,
                albums: 1,
                extra_photo_price: Decimal::new(5000, 2),
                deposit: Decimal::new(100_000, 2),
            },
        )
        .await?;
    // Tuesday to Sunday, 09:00 to 18:00 with an hour for lunch: studios rest on Mondays.
    let week: Vec<DayHours> = [
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ]
    .into_iter()
    .map(|weekday| DayHours {
        weekday,
        start: time(9),
        end: time(18),
        breaks: vec![(time(12), time(13))],
    })
    .collect();
    let people = [
        ("摄影师", "王", "photographer"),
        ("化妆师", "李", "makeup_artist"),
        ("修图师", "陈", "retoucher"),
        ("前台", "赵", "front_desk"),
    ];
    for (first, last, position) in people {
        let employee = studio
            .create_employee(EmployeeInput {
                store: DEMO_STORE.to_owned(),
                first_name: first.to_owned(),
                last_name: Some(last.to_owned()),
                position: position.to_owned(),
                email: None,
                phone: None,
                active: None,
                account: Some(position.to_owned()),
            })
            .await?;
        scheduling.set_working_week(employee.id, &week).await?;
    }
    for room in ["花园 Garden", "白棚 White studio"] {
        studio
            .create_room(RoomInput {
                store: DEMO_STORE.to_owned(),
                name: room.to_owned(),
                active: None,
            })
            .await?;
    }
    studio
        .create_customer(CustomerInput {
            first_name: "三".to_owned(),
            last_name: Some("张".to_owned()),
            email: None,
            phone: Some("+86 138 0013 8000".to_owned()),
            birthday: None,
            anniversary: None,
            lead_source: Some("walk_in".to_owned()),
            notes: Some("Wants outdoor looks.".to_owned()),
            account: Some("customer".to_owned()),
        })
        .await?;
    Ok(true)
}
