//! Messages to stdout and stderr that never panic: with a stream closed
//! (`modulpress build | head`) the run goes on without them, where `println!` would panic.

/// `println!` that never panics: with stdout closed (`modulpress build | head`) the run goes
/// on without its messages, where `println!` would panic.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `eprintln!` that never panics when stderr is closed (see [`outln!`]).
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub(crate) use {errln, outln};
