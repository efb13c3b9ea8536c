//! A value worked out from the model once, on first use, and kept beside what it was worked
//! out from. A copy of the model starts without it (what it holds may name the original's
//! blocks by address), and it is never part of the model's JSON or equality.

use std::sync::OnceLock;

/// `T`, computed at most once per value of the model that holds it.
pub struct Memo<T>(OnceLock<T>);

impl<T> Memo<T> {
    pub fn get_or_init(&self, f: impl FnOnce() -> T) -> &T {
        self.0.get_or_init(f)
    }
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo(OnceLock::new())
    }
}

/// A copy is worked out anew: its blocks stand at other addresses.
impl<T> Clone for Memo<T> {
    fn clone(&self) -> Self {
        Memo::default()
    }
}

impl<T> std::fmt::Debug for Memo<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "Memo(kept)"
        } else {
            "Memo(empty)"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_starts_empty_and_the_original_keeps_its_value() {
        let m: Memo<u32> = Memo::default();
        assert_eq!(*m.get_or_init(|| 1), 1);
        assert_eq!(*m.get_or_init(|| 2), 1);
        let copy = m.clone();
        assert_eq!(*copy.get_or_init(|| 3), 3);
    }
}
