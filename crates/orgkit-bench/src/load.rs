//! The load loop: a fixed number of workers send requests until a request count or a time
//! limit is reached, whichever comes first, and every latency is recorded.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How hard and how long one phase pushes.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// The most requests the phase sends.
    pub max_requests: u64,
    /// The longest the phase runs.
    pub max_duration: Duration,
    /// An unmeasured window run first, on the same index counter (so a request never repeats
    /// an index the measured window uses), and the measured one starts where it stopped.
    pub warmup: Duration,
}

/// What one phase measured.
#[derive(Debug, Clone)]
pub struct PhaseResult {
    pub name: String,
    pub concurrency: usize,
    pub requests: u64,
    pub errors: u64,
    pub elapsed: Duration,
    /// Sorted latencies in microseconds, of successful and failed requests alike.
    latencies_us: Vec<u64>,
    /// The first error seen, to tell what went wrong.
    pub first_error: Option<String>,
    /// This driver's own CPU time over the phase's wall time, in % of one core.
    pub driver_cpu_pct: f64,
}

impl PhaseResult {
    #[must_use]
    pub fn throughput(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The mean latency, in milliseconds.
    #[must_use]
    pub fn mean_ms(&self) -> f64 {
        let n = self.latencies_us.len().max(1) as f64;
        self.latencies_us.iter().sum::<u64>() as f64 / n / 1000.0
    }

    /// The latency at quantile `q` (0 to 1), in milliseconds.
    #[must_use]
    pub fn percentile_ms(&self, q: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return 0.0;
        }
        let rank = ((self.latencies_us.len() as f64 - 1.0) * q).round() as usize;
        self.latencies_us[rank.min(self.latencies_us.len() - 1)] as f64 / 1000.0
    }
}

/// Runs `request(i)` for i = 0, 1, 2, … on `bounds.concurrency` workers: first the unmeasured
/// warm-up window (`bounds.warmup`, and at most a quarter of `bounds.max_requests`), then the
/// measured one, on the same index counter. A
/// request that returns `Err` counts as an error; its latency still counts.
pub async fn run_phase<F, Fut>(name: &str, bounds: Bounds, request: F) -> PhaseResult
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send,
{
    let request = Arc::new(request);
    let next = Arc::new(AtomicU64::new(0));
    if !bounds.warmup.is_zero() {
        let deadline = Instant::now() + bounds.warmup;
        // At most a quarter of the request bound, so a fast phase still measures.
        let warmup = Bounds {
            max_requests: bounds.max_requests / 4,
            ..bounds
        };
        for worker in spawn_workers(&request, &next, warmup, deadline) {
            let _ = worker.await;
        }
    }
    // Progress on stderr, so a profiler can be attached to one phase (BENCHMARKS.md).
    eprintln!("phase {name}: measuring");
    let cpu_before = own_cpu_ms();
    let started = Instant::now();
    let deadline = started + bounds.max_duration;
    let workers = spawn_workers(&request, &next, bounds, deadline);
    let mut latencies_us = Vec::new();
    let mut errors = 0;
    let mut first_error = None;
    for worker in workers {
        match worker.await {
            Ok((l, e, f)) => {
                latencies_us.extend(l);
                errors += e;
                if first_error.is_none() {
                    first_error = f;
                }
            }
            Err(join) => {
                errors += 1;
                first_error.get_or_insert(join.to_string());
            }
        }
    }
    let elapsed = started.elapsed();
    eprintln!("phase {name}: done");
    let driver_cpu_pct = match (cpu_before, own_cpu_ms()) {
        (Some(before), Some(after)) => (after - before) / elapsed.as_secs_f64().max(1e-9) / 10.0,
        _ => 0.0,
    };
    latencies_us.sort_unstable();
    PhaseResult {
        name: name.to_owned(),
        concurrency: bounds.concurrency,
        requests: latencies_us.len() as u64,
        errors,
        elapsed,
        latencies_us,
        first_error,
        driver_cpu_pct,
    }
}

/// One worker's latencies, error count and first error.
type WorkerTally = (Vec<u64>, u64, Option<String>);

/// Starts `bounds.concurrency` workers taking indexes from `next` until `deadline` or the
/// request bound (which counts every index taken, warm-up included).
fn spawn_workers<F, Fut>(
    request: &Arc<F>,
    next: &Arc<AtomicU64>,
    bounds: Bounds,
    deadline: Instant,
) -> Vec<tokio::task::JoinHandle<WorkerTally>>
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send,
{
    (0..bounds.concurrency)
        .map(|_| {
            let (request, next) = (Arc::clone(request), Arc::clone(next));
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = 0u64;
                let mut first_error = None;
                while Instant::now() < deadline {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= bounds.max_requests {
                        break;
                    }
                    let t0 = Instant::now();
                    let outcome = request(i).await;
                    latencies.push(t0.elapsed().as_micros() as u64);
                    if let Err(e) = outcome {
                        errors += 1;
                        first_error.get_or_insert(e);
                    }
                }
                (latencies, errors, first_error)
            })
        })
        .collect()
}

/// This process's CPU time so far (user + system, every thread), in milliseconds, from
/// `/proc/self/stat`; `None` where there is no procfs.
#[must_use]
pub fn own_cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) closing with ')': utime and stime
    // are fields 14 and 15 (1-based), 12 and 13 after the name, in clock ticks of 10 ms
    // (USER_HZ = 100 on Linux).
    let rest = stat.rsplit_once(')')?.1;
    let mut fields = rest.split_whitespace().skip(11);
    let utime: f64 = fields.next()?.parse().ok()?;
    let stime: f64 = fields.next()?.parse().ok()?;
    Some((utime + stime) * 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stops_at_the_request_bound_and_counts_errors() {
        let bounds = Bounds {
            concurrency: 4,
            max_requests: 100,
            max_duration: Duration::from_secs(30),
            warmup: Duration::ZERO,
        };
        let result = run_phase("t", bounds, |i| async move {
            if i % 10 == 0 {
                Err(format!("failed {i}"))
            } else {
                Ok(())
            }
        })
        .await;
        assert_eq!(result.requests, 100);
        assert_eq!(result.errors, 10);
        assert!(result.first_error.is_some());
        assert!(result.percentile_ms(0.99) >= result.percentile_ms(0.5));
    }

    #[tokio::test]
    async fn measures_the_drivers_own_cpu() {
        let bounds = Bounds {
            concurrency: 1,
            max_requests: u64::MAX,
            max_duration: Duration::from_millis(400),
            warmup: Duration::ZERO,
        };
        let idle = run_phase("idle", bounds, |_| async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok(())
        })
        .await;
        let busy = run_phase("busy", bounds, |_| async {
            let t0 = Instant::now();
            while t0.elapsed() < Duration::from_millis(20) {
                std::hint::spin_loop();
            }
            Ok(())
        })
        .await;
        assert!(own_cpu_ms().is_some(), "no /proc/self/stat");
        assert!(idle.driver_cpu_pct < 50.0, "{}", idle.driver_cpu_pct);
        assert!(
            busy.driver_cpu_pct > idle.driver_cpu_pct && busy.driver_cpu_pct <= 400.0,
            "busy {} idle {}",
            busy.driver_cpu_pct,
            idle.driver_cpu_pct
        );
    }

    #[tokio::test]
    async fn stops_at_the_time_bound() {
        let bounds = Bounds {
            concurrency: 2,
            max_requests: u64::MAX,
            max_duration: Duration::from_millis(50),
            warmup: Duration::ZERO,
        };
        let result = run_phase("t", bounds, |_| async {
            tokio::time::sleep(Duration::from_millis(5)).await;
            Ok(())
        })
        .await;
        assert!(
            result.requests > 0 && result.requests < 1000,
            "{}",
            result.requests
        );
        assert_eq!(result.errors, 0);
    }
    #[tokio::test]
    async fn warms_up_unmeasured_on_the_same_index_counter() {
        use std::sync::Mutex;
        let seen = Arc::new(Mutex::new(Vec::new()));
        let bounds = Bounds {
            concurrency: 2,
            max_requests: u64::MAX,
            max_duration: Duration::from_millis(100),
            warmup: Duration::from_millis(300),
        };
        let log = Arc::clone(&seen);
        let result = run_phase("t", bounds, move |i| {
            let log = Arc::clone(&log);
            async move {
                tokio::time::sleep(Duration::from_millis(5)).await;
                log.lock().map_err(|e| e.to_string())?.push(i);
                Ok(())
            }
        })
        .await;
        let mut seen = seen.lock().expect("lock").clone();
        let total = seen.len() as u64;
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len() as u64, total, "an index ran twice");
        // The warm-up's requests ran but are not in the result.
        assert!(
            result.requests > 0 && result.requests < total,
            "{} of {total}",
            result.requests
        );
        assert!(
            result.elapsed < Duration::from_millis(300),
            "{:?}",
            result.elapsed
        );
    }

    #[tokio::test]
    async fn the_warm_up_takes_at_most_a_quarter_of_the_request_bound() {
        let bounds = Bounds {
            concurrency: 2,
            max_requests: 48,
            max_duration: Duration::from_secs(30),
            warmup: Duration::from_secs(30),
        };
        let result = run_phase("t", bounds, |_| async { Ok(()) }).await;
        // The bound counts every index: 12 warm the phase up, each of the 2 warm-up workers
        // takes one more that it does not run (the bound was reached), 34 are measured.
        assert_eq!(result.requests, 34);
    }
}
