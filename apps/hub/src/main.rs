//! The `distr-hub` binary: all behaviour lives in the library.

fn main() -> std::process::ExitCode {
    distr_hub::cli::main()
}
