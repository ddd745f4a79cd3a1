//! The HTML kit: what every page is made of, knowing no handler, no state and no area.
//!
//! - [`html`]: text made safe for a URL (markup itself is escaped by `maud`);
//! - [`i18n`]: the language of a page (Chinese by default, `?lang=en`) and its switch;
//! - [`layout`]: the page around a body, with the one style sheet, and the message page;
//! - [`format`]: moments in Beijing time as a Chinese or English reader expects them.

pub mod format;
pub mod html;
pub mod i18n;
pub mod layout;
