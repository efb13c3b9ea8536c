//! A value worked out from the model once, on first use, and kept beside what it was worked
//! out from. A copy of the model starts without it (what it holds may name the original's
//! blocks by address), and it is never part of the model's JSON or equality.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, OnceLock};

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

/// The shared cell of `key` in `map`, made (empty) by the first caller: work done once per
/// key by whichever thread gets there first, the others waiting on the same cell without
/// holding the map's lock.
pub fn slot<K: Hash + Eq, V: Default>(map: &Mutex<HashMap<K, Arc<V>>>, key: K) -> Arc<V> {
    let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
    map.entry(key).or_default().clone()
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
