//! Rules for the `database` category: storage engines and database tooling written in-house.
pub mod migrations_runner;
