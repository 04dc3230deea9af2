//! Where the CPU time of a measured stretch went: the server, PostgreSQL (the postmaster's
//! children), and the load (this process, or pgbench), read from `/proc/<pid>/stat` by a thread
//! that looks every 200 ms, so processes that end with the stretch (pgbench's backends) are
//! still counted up to their last sighting.

use std::collections::HashMap;
use std::fs;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// Clock ticks a second of `/proc/<pid>/stat` (USER_HZ, 100 on Linux).
const TICKS_PER_SECOND: f64 = 100.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Group {
    Server,
    Postgres,
    Load,
}

/// CPU seconds each part used.
#[derive(Debug, Clone, Copy, Default)]
pub struct CpuSeconds {
    pub server: f64,
    pub postgres: f64,
    /// The load generator (this process) or pgbench.
    pub load: f64,
}

pub struct Sampler {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<HashMap<(u32, Group), (u64, u64)>>,
}

impl Sampler {
    pub fn start(server: u32, postmaster: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let own = std::process::id();
        let thread = std::thread::spawn(move || {
            // (pid, group) → (ticks first seen, ticks last seen)
            let mut seen: HashMap<(u32, Group), (u64, u64)> = HashMap::new();
            loop {
                for (pid, ppid, comm, ticks) in processes() {
                    let group = if pid == server {
                        Group::Server
                    } else if ppid == postmaster {
                        Group::Postgres
                    } else if pid == own || (ppid == own && comm == "pgbench") {
                        Group::Load
                    } else {
                        continue;
                    };
                    seen.entry((pid, group))
                        .and_modify(|(_, last)| *last = ticks)
                        .or_insert((ticks, ticks));
                }
                if stopping.load(Ordering::Relaxed) {
                    return seen;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        });
        Self { stop, thread }
    }

    pub fn stop(self) -> CpuSeconds {
        self.stop.store(true, Ordering::Relaxed);
        let seen = self.thread.join().unwrap_or_default();
        let mut seconds = CpuSeconds::default();
        for ((_, group), (first, last)) in seen {
            let used = last.saturating_sub(first) as f64 / TICKS_PER_SECOND;
            match group {
                Group::Server => seconds.server += used,
                Group::Postgres => seconds.postgres += used,
                Group::Load => seconds.load += used,
            }
        }
        seconds
    }
}

/// Every process: pid, parent, command name, user + system ticks.
fn processes() -> Vec<(u32, u32, String, u64)> {
    let Ok(dir) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|entry| {
        let pid: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let (head, rest) = stat.rsplit_once(") ")?;
        let comm = head.split_once(" (")?.1.to_owned();
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ppid = fields.get(1)?.parse().ok()?;
        let utime: u64 = fields.get(11)?.parse().ok()?;
        let stime: u64 = fields.get(12)?.parse().ok()?;
        Some((pid, ppid, comm, utime + stime))
    })
    .collect()
}
