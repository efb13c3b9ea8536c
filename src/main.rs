//! The `modulpress` binary: parse the command line, run, exit with the code `run` gives.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = modulpress::cli::Cli::parse();
    modulpress::run(cli)
}
