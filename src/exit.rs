//! The exit codes of the contract (README, "Commands"), in one place: 0 success; 1 a
//! problem in the input or a failed output (a bug in modulpress included); 2 a usage or
//! environment error (a bad flag, a busy or unwritable output folder, a full disk, memory
//! run out, Ctrl-C).

/// How a run ends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    #[default]
    Success,
    /// A problem in the module or layouts, or an output that failed.
    Input,
    /// A usage or environment error.
    Usage,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Input => 1,
            Exit::Usage => 2,
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> std::process::ExitCode {
        std::process::ExitCode::from(exit.code())
    }
}

/// A bug in modulpress (a panic): a failed output.
pub const INTERNAL_ERROR: Exit = Exit::Input;
/// The memory bound reached: the machine (or the bound) is too small for what the run
/// needed, an environment error like a full disk.
pub const OUT_OF_MEMORY: Exit = Exit::Usage;
/// Stopped by Ctrl-C or SIGTERM: an environment error.
pub const INTERRUPTED: Exit = Exit::Usage;
