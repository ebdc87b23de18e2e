//! The squarified treemap layout (Bruls, Huizing and van Wijk, 2000): rectangles whose areas
//! are proportional to the values, with aspect ratios kept close to 1.

/// A rectangle: top-left corner and size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// The worst aspect ratio of a row of `areas` laid along a side of length `side`.
fn worst(areas: &[f64], side: f64) -> f64 {
    let sum: f64 = areas.iter().sum();
    if sum <= 0.0 || side <= 0.0 {
        return f64::INFINITY;
    }
    let (min, max) = areas.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), &a| {
        (lo.min(a), hi.max(a))
    });
    let s2 = sum * sum;
    let w2 = side * side;
    (w2 * max / s2).max(s2 / (w2 * min))
}

/// Lays `values` (any order; non-positive values get an empty rectangle) into `bounds`.
/// Returns one rectangle per value, in the order given.
pub fn squarify(values: &[f64], bounds: Rect) -> Vec<Rect> {
    let mut out = vec![
        Rect {
            x: bounds.x,
            y: bounds.y,
            w: 0.0,
            h: 0.0,
        };
        values.len()
    ];
    let total: f64 = values.iter().filter(|v| **v > 0.0).sum();
    if total <= 0.0 || bounds.w <= 0.0 || bounds.h <= 0.0 {
        return out;
    }
    // Largest first (ties by index, for determinism).
    let mut order: Vec<usize> = (0..values.len()).filter(|&i| values[i] > 0.0).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
    let scale = bounds.w * bounds.h / total;
    let mut free = bounds;
    let mut row: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let side = free.w.min(free.h);
        let areas = |ids: &[usize]| ids.iter().map(|&k| values[k] * scale).collect::<Vec<_>>();
        let mut grown = row.clone();
        grown.push(order[i]);
        if row.is_empty() || worst(&areas(&grown), side) <= worst(&areas(&row), side) {
            row = grown;
            i += 1;
            continue;
        }
        free = lay_row(&row, &areas(&row), free, &mut out);
        row.clear();
    }
    if !row.is_empty() {
        let a: Vec<f64> = row.iter().map(|&k| values[k] * scale).collect();
        lay_row(&row, &a, free, &mut out);
    }
    out
}

/// Places one row along the shorter side of `free`; returns what is left.
fn lay_row(ids: &[usize], areas: &[f64], free: Rect, out: &mut [Rect]) -> Rect {
    let sum: f64 = areas.iter().sum();
    if free.w >= free.h {
        // A column on the left.
        let width = if free.h > 0.0 { sum / free.h } else { 0.0 };
        let mut y = free.y;
        for (&id, &a) in ids.iter().zip(areas) {
            let h = if width > 0.0 { a / width } else { 0.0 };
            out[id] = Rect {
                x: free.x,
                y,
                w: width,
                h,
            };
            y += h;
        }
        Rect {
            x: free.x + width,
            y: free.y,
            w: (free.w - width).max(0.0),
            h: free.h,
        }
    } else {
        // A row on top.
        let height = if free.w > 0.0 { sum / free.w } else { 0.0 };
        let mut x = free.x;
        for (&id, &a) in ids.iter().zip(areas) {
            let w = if height > 0.0 { a / height } else { 0.0 };
            out[id] = Rect {
                x,
                y: free.y,
                w,
                h: height,
            };
            x += w;
        }
        Rect {
            x: free.x,
            y: free.y + height,
            w: free.w,
            h: (free.h - height).max(0.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_are_proportional_and_inside() {
        let bounds = Rect {
            x: 0.0,
            y: 0.0,
            w: 600.0,
            h: 400.0,
        };
        let values = [6.0, 6.0, 4.0, 3.0, 2.0, 2.0, 1.0, 0.0];
        let rects = squarify(&values, bounds);
        let total: f64 = values.iter().sum();
        for (v, r) in values.iter().zip(&rects) {
            let expected = v / total * 600.0 * 400.0;
            assert!((r.w * r.h - expected).abs() < 1e-6, "{v}: {r:?}");
            assert!(r.x >= -1e-9 && r.y >= -1e-9);
            assert!(r.x + r.w <= 600.0 + 1e-6 && r.y + r.h <= 400.0 + 1e-6);
        }
        // Squarified: no sliver worse than 1:4 for these values.
        for r in rects.iter().filter(|r| r.w > 0.0) {
            assert!(r.w.max(r.h) / r.w.min(r.h) < 4.0, "{r:?}");
        }
    }

    #[test]
    fn empty_and_degenerate_inputs() {
        let b = Rect {
            x: 0.0,
            y: 0.0,
            w: 10.0,
            h: 10.0,
        };
        assert!(squarify(&[], b).is_empty());
        assert_eq!(squarify(&[0.0], b)[0].w, 0.0);
        assert_eq!(squarify(&[5.0], b)[0], b);
    }
}
