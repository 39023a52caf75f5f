//! Where each pane goes for a screen size: the one place that decides what fits.

use ratatui::layout::Rect;

use super::app::App;

/// Below this size the screen shows a short message instead of a cramped layout.
pub const MIN_WIDTH: u16 = 40;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 8;

/// Where each part of the screen goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// The log view, its header row included.
    pub log: Rect,
    /// The side panel.
    pub panel: Option<Rect>,
    /// The step timeline.
    pub steps: Option<Rect>,
    /// The filter pane.
    pub filters: Option<Rect>,
    /// The overview strip: one column beside the log's rows, the whole log top to bottom.
    pub overview: Option<Rect>,
    /// The status (or prompt) line.
    pub status: Rect,
    /// The window is too small for a layout.
    pub too_small: bool,
}

impl Layout {
    /// Rows of records the log view shows.
    pub fn log_body_rows(&self) -> usize {
        self.log.height.saturating_sub(1) as usize
    }
}

/// Lays out the screen for `area`.
pub fn layout(app: &App, area: Rect) -> Layout {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return Layout {
            too_small: true,
            ..Layout::default()
        };
    }
    let status = Rect::new(area.x, area.y + area.height - 1, area.width, 1);
    let main = Rect::new(area.x, area.y, area.width, area.height - 1);
    let mut left = main;
    let mut panel = None;
    if app.panel.show {
        if main.width >= 100 {
            let w = (main.width * 2 / 5).clamp(36, 72);
            left.width = main.width - w;
            panel = Some(Rect::new(main.x + left.width, main.y, w, main.height));
        } else if main.height >= 20 {
            let h = main.height * 2 / 5;
            left.height = main.height - h;
            panel = Some(Rect::new(main.x, main.y + left.height, main.width, h));
        }
    }
    let mut filters = None;
    let entries = app.filter.entries();
    if app.filter.show && entries > 0 && left.height >= 12 {
        // Five entries at least, more when the log keeps two thirds of its rows: beyond
        // that the pane scrolls and says how many it does not show.
        let cap = (left.height / 3).max(6);
        let h = (entries as u16 + 1).min(cap);
        left.height -= h;
        filters = Some(Rect::new(left.x, left.y + left.height, left.width, h));
    }
    let mut steps = None;
    let n = app.analysis.steps.steps.len();
    if app.steps.show && n > 0 && left.height >= 16 {
        let h = ((n + 1) as u16).min(left.height / 4).clamp(3, 9);
        left.height -= h;
        steps = Some(Rect::new(left.x, left.y + left.height, left.width, h));
    }
    // The overview takes the log's last column, beside the rows (not the header).
    let overview = (left.width >= 60 && left.height >= 4).then(|| {
        left.width -= 1;
        Rect::new(left.x + left.width, left.y + 1, 1, left.height - 1)
    });
    Layout {
        log: left,
        panel,
        steps,
        filters,
        overview,
        status,
        too_small: false,
    }
}
