//! The overview cards' mini gauges (HS §4.4): CPU % and memory % of a
//! target's newest metrics sample, with its cores and total memory. Drawn
//! on the server as a bar whose width is an SVG attribute (no inline style,
//! no script); the value is always printed as text beside it.

use distr_domain::telemetry::MetricsSample;

/// One gauge.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Gauge {
    /// "CPU" or "Memory".
    pub what: &'static str,
    /// The percentage, rounded, as text ("42").
    pub percent: String,
    /// The bar's width in the 0–100 view box ("42.5").
    pub width: String,
    /// "ok" below 80 %, "warn" below 95 %, else "high".
    pub level: &'static str,
    /// The capacity: "2 cores", "3.7 GiB".
    pub capacity: String,
}

fn gauge(what: &'static str, fraction: f64, capacity: String) -> Gauge {
    let fraction = if fraction.is_finite() {
        fraction.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let percent = fraction * 100.0;
    Gauge {
        what,
        percent: format!("{percent:.0}"),
        width: format!("{percent:.1}"),
        level: if percent < 80.0 {
            "ok"
        } else if percent < 95.0 {
            "warn"
        } else {
            "high"
        },
        capacity,
    }
}

/// "1 core", "1.5 cores", "16 cores".
pub(crate) fn cores(millis: i64) -> String {
    let millis = millis.max(0);
    let whole = millis / 1000;
    let rest = millis % 1000;
    let number = if rest == 0 {
        whole.to_string()
    } else {
        let text = format!("{whole}.{rest:03}");
        text.trim_end_matches('0').to_owned()
    };
    if millis == 1000 {
        "1 core".to_owned()
    } else {
        format!("{number} cores")
    }
}

/// Binary units with one decimal: "512.0 MiB", "3.7 GiB".
pub(crate) fn memory(bytes: i64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    #[expect(clippy::cast_precision_loss, reason = "one decimal is shown")]
    let mut value = bytes.max(0) as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value:.0} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// The CPU and memory gauges of one sample.
pub(crate) fn gauges(sample: &MetricsSample) -> Vec<Gauge> {
    vec![
        gauge("CPU", sample.cpu_usage, cores(sample.cpu_cores_millis)),
        gauge("Memory", sample.memory_usage, memory(sample.memory_bytes)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cores_and_memory_read_naturally() {
        assert_eq!(cores(1000), "1 core");
        assert_eq!(cores(1500), "1.5 cores");
        assert_eq!(cores(250), "0.25 cores");
        assert_eq!(cores(16_000), "16 cores");
        assert_eq!(memory(512), "512 B");
        assert_eq!(memory(512 * 1024 * 1024), "512.0 MiB");
        assert_eq!(memory(4_000_000_000), "3.7 GiB");
    }

    #[test]
    fn a_gauge_clamps_and_grades_its_value() {
        let g = gauge("CPU", 0.25, String::new());
        assert_eq!(
            (g.percent.as_str(), g.width.as_str(), g.level),
            ("25", "25.0", "ok")
        );
        assert_eq!(gauge("CPU", 0.9, String::new()).level, "warn");
        let over = gauge("CPU", 1.7, String::new());
        assert_eq!((over.percent.as_str(), over.level), ("100", "high"));
        assert_eq!(gauge("CPU", f64::NAN, String::new()).percent, "0");
        assert_eq!(gauge("CPU", -1.0, String::new()).width, "0.0");
    }
}
