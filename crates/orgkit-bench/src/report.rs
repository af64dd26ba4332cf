//! Turns phase results into the markdown tables of BENCHMARKS.md, taking the median of runs.

use crate::load::PhaseResult;

/// One row of the report: the median of several runs of the same phase.
#[derive(Debug, Clone)]
pub struct Row {
    pub name: String,
    pub concurrency: usize,
    pub throughput: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub requests: u64,
    pub errors: u64,
    /// The spread of throughput across runs, as (min, max).
    pub throughput_range: (f64, f64),
    pub first_error: Option<String>,
}

/// The median; 0 for no values.
#[must_use]
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Medians across runs: `runs[r][p]` is phase `p` of run `r`; every run has the same phases.
#[must_use]
pub fn medians(runs: &[Vec<PhaseResult>]) -> Vec<Row> {
    let Some(first) = runs.first() else {
        return Vec::new();
    };
    (0..first.len())
        .map(|p| {
            let all: Vec<&PhaseResult> = runs.iter().filter_map(|r| r.get(p)).collect();
            let throughputs: Vec<f64> = all.iter().map(|r| r.throughput()).collect();
            let min = throughputs.iter().copied().fold(f64::INFINITY, f64::min);
            let max = throughputs.iter().copied().fold(0.0, f64::max);
            Row {
                name: first[p].name.clone(),
                concurrency: first[p].concurrency,
                throughput: median(throughputs),
                p50_ms: median(all.iter().map(|r| r.percentile_ms(0.5)).collect()),
                p99_ms: median(all.iter().map(|r| r.percentile_ms(0.99)).collect()),
                requests: all.iter().map(|r| r.requests).sum(),
                errors: all.iter().map(|r| r.errors).sum(),
                throughput_range: (min, max),
                first_error: all.iter().find_map(|r| r.first_error.clone()),
            }
        })
        .collect()
}

/// The markdown table.
#[must_use]
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| operation | concurrency | req/s (median) | req/s range | p50 ms | p99 ms | requests | errors |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {:.0} | {:.0}–{:.0} | {:.2} | {:.2} | {} | {} |\n",
            r.name,
            r.concurrency,
            r.throughput,
            r.throughput_range.0,
            r.throughput_range.1,
            r.p50_ms,
            r.p99_ms,
            r.requests,
            r.errors
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(vec![]), 0.0);
    }
}
