//! modulpress: one Markdown training module in, booklets, DOCX and slides out.
//!
//! The pipeline: [`bundle`] reads the module and layouts folders into memory; [`parse`]
//! and [`config`] turn them into the [`model`]; [`check`] validates across the module;
//! the backends in [`render`] turn the model into bytes; [`export`] alone writes `out/`.

pub mod absorb;
pub mod batch;
pub mod bundle;
pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod diag;
pub mod digest;
pub mod edition;
pub mod excerpt;
pub mod exit;
pub mod export;
pub mod guard;
pub mod hyphenate;
pub mod images;
pub mod input;
pub mod interrupt;
pub mod limits;
pub mod manifest;
pub mod model;
pub mod paket;
pub mod parse;
pub mod plan;
pub mod project;
pub mod render;
pub mod report;
pub mod route;
mod run;
mod say;
pub mod scaffold;
#[cfg(test)]
mod test_dir;
pub mod text;
pub mod units;

pub use project::{Project, load_project};
pub use run::run;
