//! Virtualised lists: which rows of a long list to render for a scroll position.
//!
//! A list of thousands of rows (2,000 containers in "By target", a bulk decision's targets) keeps
//! a fixed row height; only the rows in view, plus a few either side, are rendered, between two
//! spacers standing in for the rest so the scrollbar and the total height stay true.

/// The rows to render and the spacer heights around them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First row rendered.
    pub first: usize,
    /// One past the last row rendered.
    pub end: usize,
    /// Height of the spacer above the first row, in pixels.
    pub above: u32,
    /// Height of the spacer below the last row, in pixels.
    pub below: u32,
}

impl Window {
    /// Rows `first..end`.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.first..self.end
    }
}

/// Rows rendered beyond the edges of the view, so a quick scroll shows no gap.
pub const OVERSCAN: usize = 8;

/// The window of `total` rows of `row_px` pixels each, scrolled `scroll_px` down a viewport
/// `view_px` high. A zero viewport (not laid out yet) still renders one screenful.
pub fn window(total: usize, row_px: u32, scroll_px: u32, view_px: u32) -> Window {
    let row = row_px.max(1) as usize;
    let view = if view_px == 0 { 600 } else { view_px as usize };
    let top = (scroll_px as usize / row).min(total);
    let first = top.saturating_sub(OVERSCAN);
    let end = (top + view.div_ceil(row) + OVERSCAN).min(total);
    let px = |rows: usize| u32::try_from(rows.saturating_mul(row)).unwrap_or(u32::MAX);
    Window {
        first,
        end,
        above: px(first),
        below: px(total - end),
    }
}

/// The scroll position that brings row `index` into a viewport `view_px` high, if it is not
/// already wholly in view at `scroll_px` (for keyboard moves through a virtualised list).
pub fn scroll_to(index: usize, row_px: u32, scroll_px: u32, view_px: u32) -> Option<u32> {
    let top = u32::try_from(index).ok()?.checked_mul(row_px)?;
    let bottom = top.checked_add(row_px)?;
    if top < scroll_px {
        Some(top)
    } else if bottom > scroll_px.saturating_add(view_px) {
        Some(bottom.saturating_sub(view_px))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_rows_in_view_are_rendered_and_the_spacers_keep_the_height() {
        let w = window(2000, 32, 0, 640);
        assert_eq!((w.first, w.end, w.above), (0, 28, 0));
        assert_eq!(w.below, (2000 - 28) * 32);

        let w = window(2000, 32, 32 * 1000, 640);
        assert_eq!(w.range(), 992..1028);
        assert_eq!(w.above + (w.end - w.first) as u32 * 32 + w.below, 2000 * 32);

        let w = window(2000, 32, 32 * 5000, 640);
        assert_eq!((w.first, w.end, w.below), (1992, 2000, 0));
    }

    #[test]
    fn short_lists_and_unlaid_views_render_everything_they_can() {
        assert_eq!(window(3, 32, 0, 640).range(), 0..3);
        assert_eq!(window(0, 32, 0, 640).range(), 0..0);
        assert_eq!(window(100, 20, 0, 0).range(), 0..38);
        assert_eq!(window(10, 0, 0, 100).range(), 0..10);
    }

    #[test]
    fn scrolling_to_a_row_moves_only_as_far_as_needed() {
        assert_eq!(scroll_to(0, 32, 0, 640), None);
        assert_eq!(scroll_to(25, 32, 0, 640), Some(26 * 32 - 640));
        assert_eq!(scroll_to(3, 32, 320, 640), Some(96));
        assert_eq!(scroll_to(12, 32, 320, 640), None);
    }
}
