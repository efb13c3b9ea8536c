//! A folder for one unit test, removed when the test ends, even when it panics.

use std::path::{Path, PathBuf};

/// A fresh path in the system temp folder (not yet made: the test makes it, or the code
/// under test does); the folder and everything in it is removed when this is dropped.
pub struct TestDir(PathBuf);

impl TestDir {
    pub fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("modulpress-unit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        TestDir(dir)
    }
}

impl std::ops::Deref for TestDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TestDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
