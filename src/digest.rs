//! How a file is known again: its sha256 in hex, its modification time, and the build of
//! modulpress that made it.

/// This build of modulpress: its version and a hash of its code and built-in layouts
/// (`build.rs`).
pub const BUILD: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("MODULPRESS_BUILD_ID"));

/// Bytes in lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// A file's modification time in nanoseconds since 1970 (0 if unknown).
pub fn modified_ns(meta: &std::fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}
