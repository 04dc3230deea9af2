//! `cargo xtask bench search`: search and a category listing under load through the HTTP
//! API, on a generated catalogue, against baselines measured in the same run.
//!
//! The catalogue lives in the database `atelier_bench` and is made again only when its seed,
//! size or generator changed (or with `--reload`).

use std::collections::BTreeMap;
use std::io::Write as _;
use std::process::Stdio;
use std::rc::Rc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use super::data::{self, CATEGORIES, GENERATOR_VERSION, Generator};
use super::harness::{self, Psql, Running, load_average};
use super::load::{self, Http, Request, Sql, SqlParams};
use super::ms;
use super::queries::{self, QueryClass};

const DATABASE: &str = "atelier_bench";
/// The search statement the server runs, so the database-only baseline runs the same.
const SEARCH_SQL: &str = include_str!("../../../crates/adapters-pg/src/catalog/search.sql");
/// Start of the generated catalogue's timeline (2023-01-01 UTC).
const EPOCH_SECS: i64 = 1_672_531_200;
/// The p95 the issue allows search, in milliseconds.
const SEARCH_P95_BUDGET_MS: f64 = 30.0;

#[derive(clap::Args)]
pub struct SearchArgs {
    /// Products in the generated catalogue.
    #[arg(long, default_value_t = 100_000)]
    products: u64,
    /// How long each scenario is measured, e.g. `20s`, `1m`.
    #[arg(long, default_value = "20s", value_parser = super::parse_duration)]
    duration: Duration,
    /// Requests in flight at once while latency is measured.
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
    /// Requests in flight for the throughput run (0 skips it).
    #[arg(long, default_value_t = 16)]
    max_concurrency: usize,
    /// Warm-up before measuring (not counted).
    #[arg(long, default_value = "5s", value_parser = super::parse_duration)]
    warmup: Duration,
    /// Seed of the catalogue and the queries.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Results per page (`limit`) of search and of the listing.
    #[arg(long, default_value_t = 20)]
    limit: u32,
    /// Most matches a search ranks and counts (the server's ATELIER_SEARCH_CANDIDATE_LIMIT).
    #[arg(long, default_value_t = 500)]
    search_candidates: u32,
    /// Make the catalogue again even when the stored one matches.
    #[arg(long)]
    reload: bool,
}

pub fn search(args: &SearchArgs) -> anyhow::Result<()> {
    if args.concurrency == 0 {
        bail!("--concurrency must be at least 1");
    }
    harness::with_running(|running| search_with(args, running))
}

fn search_with(args: &SearchArgs, running: &Mutex<Running>) -> anyhow::Result<()> {
    let services = harness::start_services(running, DATABASE, false)?;
    let server = harness::start_server(
        running,
        &services,
        &[
            // Every request does the database work: the figures are those of a cache miss.
            ("ATELIER_CACHE_TTL_SECS".to_owned(), "0".to_owned()),
            (
                "ATELIER_SEARCH_CANDIDATE_LIMIT".to_owned(),
                args.search_candidates.to_string(),
            ),
        ],
    )?;
    let psql = &services.psql;

    let generator = Generator::new(args.seed);
    let category_ids = ensure_catalogue(psql, &generator, args)?;

    let base = format!("http://{}", server.addr);
    let queries = queries::mix(&generator, args.seed, args.products, 2_000);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let local = tokio::task::LocalSet::new();
    let load_before = load_average();
    let results = local.block_on(
        &runtime,
        measure(args, &base, &services.database_url, &queries, &category_ids),
    )?;
    let load_after = load_average();
    report(args, psql, &results);
    println!(
        "Load average (1 min) before measuring {load_before}, after {load_after}: the run itself \
         keeps it near 2; much more means other work shared the cores and the figures are high."
    );
    Ok(())
}

/// The category ids, in the order of [`CATEGORIES`], after making the catalogue unless the
/// stored one was made from the same seed, size and generator.
fn ensure_catalogue(
    psql: &Psql,
    generator: &Generator,
    args: &SearchArgs,
) -> anyhow::Result<Vec<i64>> {
    psql.run(
        "CREATE TABLE IF NOT EXISTS bench_catalogue (
             seed BIGINT NOT NULL, products BIGINT NOT NULL, generator BIGINT NOT NULL,
             loaded_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    )?;
    let stored = psql.run("SELECT seed, products, generator FROM bench_catalogue")?;
    let wanted = format!("{}|{}|{GENERATOR_VERSION}", args.seed, args.products);
    let categories = || -> anyhow::Result<Vec<i64>> {
        let slugs: Vec<String> = CATEGORIES
            .iter()
            .map(|(en, _)| format!("'{}'", en.to_lowercase()))
            .collect();
        let ids = psql.run(&format!(
            "SELECT id FROM categories WHERE slug IN ({}) ORDER BY array_position(ARRAY[{}]::text[], slug::text)",
            slugs.join(","),
            slugs.join(",")
        ))?;
        ids.lines().map(|l| Ok(l.trim().parse()?)).collect()
    };
    if stored == wanted && !args.reload {
        println!(
            "Catalogue: {} products (seed {}), already loaded.",
            args.products, args.seed
        );
        return categories();
    }
    println!(
        "Loading {} products (seed {}) ...",
        args.products, args.seed
    );
    let started = Instant::now();
    psql.run("TRUNCATE bench_catalogue, products, categories RESTART IDENTITY CASCADE")?;
    let values: Vec<String> = CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, (en, zh))| format!("('{en} {zh}', '{}', {i})", en.to_lowercase()))
        .collect();
    psql.run(&format!(
        "INSERT INTO categories (name, slug, display_order) VALUES {}",
        values.join(",")
    ))?;
    let category_ids = categories()?;
    if category_ids.len() != CATEGORIES.len() {
        bail!(
            "expected {} categories, found {}",
            CATEGORIES.len(),
            category_ids.len()
        );
    }
    // The search index is built once after the rows are in, as for any bulk load: faster than
    // row by row, and packed as `REINDEX` would leave it. (The migration's definition.)
    psql.run("DROP INDEX IF EXISTS products_search_vector_idx")?;
    // Two COPY streams, one per core: the search document is computed as rows go in.
    let streams = 2u64;
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let mut handles = Vec::new();
        for stream in 0..streams {
            let category_ids = &category_ids;
            handles.push(scope.spawn(move || -> anyhow::Result<()> {
                let mut child = psql
                    .command()
                    .args([
                        "-c",
                        &format!("COPY products ({}) FROM STDIN", data::COPY_COLUMNS),
                    ])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .context("starting psql")?;
                let mut stdin =
                    std::io::BufWriter::new(child.stdin.take().context("psql's stdin")?);
                let mut line = String::new();
                let mut i = stream;
                while i < args.products {
                    line.clear();
                    data::copy_row(
                        &mut line,
                        &generator.product(i, args.products),
                        category_ids,
                        EPOCH_SECS,
                    );
                    stdin.write_all(line.as_bytes())?;
                    i += streams;
                }
                drop(stdin);
                let output = child.wait_with_output()?;
                if !output.status.success() {
                    bail!(
                        "COPY failed: {}",
                        String::from_utf8_lossy(&output.stderr).trim()
                    );
                }
                Ok(())
            }));
        }
        for handle in handles {
            handle
                .join()
                .map_err(|_| anyhow::anyhow!("a loader panicked"))??;
        }
        Ok(())
    })?;
    println!(
        "  copied in {:.0} s; indexing, vacuuming and analysing ...",
        started.elapsed().as_secs_f64()
    );
    psql.run(
        "SET maintenance_work_mem = '256MB'; \
         CREATE INDEX products_search_vector_idx ON products USING gin (search_vector)",
    )?;
    psql.run("VACUUM (ANALYZE) products")?;
    psql.run("ANALYZE categories")?;
    psql.run(&format!(
        "INSERT INTO bench_catalogue (seed, products, generator) VALUES ({}, {}, {GENERATOR_VERSION})",
        args.seed, args.products
    ))?;
    println!("  loaded in {:.0} s.", started.elapsed().as_secs_f64());
    Ok(category_ids)
}

/// One measured scenario.
struct Measured {
    name: String,
    concurrency: usize,
    outcome: load::Outcome,
    /// Which baseline its ratios are against.
    baseline: Option<usize>,
}

async fn measure(
    args: &SearchArgs,
    base: &str,
    database_url: &str,
    queries: &[queries::Query],
    category_ids: &[i64],
) -> anyhow::Result<Vec<Measured>> {
    let limit = args.limit.to_string();
    let search_requests: Vec<Request<String>> = queries
        .iter()
        .map(|query| {
            let mut params = vec![("q", query.q.as_str()), ("limit", limit.as_str())];
            if let Some(fields) = query.fields {
                params.push(("fields", fields));
            }
            let url =
                reqwest::Url::parse_with_params(&format!("{base}/api/v1/catalog/search"), &params)?;
            Ok(Request {
                what: url.to_string(),
                class: Some(query.class),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let search_requests = Rc::new(search_requests);
    let sql_requests: Vec<Request<SqlParams>> = queries
        .iter()
        .map(|query| {
            let fields = query
                .fields
                .map(domain::catalog::search::SearchField::parse)
                .transpose()
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let parsed = domain::catalog::search::SearchQuery::parse(&query.q, fields.as_slice())
                .map_err(|e| anyhow::anyhow!("{}: {e}", query.q))?;
            let params: SqlParams = vec![
                Box::new(parsed.english_tsquery()),
                Box::new(parsed.cjk_tsquery()),
                Box::new(None::<f32>),
                Box::new(0i64),
                Box::new(i64::from(args.limit) + 1),
                Box::new(i64::from(args.search_candidates)),
                Box::new(None::<i64>),
            ];
            Ok(Request {
                what: params,
                class: Some(query.class),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let sql_requests = Rc::new(sql_requests);

    let http = |n: usize| -> anyhow::Result<Vec<Http>> {
        let one = Http::new(n)?;
        Ok(vec![one; n])
    };
    let listing_first: Vec<Request<String>> = category_ids
        .iter()
        .map(|id| Request {
            what: format!("{base}/api/v1/catalog/products?category_id={id}&limit={limit}"),
            class: None,
        })
        .collect();
    let mut listing_next = Vec::new();
    let client = Http::new(1)?;
    for first in &listing_first {
        let page: serde_json::Value = serde_json::from_str(&client.get(&first.what).await?)?;
        if let Some(cursor) = page["next_cursor"].as_str() {
            let url = reqwest::Url::parse_with_params(&first.what, &[("cursor", cursor)])?;
            listing_next.push(Request {
                what: url.to_string(),
                class: None,
            });
        }
    }
    let listing_first = Rc::new(listing_first);
    let listing_next = Rc::new(listing_next);
    let health = Rc::new(vec![Request {
        what: format!("{base}/healthz"),
        class: None,
    }]);
    let sql = |n: usize| async move {
        let mut senders = Vec::new();
        for _ in 0..n {
            let (client, connection) =
                tokio_postgres::connect(database_url, tokio_postgres::NoTls).await?;
            tokio::task::spawn_local(connection);
            let statement = client.prepare(SEARCH_SQL).await?;
            senders.push(Sql { client, statement });
        }
        anyhow::Ok(senders)
    };

    let c = args.concurrency;
    println!("Warming up for {:.0} s ...", args.warmup.as_secs_f64());
    let third = args.warmup / 3;
    load::run(http(c)?, Rc::clone(&search_requests), third).await?;
    load::run(http(c)?, Rc::clone(&listing_first), third).await?;
    load::run(sql(c).await?, Rc::clone(&sql_requests), third).await?;

    let mut measured: Vec<Measured> = Vec::new();
    let d = args.duration;
    let step = |name: &str| {
        println!("Measuring {name} for {:.0} s ...", d.as_secs_f64());
    };
    step("GET /healthz (baseline)");
    let health_outcome = load::run(http(c)?, Rc::clone(&health), d).await?;
    measured.push(Measured {
        name: "GET /healthz (baseline)".into(),
        concurrency: c,
        outcome: health_outcome,
        baseline: None,
    });
    step("search SQL without HTTP (baseline)");
    let outcome = load::run(sql(c).await?, Rc::clone(&sql_requests), d).await?;
    measured.push(Measured {
        name: "search SQL, no HTTP (baseline)".into(),
        concurrency: c,
        outcome,
        baseline: None,
    });
    step("search");
    let outcome = load::run(http(c)?, Rc::clone(&search_requests), d).await?;
    measured.push(Measured {
        name: "search".into(),
        concurrency: c,
        outcome,
        baseline: Some(0),
    });
    step("category listing, first page");
    let outcome = load::run(http(c)?, Rc::clone(&listing_first), d).await?;
    measured.push(Measured {
        name: "category listing, page 1".into(),
        concurrency: c,
        outcome,
        baseline: Some(0),
    });
    if !listing_next.is_empty() {
        step("category listing, next page");
        let outcome = load::run(http(c)?, Rc::clone(&listing_next), d).await?;
        measured.push(Measured {
            name: "category listing, page 2 (cursor)".into(),
            concurrency: c,
            outcome,
            baseline: Some(0),
        });
    }
    if args.max_concurrency > 0 {
        let m = args.max_concurrency;
        step("throughput");
        let outcome = load::run(http(m)?, Rc::clone(&health), d).await?;
        let at = measured.len();
        measured.push(Measured {
            name: "GET /healthz (baseline)".into(),
            concurrency: m,
            outcome,
            baseline: None,
        });
        let outcome = load::run(http(m)?, Rc::clone(&search_requests), d).await?;
        measured.push(Measured {
            name: "search".into(),
            concurrency: m,
            outcome,
            baseline: Some(at),
        });
    }
    Ok(measured)
}

fn report(args: &SearchArgs, psql: &Psql, measured: &[Measured]) {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let pg = psql.run("SHOW server_version").unwrap_or_default();
    let matched = psql
        .run("SELECT count(*) FROM products WHERE status = 'active'")
        .unwrap_or_default();
    println!(
        "\ncargo xtask bench search: {} products ({matched} active, seed {}), {cores} cores shared by \
         the server (release, default workers and pool), PostgreSQL {pg}, and the load generator \
         (one thread); {} results a page; search ranks at most {} matches; {:.0} s a scenario; \
         closed loop.\n",
        args.products,
        args.seed,
        args.limit,
        args.search_candidates,
        args.duration.as_secs_f64()
    );
    println!(
        "{:<36} {:>5} {:>9} {:>6} {:>8} {:>8} {:>8} {:>8}  vs baseline (p95 ×, rps ×)",
        "scenario", "conc", "requests", "errors", "rps", "p50 ms", "p95 ms", "p99 ms",
    );
    for m in measured {
        let h = &m.outcome.latencies;
        let ratio = m
            .baseline
            .and_then(|b| measured.get(b))
            .map_or_else(String::new, |b| {
                let bh = &b.outcome.latencies;
                format!(
                    "{:.1}× / {:.2}× of {} at {}",
                    ms(h, 0.95) / ms(bh, 0.95).max(0.001),
                    m.outcome.rps() / b.outcome.rps().max(1e-9),
                    b.name.trim_end_matches(" (baseline)"),
                    b.concurrency
                )
            });
        println!(
            "{:<36} {:>5} {:>9} {:>6} {:>8.0} {:>8.2} {:>8.2} {:>8.2}  {ratio}",
            m.name,
            m.concurrency,
            m.outcome.requests(),
            m.outcome.errors,
            m.outcome.rps(),
            ms(h, 0.5),
            ms(h, 0.95),
            ms(h, 0.99)
        );
        if let Some(error) = &m.outcome.first_error {
            println!("    first error: {error}");
        }
    }
    // The breakdown of search by kind of query, with the database's share of it.
    let sql: BTreeMap<_, _> = measured
        .iter()
        .find(|m| m.name.starts_with("search SQL"))
        .map(|m| m.outcome.by_class.iter().collect())
        .unwrap_or_default();
    if let Some(search) = measured.iter().find(|m| m.name == "search") {
        println!(
            "\nsearch at concurrency {} by kind of query (share of the mix): HTTP p50/p95 ms, then the same SQL without HTTP",
            search.concurrency
        );
        for (class, share) in QueryClass::MIX {
            let Some(h) = search.outcome.by_class.get(class) else {
                continue;
            };
            let db = sql.get(class).map_or_else(String::new, |s| {
                format!("{:>8.2} {:>8.2}", ms(s, 0.5), ms(s, 0.95))
            });
            println!(
                "  {:<26} {:>3}% {:>8.2} {:>8.2}   {db}",
                class.label(),
                share,
                ms(h, 0.5),
                ms(h, 0.95)
            );
        }
        let p95 = ms(&search.outcome.latencies, 0.95);
        let verdict = if p95 < SEARCH_P95_BUDGET_MS {
            "within"
        } else {
            "OVER"
        };
        println!(
            "\nsearch p95 {p95:.1} ms at concurrency {}: {verdict} the {SEARCH_P95_BUDGET_MS:.0} ms budget.",
            search.concurrency
        );
    }
}
