//! The explorer: `tslens FILE...` on a terminal.
//!
//! Split the Elm way: [`app`] holds the state and a pure `update` (messages in, effects
//! out), one file per sub-state (loading, prompt, filters, side panel and timeline,
//! background jobs, live following, navigation, mouse); [`keymap`] turns keys into actions, [`layout`] decides where panes go,
//! [`view`](mod@view) draws a frame from the state, [`theme`] styles it, and [`runtime`]
//! owns the terminal, the threads and the loop. Only the runtime does I/O, so everything
//! else is tested without a terminal.

mod ansi16;
pub mod app;
mod diff;
pub mod filters;
pub mod keymap;
pub mod layout;
pub mod load;
pub mod panel;
pub mod rows;
pub mod runtime;
pub mod screen;
pub mod search;
pub mod session;
pub mod theme;
pub mod timespec;
pub mod view;

pub use app::{App, Effect, Msg, Options};
pub use load::Loaded;
pub use runtime::run;
pub use view::view;
