//! A fixed-bucket histogram of durations in seconds.

use super::text::TextWriter;

/// Upper bounds in seconds; long-polls hold up to 60 s.
pub const BUCKETS: [f64; 13] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

/// Observations per bucket (not cumulative), their sum and count.
#[derive(Debug, Clone, Default)]
pub struct Histogram {
    buckets: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

impl Histogram {
    /// Records one observation.
    pub fn observe(&mut self, seconds: f64) {
        if let Some(i) = BUCKETS.iter().position(|le| seconds <= *le) {
            self.buckets[i] += 1;
        }
        self.sum += seconds;
        self.count += 1;
    }

    /// Writes `<name>_bucket` (cumulative, with `+Inf`), `<name>_sum` and
    /// `<name>_count`, each with `labels`.
    pub fn write(&self, w: &mut TextWriter, name: &str, labels: &[(&str, &str)]) {
        let bucket = format!("{name}_bucket");
        let mut cumulative = 0;
        for (le, n) in BUCKETS.iter().zip(self.buckets) {
            cumulative += n;
            let le = le.to_string();
            let mut with_le = labels.to_vec();
            with_le.push(("le", &le));
            w.sample(&bucket, &with_le, count(cumulative));
        }
        let mut with_inf = labels.to_vec();
        with_inf.push(("le", "+Inf"));
        w.sample(&bucket, &with_inf, count(self.count));
        w.sample(&format!("{name}_sum"), labels, self.sum);
        w.sample(&format!("{name}_count"), labels, count(self.count));
    }
}

/// A count as a sample value (exact up to 2^53).
pub(super) const fn count(n: u64) -> f64 {
    n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative_and_end_with_inf() {
        let mut h = Histogram::default();
        h.observe(0.004);
        h.observe(0.2);
        h.observe(120.0);
        let mut w = TextWriter::new();
        h.write(&mut w, "d", &[("route", "/x")]);
        let text = w.finish();
        assert!(text.contains("d_bucket{route=\"/x\",le=\"0.005\"} 1\n"));
        assert!(text.contains("d_bucket{route=\"/x\",le=\"0.25\"} 2\n"));
        assert!(text.contains("d_bucket{route=\"/x\",le=\"60\"} 2\n"));
        assert!(text.contains("d_bucket{route=\"/x\",le=\"+Inf\"} 3\n"));
        assert!(text.contains("d_count{route=\"/x\"} 3\n"));
        assert!(text.contains("d_sum{route=\"/x\"} 120.204"));
    }
}
