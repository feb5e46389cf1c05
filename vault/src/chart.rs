//! PNG charts of the published statistics: scans per day for the busiest regions (a time series,
//! suppressed days left as gaps) and published scans per postcode (a map-free bar chart).
//! Drawn with plotters' bitmap backend and an embedded DejaVu Sans, so no system fonts are needed.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use plotters::prelude::*;

use crate::error::{Result, VaultError};
use crate::stats::StatRow;

static FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");
static FONT_OK: OnceLock<bool> = OnceLock::new();

fn font() -> Result<()> {
    let ok = *FONT_OK.get_or_init(|| {
        plotters::style::register_font("sans-serif", FontStyle::Normal, FONT).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(VaultError::Chart("the embedded font did not load".into()))
    }
}

fn err(e: impl std::fmt::Display) -> VaultError {
    VaultError::Chart(e.to_string())
}

fn region_label(r: &StatRow) -> String {
    match (r.country.as_str(), r.postcode.as_str()) {
        ("", _) => "unknown".into(),
        (c, "") => c.to_owned(),
        (c, p) => format!("{c}-{p}"),
    }
}

/// Published scans per region (label → date → scans).
type ByRegion = BTreeMap<String, BTreeMap<String, u64>>;

/// Published scans per region and date, and the regions ordered by their published total.
fn series(rows: &[StatRow]) -> (Vec<String>, ByRegion, Vec<(String, u64)>) {
    let mut by_region: ByRegion = BTreeMap::new();
    let mut dates: Vec<String> = rows.iter().map(|r| r.date.clone()).collect();
    dates.sort();
    dates.dedup();
    for r in rows {
        if let Some(s) = r.scans {
            by_region
                .entry(region_label(r))
                .or_default()
                .insert(r.date.clone(), s);
        }
    }
    let mut totals: Vec<(String, u64)> = by_region
        .iter()
        .map(|(k, v)| (k.clone(), v.values().sum()))
        .collect();
    totals.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    (dates, by_region, totals)
}

/// Draws scans per day for the `top` regions with the most published scans.
pub fn time_series(rows: &[StatRow], path: &Path, top: usize) -> Result<()> {
    font()?;
    let (dates, by_region, totals) = series(rows);
    let max = by_region
        .values()
        .flat_map(|m| m.values())
        .copied()
        .max()
        .unwrap_or(1)
        .max(1);
    let root = BitMapBackend::new(path, (1200, 700)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let n = dates.len().max(2);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Scans per day (slot entries), busiest regions; gaps = suppressed",
            ("sans-serif", 26),
        )
        .margin(20)
        .x_label_area_size(60)
        .y_label_area_size(70)
        .right_y_label_area_size(10)
        .build_cartesian_2d(0usize..n - 1, 0u64..max + max / 10 + 1)
        .map_err(err)?;
    let label_dates = dates.clone();
    chart
        .configure_mesh()
        .x_labels(n.min(14))
        .x_label_formatter(&|i| {
            label_dates
                .get(*i)
                .map(|d| d[5..].to_owned())
                .unwrap_or_default()
        })
        .x_desc("date (UTC)")
        .y_desc("scans")
        .label_style(("sans-serif", 16))
        .draw()
        .map_err(err)?;
    for (i, (region, _)) in totals.iter().take(top).enumerate() {
        let color = Palette99::pick(i).to_rgba();
        let points = by_region.get(region).cloned().unwrap_or_default();
        // Split into runs of consecutive published days so suppressed days show as gaps.
        let mut runs: Vec<Vec<(usize, u64)>> = vec![Vec::new()];
        for (x, d) in dates.iter().enumerate() {
            match points.get(d) {
                Some(v) => runs.last_mut().map(|r| r.push((x, *v))).unwrap_or(()),
                None => runs.push(Vec::new()),
            }
        }
        let mut first = true;
        for run in runs.into_iter().filter(|r| !r.is_empty()) {
            let s = chart
                .draw_series(LineSeries::new(run.clone(), color.stroke_width(2)))
                .map_err(err)?;
            if first {
                s.label(region.clone()).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(3))
                });
                first = false;
            }
            chart
                .draw_series(run.into_iter().map(|p| Circle::new(p, 3, color.filled())))
                .map_err(err)?;
        }
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 16))
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(err)?;
    root.present().map_err(err)
}

/// Draws published scans over the whole period per postcode, for the `top` postcodes.
pub fn bar_by_postcode(rows: &[StatRow], path: &Path, top: usize) -> Result<()> {
    font()?;
    let (_, _, totals) = series(rows);
    let bars: Vec<(String, u64)> = totals.into_iter().take(top).collect();
    let max = bars.iter().map(|b| b.1).max().unwrap_or(1).max(1);
    let root = BitMapBackend::new(path, (1200, 700)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let n = bars.len().max(1);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Published scans per postcode (sum of unsuppressed days)",
            ("sans-serif", 26),
        )
        .margin(20)
        .x_label_area_size(90)
        .y_label_area_size(70)
        .build_cartesian_2d((0..n).into_segmented(), 0u64..max + max / 10 + 1)
        .map_err(err)?;
    let names: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .x_label_style(
            ("sans-serif", 14)
                .into_font()
                .transform(FontTransform::Rotate90),
        )
        .y_desc("scans")
        .label_style(("sans-serif", 16))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(
            Histogram::vertical(&chart)
                .style(RGBColor(40, 110, 180).filled())
                .margin(6)
                .data(bars.iter().enumerate().map(|(i, b)| (i, b.1))),
        )
        .map_err(err)?;
    root.present().map_err(err)
}
