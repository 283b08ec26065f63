//! Server-drawn SVG line charts of a usage fraction over time (HS §4.4:
//! no chart library, no script).

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 160.0;
const LEFT: f64 = 40.0;
const BOTTOM: f64 = 20.0;

/// An inline SVG of `points` (time, fraction in [0, 1]) between `from` and
/// `to`; `class` picks the line colour. Every input is a number, so nothing
/// needs escaping besides the fixed labels.
pub(crate) fn usage_chart(
    title: &str,
    class: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    points: &[(DateTime<Utc>, f64)],
) -> String {
    let span = (to - from).num_seconds().max(1) as f64;
    let plot_w = WIDTH - LEFT;
    let plot_h = HEIGHT - BOTTOM;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{}\">",
        escape(title)
    );
    for (fraction, label) in [(1.0, "100%"), (0.5, "50%"), (0.0, "0%")] {
        let y = plot_h * (1.0 - fraction);
        let _ = write!(
            svg,
            "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{WIDTH}\" y2=\"{y:.1}\"/><text x=\"2\" y=\"{:.1}\">{label}</text>",
            (y + 4.0).clamp(10.0, plot_h)
        );
    }
    let _ = write!(
        svg,
        "<text x=\"{LEFT}\" y=\"{HEIGHT}\">{}</text><text x=\"{}\" y=\"{HEIGHT}\" text-anchor=\"end\">{}</text>",
        from.format("%H:%M"),
        WIDTH,
        to.format("%H:%M")
    );
    if points.is_empty() {
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">No samples in this range</text>",
            LEFT + plot_w / 2.0,
            plot_h / 2.0
        );
    } else {
        let coords: Vec<String> = points
            .iter()
            .map(|(t, v)| {
                let x = LEFT + plot_w * ((*t - from).num_seconds() as f64 / span).clamp(0.0, 1.0);
                let y = plot_h * (1.0 - v.clamp(0.0, 1.0));
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(
            svg,
            "<polyline class=\"{}\" points=\"{}\"/>",
            escape(class),
            coords.join(" ")
        );
    }
    svg.push_str("</svg>");
    svg
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_becomes_one_polyline_with_a_point_per_bucket() {
        let to = Utc::now();
        let from = to - chrono::Duration::hours(1);
        let points = [
            (from, 0.0),
            (from + chrono::Duration::minutes(30), 0.5),
            (to, 1.0),
        ];
        let svg = usage_chart("CPU", "line-cpu", from, to, &points);
        assert!(svg.starts_with("<svg"));
        assert!(
            svg.contains("points=\"40.0,140.0 320.0,70.0 600.0,0.0\""),
            "{svg}"
        );
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn an_empty_range_says_so() {
        let to = Utc::now();
        let svg = usage_chart(
            "Memory",
            "line-mem",
            to - chrono::Duration::hours(24),
            to,
            &[],
        );
        assert!(svg.contains("No samples in this range"));
        assert!(!svg.contains("<polyline"));
    }
}
