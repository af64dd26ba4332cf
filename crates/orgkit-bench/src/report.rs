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
    /// The driver's own CPU use during the phase, in % of one core (median of runs).
    pub driver_cpu_pct: f64,
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
                driver_cpu_pct: median(all.iter().map(|r| r.driver_cpu_pct).collect()),
            }
        })
        .collect()
}

/// The markdown table.
#[must_use]
pub fn table(rows: &[Row]) -> String {
    render(rows, false)
}

/// The markdown table with one more column: the driver's own CPU use during each phase, in %
/// of one core (the paired scenario's tables; the driver must not be the limit).
#[must_use]
pub fn table_with_driver_cpu(rows: &[Row]) -> String {
    render(rows, true)
}

/// The table's rows, with the driver CPU column when `driver_cpu`.
fn render(rows: &[Row], driver_cpu: bool) -> String {
    let (head, rule) = if driver_cpu {
        (" driver CPU |", " --- |")
    } else {
        ("", "")
    };
    let mut out = format!(
        "| operation | concurrency | req/s (median) | req/s range | p50 ms | p99 ms | requests | errors |{head}\n\
         | --- | --- | --- | --- | --- | --- | --- | --- |{rule}\n"
    );
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {:.0} | {:.0}–{:.0} | {:.2} | {:.2} | {} | {} |",
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
        if driver_cpu {
            out.push_str(&format!(" {:.0}% |", r.driver_cpu_pct));
        }
        out.push('\n');
    }
    out
}

/// Thousands separated by commas: 19162 → "19,162".
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The ratio table: for each labelled operation, the other server's and orgkit's req/s (p99
/// ms), and orgkit ÷ other. `labels[i]` names row `i` of both `other` and `orgkit`.
#[must_use]
pub fn ratio_table(labels: &[&str], other_name: &str, other: &[Row], orgkit: &[Row]) -> String {
    let mut out = format!(
        "| operation | {other_name} req/s (p99 ms) | orgkit req/s (p99 ms) | ratio |\n\
         | --- | --- | --- | --- |\n"
    );
    for ((label, theirs), ours) in labels.iter().zip(other).zip(orgkit) {
        let ratio = if theirs.throughput > 0.0 {
            format!("{:.1}×", ours.throughput / theirs.throughput)
        } else {
            "–".to_owned()
        };
        out.push_str(&format!(
            "| {label} | {} ({:.1}) | {} ({:.1}) | {ratio} |\n",
            thousands(theirs.throughput),
            theirs.p99_ms,
            thousands(ours.throughput),
            ours.p99_ms,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(throughput: f64, p99_ms: f64) -> Row {
        Row {
            name: "op".to_owned(),
            concurrency: 16,
            throughput,
            p50_ms: 1.0,
            p99_ms,
            requests: 10,
            errors: 0,
            throughput_range: (throughput, throughput),
            first_error: None,
            driver_cpu_pct: 42.4,
        }
    }

    #[test]
    fn ratio_table_divides_orgkit_by_the_other_server() {
        let table = ratio_table(
            &["create organization, c16", "permission check, c16"],
            "Better Auth",
            &[row(306.0, 96.04), row(0.0, 0.0)],
            &[row(3654.0, 8.1), row(19162.0, 1.44)],
        );
        assert!(
            table.contains("| create organization, c16 | 306 (96.0) | 3,654 (8.1) | 11.9× |"),
            "{table}"
        );
        assert!(
            table.contains("| permission check, c16 | 0 (0.0) | 19,162 (1.4) | – |"),
            "{table}"
        );
        assert!(table.starts_with("| operation | Better Auth req/s (p99 ms) |"));
    }

    #[test]
    fn driver_cpu_is_a_column() {
        let table = table_with_driver_cpu(&[row(1000.0, 2.0)]);
        assert!(table.contains("| driver CPU |"), "{table}");
        assert!(table.contains("| 42% |"), "{table}");
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(vec![]), 0.0);
    }
}
