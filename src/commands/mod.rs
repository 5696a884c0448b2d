//! The commands, one module each: each is a library function the command line calls. They share
//! what sits below them ([`crate::pipeline`], [`crate::output`]) and never import one another.

pub mod eject;
pub mod explain;
pub mod generate;
pub mod import;
pub mod init;
pub mod stats;
pub mod validate;
pub mod verify;
