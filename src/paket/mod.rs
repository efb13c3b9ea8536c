//! A paket's own outputs: the package index (`paket/ID-index.pdf` and `.html`), made after
//! every module's outputs from the modules and the manifest's entries. See
//! `docs/architecture.md`, "A paket".

mod facts;
mod html;
mod index;
mod labels;

pub use facts::{ModuleFacts, facts};
pub use index::index;

/// The files of a paket beside its modules' outputs, relative to the output folder.
pub fn files_of(id: &str) -> Vec<String> {
    vec![
        format!("paket/{id}-index.pdf"),
        format!("paket/{id}-index.html"),
    ]
}
