//! The `modulpress` binary: parse the command line, run, exit with the code `run` gives.

use clap::Parser;

/// mimalloc instead of the system allocator: Typst allocates heavily from many threads, and
/// glibc's per-thread arenas doubled the peak memory of a large booklet build.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = modulpress::cli::Cli::parse();
    modulpress::run(cli)
}
