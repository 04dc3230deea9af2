//! `cargo xtask bench availability`: a studio's free slots through the HTTP API, for a store
//! with many people over a month, against the same call for one day measured in the same run.
//!
//! The store (America/New_York) is made through the API on a fresh database; its people, rooms,
//! working weeks, time off and shoots are written with SQL, as a month of a busy studio: every
//! person works five days a week, 09:00–18:00 with an hour's lunch; a fifth of them take two
//! days off; one room closes for a day; every room has two or three shoots a day (of five
//! times of day, a room's shoots alternating with its neighbours'), each with a photographer
//! and a make-up artist.

use std::rc::Rc;
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{Context, bail};
use hdrhistogram::Histogram;
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use serde_json::{Value, json};

use super::checkout::setup::Api;
use super::harness::{self, ADMIN_PASSWORD, Psql, Running, load_average};
use super::load::{self, Http, Request};
use super::ms;

const DATABASE: &str = "atelier_bench_availability";
const STORE: &str = "bench-studio";
const ZONE: &str = "America/New_York";
const ROOMS: u32 = 6;
/// The p95 the issue allows a month's availability, in milliseconds.
const P95_BUDGET_MS: f64 = 50.0;

#[derive(clap::Args)]
pub struct AvailabilityArgs {
    /// People working at the store (three fifths photographers, the rest make-up artists).
    #[arg(long, default_value_t = 50)]
    staff: u32,
    /// Days one search covers (the baseline covers one).
    #[arg(long, default_value_t = 31)]
    days: u32,
    /// How long each scenario is measured, e.g. `20s`, `1m`.
    #[arg(long, default_value = "15s", value_parser = super::parse_duration)]
    duration: Duration,
    /// Warm-up before measuring (not counted).
    #[arg(long, default_value = "3s", value_parser = super::parse_duration)]
    warmup: Duration,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
}

pub fn availability(args: &AvailabilityArgs) -> anyhow::Result<()> {
    if args.concurrency == 0 || args.staff < 2 * ROOMS || args.days == 0 {
        bail!(
            "--concurrency and --days must be at least 1, --staff at least {}",
            2 * ROOMS
        );
    }
    harness::with_running(|running| availability_with(args, running))
}

fn availability_with(args: &AvailabilityArgs, running: &Mutex<Running>) -> anyhow::Result<()> {
    let services = harness::start_services(running, DATABASE, true)?;
    let env: Vec<(String, String)> = [
        ("ATELIER_BCRYPT_COST", "4"),
        ("ATELIER_REDIS_KEY_PREFIX", "atelier-bench-availability:"),
    ]
    .iter()
    .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
    .collect();
    let server = harness::start_server(running, &services, &env)?;
    let base = format!("http://{}", server.addr);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, async {
        let api = Api {
            client: reqwest::Client::builder().no_proxy().build()?,
            base: base.clone(),
        };
        let admin = api.login("admin", ADMIN_PASSWORD).await?;
        api.call(
            Method::POST,
            "/api/v1/stores",
            Some(&admin),
            &json!({"code": STORE, "name": "Bench studio", "time_zone": ZONE}),
            201,
        )
        .await?;
        // A week ahead, so that no slot of the range is in the past.
        let from = services
            .psql
            .run(&format!("SELECT (now() AT TIME ZONE '{ZONE}')::date + 7"))?
            .trim()
            .to_owned();
        println!(
            "Making the studio: {} people, {ROOMS} rooms, {} days from {from} ...",
            args.staff, args.days
        );
        let shoots = seed(&services.psql, args, &from)?;
        println!("{shoots} shoots booked.");

        let url = |to: &str| {
            format!(
                "{base}/api/v1/studio/stores/{STORE}/availability?from={from}&to={to}\
                 &duration_minutes=60&step_minutes=30&buffer_before_minutes=15\
                 &buffer_after_minutes=15"
            )
        };
        let month = url(&add_days(&services.psql, &from, args.days - 1)?);
        let day = url(&from);
        let senders = || -> anyhow::Result<Vec<Http>> {
            let mut headers = HeaderMap::new();
            headers.insert(AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {admin}"))?);
            let client = reqwest::Client::builder()
                .no_proxy()
                .default_headers(headers)
                .pool_max_idle_per_host(args.concurrency)
                .timeout(Duration::from_secs(30))
                .build()?;
            Ok(vec![Http { client }; args.concurrency])
        };
        let slots = |body: &str| -> anyhow::Result<usize> {
            let body: Value = serde_json::from_str(body)?;
            body["slots"]
                .as_array()
                .map(Vec::len)
                .context("an answer without slots")
        };
        let one = &senders()?[0];
        let month_slots = slots(&one.get(&month).await?)?;
        let day_slots = slots(&one.get(&day).await?)?;

        if !args.warmup.is_zero() {
            println!("Warming up for {:.0} s ...", args.warmup.as_secs_f64());
            load::run(senders()?, requests(&month), args.warmup).await?;
        }
        let load_before = load_average();
        println!(
            "Measuring each scenario for {:.0} s ...",
            args.duration.as_secs_f64()
        );
        let baseline = load::run(senders()?, requests(&day), args.duration).await?;
        let measured = load::run(senders()?, requests(&month), args.duration).await?;
        let load_after = load_average();

        let cores = std::thread::available_parallelism().map_or(0, usize::from);
        println!(
            "\ncargo xtask bench availability: {} people, {ROOMS} rooms, {shoots} shoots; 60-minute \
             slots every 30 minutes with 15-minute buffers; {} in flight, closed loop, {:.0} s \
             each; {cores} cores shared by the server (release) and the load generator.\n",
            args.staff,
            args.concurrency,
            args.duration.as_secs_f64()
        );
        println!(
            "{:<28} {:>7} {:>9} {:>7} {:>9} {:>8} {:>8} {:>8}",
            "", "slots", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms"
        );
        let row = |name: &str, slots: usize, outcome: &load::Outcome| {
            let h: &Histogram<u64> = &outcome.latencies;
            println!(
                "{name:<28} {slots:>7} {:>9} {:>7} {:>9.0} {:>8.2} {:>8.2} {:>8.2}",
                outcome.requests(),
                outcome.errors,
                outcome.rps(),
                ms(h, 0.5),
                ms(h, 0.95),
                ms(h, 0.99)
            );
        };
        row("baseline: 1 day", day_slots, &baseline);
        row(&format!("availability: {} days", args.days), month_slots, &measured);
        for outcome in [&baseline, &measured] {
            if let Some(error) = &outcome.first_error {
                println!("First error: {error}");
            }
        }
        let p95 = ms(&measured.latencies, 0.95);
        println!(
            "\n{} days cost {:.1}× one day at p95. p95 {p95:.2} ms {} the {P95_BUDGET_MS:.0} ms budget.",
            args.days,
            p95 / ms(&baseline.latencies, 0.95).max(1e-9),
            if p95 < P95_BUDGET_MS { "is under" } else { "is OVER" },
        );
        println!(
            "Load average (1 min) before measuring {load_before}, after {load_after}: much more \
             than the cores means other work shared them and the figures are high."
        );
        anyhow::Ok(())
    })
}

fn requests(url: &str) -> Rc<Vec<Request<String>>> {
    Rc::new(vec![Request {
        what: url.to_owned(),
        class: None,
    }])
}

fn add_days(psql: &Psql, date: &str, days: u32) -> anyhow::Result<String> {
    Ok(psql
        .run(&format!("SELECT '{date}'::date + {days}"))?
        .trim()
        .to_owned())
}

/// Writes the store's people, rooms, weeks, time off and shoots; the number of shoots.
fn seed(psql: &Psql, args: &AvailabilityArgs, from: &str) -> anyhow::Result<u64> {
    let photographers = args.staff * 3 / 5;
    let staff = args.staff;
    let days = args.days;
    psql.run(&format!(
        "CREATE TEMP TABLE bench_store AS SELECT id FROM stores WHERE code = '{STORE}';
         INSERT INTO customers (first_name, phone) VALUES ('Bench', '10000000000');
         INSERT INTO employees (store_id, first_name, position)
         SELECT (SELECT id FROM bench_store), 'Staff ' || i,
                CASE WHEN i <= {photographers} THEN 'photographer' ELSE 'makeup_artist' END
         FROM generate_series(1, {staff}) i;
         INSERT INTO rooms (store_id, name)
         SELECT (SELECT id FROM bench_store), 'Room ' || r FROM generate_series(1, {ROOMS}) r;
         -- Five days a week each, the days off spread over the week.
         INSERT INTO working_hours (employee_id, weekday, starts_at, ends_at)
         SELECT e.id, wd, p.s, p.e
         FROM employees e, generate_series(1, 7) wd,
              (VALUES ('09:00'::time, '12:00'::time), ('13:00', '18:00')) AS p(s, e)
         WHERE (wd + e.id) % 7 NOT IN (0, 1);
         INSERT INTO time_off (employee_id, starts_at, ends_at, reason)
         SELECT id, ('{from}'::date + id::int % {days})::timestamp AT TIME ZONE '{ZONE}',
                ('{from}'::date + id::int % {days} + 2)::timestamp AT TIME ZONE '{ZONE}', 'leave'
         FROM employees WHERE id % 5 = 0;
         INSERT INTO time_off (room_id, starts_at, ends_at, reason)
         SELECT min(id), ('{from}'::date + 3)::timestamp AT TIME ZONE '{ZONE}',
                ('{from}'::date + 4)::timestamp AT TIME ZONE '{ZONE}', 'repairs' FROM rooms;
         -- Two or three shoots a day in every room, at five times of day taken in turn;
         -- at each time, every room has its own photographer and make-up artist.
         CREATE TEMP TABLE bench_plan AS
         SELECT d, t, r,
                (('{from}'::date + d) + (ARRAY['09:00', '10:30', '13:00', '14:30', '16:00']::time[])[t + 1])
                    AT TIME ZONE '{ZONE}' AS starts_at,
                (SELECT array_agg(id ORDER BY id) FROM rooms)[r + 1] AS room,
                (SELECT array_agg(id ORDER BY id) FROM employees WHERE position = 'photographer')
                    [(d * 7 + t * {ROOMS} + r) % {photographers} + 1] AS photographer,
                (SELECT array_agg(id ORDER BY id) FROM employees WHERE position = 'makeup_artist')
                    [(d * 5 + t * {ROOMS} + r) % {artists} + 1] AS artist
         FROM generate_series(0, {days} - 1) d, generate_series(0, 4) t,
              generate_series(0, {ROOMS} - 1) r
         WHERE (d + t + r) % 2 = 0;
         ALTER TABLE bench_plan ADD COLUMN shoot BIGINT;
         WITH made AS (
             INSERT INTO shoots (customer_id, store_id, room_id, starts_at, ends_at, notes)
             SELECT (SELECT max(id) FROM customers), (SELECT id FROM bench_store), room,
                    starts_at, starts_at + interval '75 minutes', d || ' ' || t || ' ' || r
             FROM bench_plan
             RETURNING id, notes)
         UPDATE bench_plan SET shoot = made.id FROM made
         WHERE made.notes = bench_plan.d || ' ' || bench_plan.t || ' ' || bench_plan.r;
         INSERT INTO shoot_staff (shoot_id, employee_id, position, during, active)
         SELECT s.id, p.photographer, 'photographer', s.during, s.active
         FROM bench_plan p JOIN shoots s ON s.id = p.shoot
         UNION ALL
         SELECT s.id, p.artist, 'makeup_artist', s.during, s.active
         FROM bench_plan p JOIN shoots s ON s.id = p.shoot;
         ANALYZE;",
        artists = staff - photographers,
    ))?;
    Ok(psql.run("SELECT count(*) FROM shoots")?.trim().parse()?)
}
