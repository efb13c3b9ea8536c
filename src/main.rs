//! The `modulpress` binary: bound its memory, parse the command line, run, exit with the
//! code `run` gives (3 after a bug, with a one-line message instead of a stack trace).

use std::io::Write as _;

use clap::Parser;
use modulpress::guard;

/// mimalloc instead of the system allocator: Typst allocates heavily from many threads, and
/// glibc's per-thread arenas doubled the peak memory of a large booklet build. Wrapped so
/// that running out of memory ends with a message, not an abort.
#[global_allocator]
static ALLOCATOR: guard::Bounded<mimalloc::MiMalloc> = guard::Bounded(mimalloc::MiMalloc);

fn main() -> std::process::ExitCode {
    no_huge_pages();
    guard::install_panic_hook();
    if let Err(message) = guard::limit_memory() {
        let _ = writeln!(std::io::stderr(), "error: {message}");
        return guard::OUT_OF_MEMORY.into();
    }
    let cli = modulpress::cli::Cli::parse();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| modulpress::run(cli))) {
        Ok(_) if guard::panicked() => guard::INTERNAL_ERROR.into(),
        Ok(code) => code,
        Err(_) => {
            guard::report_panic();
            guard::INTERNAL_ERROR.into()
        }
    }
}

/// No transparent huge pages for this process. mimalloc asks for them on its arenas, and
/// the kernel then clears 2 MB at the first touch of any byte of it: a full FOA build
/// (`--jobs 1`) spent 0.83 s of system time clearing pages with them and 0.26 s without,
/// and peaked at 326 MB instead of 256 MB. The kernel checks the flag at each page fault,
/// so it also covers the arena mimalloc reserved before `main`.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes one integer argument and touches no memory of ours;
    // a kernel that does not know it returns an error, which changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
