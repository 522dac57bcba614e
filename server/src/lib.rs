//! Fabrique's lesson server and its command line.
//!
//! - `cli/`: the `fabrique` command, one file per subcommand.
pub mod cli;
