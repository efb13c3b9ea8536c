//! The process's last defences: a bound on its memory, so that an input no check foresaw
//! ends in a clear message (exit 2) instead of the kernel's OOM killer, and a one-line
//! message for a bug (a panic), never a stack trace (exit 3). README.md states both.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

/// The environment variable that sets the memory bound, in MB (`off` for none).
pub const MEMORY_ENV: &str = "MODULPRESS_MEMORY_LIMIT";

pub use crate::exit::{INTERNAL_ERROR, OUT_OF_MEMORY};

/// The least default bound, in MB. The address space, not the memory used, is bounded:
/// the allocator and the threads reserve about 1.4 GB more than a build touches (the FOA
/// build: 1.6 GB reserved, 0.3 GB used).
const MIN_DEFAULT_MB: u64 = 4096;

/// The least bound accepted, in MB: below about 1,100 MB a run cannot even start its
/// threads (the allocator reserves 1 GB up front).
const MIN_MB: u64 = 1200;

/// The message printed when memory runs out, made before it can (printing then must not
/// allocate).
static OOM_MESSAGE: OnceLock<String> = OnceLock::new();

/// Bound the process's address space (`RLIMIT_AS`): [`MEMORY_ENV`] in MB, or by default
/// three quarters of the physical memory plus the allocator's reserve, at least
/// [`MIN_DEFAULT_MB`]. Returns the bound in MB (`None`: none), or what is wrong with the
/// variable.
pub fn limit_memory() -> Result<Option<u64>, String> {
    let mb = match std::env::var(MEMORY_ENV) {
        Ok(v) if v.trim().eq_ignore_ascii_case("off") => None,
        Ok(v) => match v.trim().parse::<u64>() {
            Ok(n) if n >= MIN_MB => Some(n),
            _ => {
                return Err(format!(
                    "{MEMORY_ENV}=`{v}` is not a number of megabytes ({MIN_MB} or more), nor `off`"
                ));
            }
        },
        Err(_) => Some(default_mb()),
    };
    let message = match mb {
        Some(mb) => format!(
            "error: out of memory: this run needed more than the {mb} MB of address space it may use\n  = help: set {MEMORY_ENV} to a larger number of megabytes (or `off`) if the input is right and the machine has the memory\n  = note: the output folder keeps its earlier edition; the next run removes any temporary files this one left\n"
        ),
        None => "error: out of memory\n  = note: the output folder keeps its earlier edition; the next run removes any temporary files this one left\n".to_string(),
    };
    let _ = OOM_MESSAGE.set(message);
    #[cfg(unix)]
    if let Some(mb) = mb {
        let bytes = mb.saturating_mul(1024 * 1024);
        let limit = libc::rlimit {
            rlim_cur: bytes as libc::rlim_t,
            rlim_max: libc::RLIM_INFINITY,
        };
        // SAFETY: setrlimit reads the struct we pass and touches no other memory. A hard
        // limit below ours makes it fail: the run then keeps the hard limit.
        unsafe {
            libc::setrlimit(libc::RLIMIT_AS, &limit);
        }
    }
    Ok(mb)
}

/// Three quarters of the physical memory, plus the address space the allocator and the
/// threads reserve without using it; at least [`MIN_DEFAULT_MB`].
fn default_mb() -> u64 {
    #[cfg(unix)]
    // SAFETY: sysconf only reads system values.
    let physical = unsafe {
        let pages = libc::sysconf(libc::_SC_PHYS_PAGES);
        let size = libc::sysconf(libc::_SC_PAGESIZE);
        (pages > 0 && size > 0).then(|| pages as u64 * size as u64 / (1024 * 1024))
    };
    #[cfg(not(unix))]
    let physical: Option<u64> = None;
    physical.map_or(MIN_DEFAULT_MB, |mb| (mb / 4 * 3 + 2048).max(MIN_DEFAULT_MB))
}

/// The allocator `A` with one difference: an allocation that fails prints
/// [`OOM_MESSAGE`] and ends the process with [`OUT_OF_MEMORY`], instead of Rust's abort.
pub struct Bounded<A>(pub A);

// SAFETY: every call is passed to `A` unchanged; only a null result is acted on.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Bounded<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees, passed on.
        let p = unsafe { self.0.alloc(layout) };
        if p.is_null() {
            out_of_memory();
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { self.0.alloc_zeroed(layout) };
        if p.is_null() {
            out_of_memory();
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { self.0.realloc(ptr, layout, new_size) };
        if p.is_null() {
            out_of_memory();
        }
        p
    }
}

/// Print the message made beforehand and end the process, allocating nothing.
fn out_of_memory() -> ! {
    let message = OOM_MESSAGE
        .get()
        .map_or("error: out of memory\n", String::as_str);
    #[cfg(unix)]
    // SAFETY: write(2) and _exit(2) touch only the bytes given; _exit runs no destructors
    // and no atexit handlers, which could allocate.
    unsafe {
        libc::write(2, message.as_ptr().cast(), message.len());
        libc::_exit(OUT_OF_MEMORY.code().into());
    }
    #[cfg(not(unix))]
    std::process::abort()
}

/// Whether any thread panicked: the run then exits with [`INTERNAL_ERROR`].
static PANICKED: AtomicBool = AtomicBool::new(false);

/// The last panic's message and place in the code, kept by the hook for whoever catches it.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

thread_local! {
    /// What this thread is making (an output), for the message of a panic.
    static DOING: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Replace the panic message and its stack trace with one line, printed by whoever
/// catches the panic ([`catch`] for a job, [`report_panic`] for the run). A panic on a
/// thread whose panic nobody catches is printed here.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        PANICKED.store(true, Ordering::SeqCst);
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string());
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        let text = format!("{message}{place}");
        let thread = std::thread::current();
        let caught = thread.name() == Some("main")
            || DOING.with(|d| d.borrow().is_some())
            || rayon::current_thread_index().is_some();
        if caught {
            *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(text);
        } else {
            crate::say::errln!("{}", internal_error(&text));
        }
    }));
}

fn internal_error(text: &str) -> String {
    format!(
        "error: internal error: {text}\n  = help: this is a bug in modulpress; please report it with the input that shows it"
    )
}

/// Run `f`, making `what`: a panic inside it (on this thread or on the threads it waits
/// for) becomes `Err` with the one-line message.
pub fn catch<R>(what: &str, f: impl FnOnce() -> R) -> Result<R, String> {
    let before = DOING.with(|d| d.replace(Some(what.to_string())));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    DOING.with(|d| *d.borrow_mut() = before);
    result.map_err(|payload| {
        let text = LAST_PANIC
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic".to_string());
        format!("internal error while making {what}: {text}")
    })
}

/// Print a panic that reached the top of the run, with nothing written.
pub fn report_panic() {
    // None: the hook printed it already (a thread of its own). The lock is let go before
    // printing: the hook takes it again should printing fail.
    let last = LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(text) = last {
        crate::say::errln!("{}", internal_error(&text));
    }
    crate::say::errln!("  = note: the output folder keeps its earlier edition");
}

/// Whether a panic happened anywhere in the run.
pub fn panicked() -> bool {
    PANICKED.load(Ordering::SeqCst)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_making_an_output_becomes_one_line() {
        install_panic_hook();
        let e = catch("out/booklet/x.pdf", || -> u32 { panic!("boom {}", 7) }).unwrap_err();
        assert!(
            e.starts_with("internal error while making out/booklet/x.pdf: boom 7 (src/guard.rs:"),
            "{e}"
        );
        assert_eq!(catch("y", || 5), Ok(5));
        // A panic on the threads the job waits for is caught the same way.
        let e = catch("z", || {
            use rayon::prelude::*;
            (0..4)
                .into_par_iter()
                .for_each(|i| assert!(i < 3, "item {i}"));
        })
        .unwrap_err();
        assert!(
            e.starts_with("internal error while making z: item 3"),
            "{e}"
        );
        assert!(panicked());
        let _ = std::panic::take_hook();
    }
}
