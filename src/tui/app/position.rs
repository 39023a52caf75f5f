//! Where the log view stands: the selected row, the rows on screen, the sideways scroll, and
//! whether it follows the end. Pure arithmetic over row counts, so the scrolling rules (as
//! `less` scrolls) live in one place whatever moved the view: a key, the wheel, a jump, a
//! resize or a log that grew.

/// The log view's position.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ViewPos {
    /// Selected row.
    pub cursor: usize,
    /// First row on screen.
    pub top: usize,
    /// Columns the message column is scrolled by.
    pub hscroll: usize,
    /// Following the end of the log.
    pub follow: bool,
    /// The user has moved; loading no longer moves the cursor.
    pub moved: bool,
}

impl ViewPos {
    /// Moves `top` so that the cursor row is on a page of `page` rows out of `len` (centred
    /// with `center` when it was off the page), and keeps both within the rows.
    pub(crate) fn scroll_to_cursor(&mut self, page: usize, len: usize, center: bool) {
        self.cursor = self.cursor.min(len.saturating_sub(1));
        if self.cursor < self.top || self.cursor >= self.top.saturating_add(page) {
            self.top = if center {
                self.cursor.saturating_sub(page / 3)
            } else if self.cursor < self.top {
                self.cursor
            } else {
                self.cursor + 1 - page
            };
        }
        self.top = self.top.min(len.saturating_sub(page));
    }

    /// The user moved the view, downwards or not.
    pub(crate) fn user_moved(&mut self, down: bool) {
        self.moved = true;
        // As in less: moving up stops following; reaching the end does not restart it.
        if self.follow && !down {
            self.follow = false;
        }
    }

    /// Moves the cursor by `delta` rows; a move of more than one row (a page) scrolls the
    /// view by as much, as less does.
    pub(crate) fn move_by(&mut self, delta: isize, page: usize, len: usize) {
        let last = len.saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.user_moved(delta > 0);
        if delta.unsigned_abs() > 1 {
            let max_top = len.saturating_sub(page);
            self.top = self.top.saturating_add_signed(delta).min(max_top);
        }
    }

    /// The wheel: scrolls the view by three rows; the cursor follows only if it would leave
    /// the screen.
    pub(crate) fn wheel(&mut self, down: bool, page: usize, len: usize) {
        let max_top = len.saturating_sub(page);
        self.top = if down {
            (self.top + 3).min(max_top)
        } else {
            self.top.saturating_sub(3)
        };
        self.cursor = self
            .cursor
            .clamp(self.top, (self.top + page).saturating_sub(1))
            .min(len.saturating_sub(1));
        self.user_moved(down);
    }

    /// Puts the cursor on `row` of `len` (the user's doing); following stops unless it is
    /// the last row.
    pub(crate) fn select(&mut self, row: usize, len: usize) {
        self.cursor = row.min(len.saturating_sub(1));
        self.moved = true;
        if self.follow && self.cursor + 1 < len {
            self.follow = false;
        }
    }

    /// When following, puts the cursor on the last of `len` rows; true when it did.
    pub(crate) fn end_if_following(&mut self, len: usize) -> bool {
        if self.follow {
            self.cursor = len.saturating_sub(1);
        }
        self.follow
    }

    /// Scrolls sideways by `step` columns, right or left.
    pub(crate) fn scroll_sideways(&mut self, right: bool, step: usize) {
        self.hscroll = if right {
            self.hscroll.saturating_add(step)
        } else {
            self.hscroll.saturating_sub(step)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::ViewPos;

    #[test]
    fn a_far_cursor_is_centred_a_near_one_brought_to_the_edge() {
        let mut v = ViewPos {
            cursor: 500,
            ..ViewPos::default()
        };
        v.scroll_to_cursor(30, 1000, true);
        assert_eq!(v.top, 490);
        v.cursor = 520;
        v.scroll_to_cursor(30, 1000, false);
        assert_eq!(v.top, 491);
        v.cursor = 480;
        v.scroll_to_cursor(30, 1000, false);
        assert_eq!(v.top, 480);
        // Never past the last page.
        v.cursor = 999;
        v.scroll_to_cursor(30, 1000, true);
        assert_eq!(v.top, 970);
    }

    #[test]
    fn moving_up_stops_following_and_the_wheel_keeps_the_cursor_on_screen() {
        let mut v = ViewPos {
            cursor: 99,
            top: 70,
            follow: true,
            ..ViewPos::default()
        };
        v.move_by(1, 30, 100);
        assert!(v.follow);
        v.wheel(false, 30, 100);
        assert_eq!((v.top, v.cursor), (67, 96));
        assert!(!v.follow && v.moved);
    }
}
