//! The explorer: `tslens FILE...` on a terminal.
//!
//! Split the Elm way: [`app`] holds the state and a pure `update` (messages in, effects
//! out), [`keymap`] turns keys into actions, [`view`](mod@view) draws a frame from the state, and
//! [`runtime`] owns the terminal, the threads and the loop. Only the runtime does I/O, so
//! everything else is tested without a terminal.

pub mod app;
pub mod keymap;
pub mod load;
pub mod panel;
pub mod rows;
pub mod runtime;
pub mod search;
pub mod view;

pub use app::{App, Effect, Msg, Options};
pub use load::Loaded;
pub use runtime::run;
pub use view::view;
