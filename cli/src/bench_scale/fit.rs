//! How each figure grows with the record count: the least-squares slope of log(value) over
//! log(records) across the sizes measured (1 = linear; noticeably above 1 grows faster than its
//! input and is a finding).

use super::measure::Figure;

/// The slope of log(y) over log(x), or None with fewer than two distinct sizes.
pub fn slope(points: &[(f64, f64)]) -> Option<f64> {
    let pts: Vec<(f64, f64)> = points
        .iter()
        .filter(|(x, y)| *x > 0.0 && *y > 0.0)
        .map(|(x, y)| (x.ln(), y.ln()))
        .collect();
    let n = pts.len() as f64;
    if pts.len() < 2 {
        return None;
    }
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

/// The slope lines for every figure name, in first-seen order: the figure's slope and its
/// baseline's.
pub fn lines(runs: &[(u64, Vec<Figure>)]) -> Vec<String> {
    let mut names: Vec<&'static str> = Vec::new();
    for (_, figs) in runs {
        for f in figs {
            if !names.contains(&f.name) {
                names.push(f.name);
            }
        }
    }
    names
        .into_iter()
        .map(|name| {
            let pick = |base: bool| -> Vec<(f64, f64)> {
                runs.iter()
                    .filter_map(|(n, figs)| {
                        figs.iter()
                            .find(|f| f.name == name)
                            .map(|f| (*n as f64, if base { f.baseline } else { f.value }))
                    })
                    .collect()
            };
            let show = |s: Option<f64>| s.map_or("n/a".to_owned(), |s| format!("{s:.2}"));
            let (s, b) = (slope(&pick(false)), slope(&pick(true)));
            let flag = match s {
                Some(s) if s > 1.15 => "  <- grows faster than its input",
                _ => "",
            };
            format!(
                "  slope {name:<22} {} (baseline {}){flag}",
                show(s),
                show(b)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::slope;

    #[test]
    fn slope_of_a_power_law_is_its_exponent() {
        let pts: Vec<(f64, f64)> = [1e3, 1e4, 1e5]
            .iter()
            .map(|&x: &f64| (x, 3.0 * x.powf(1.5)))
            .collect();
        let s = slope(&pts).unwrap_or(0.0);
        assert!((s - 1.5).abs() < 1e-9, "{s}");
        assert_eq!(slope(&pts[..1]), None);
    }
}
