//! Rules for the `database` category: storage engines and database tooling written in-house.
pub mod migrations_runner;
pub mod query_builder_by_hand;
pub mod storage_engine_by_hand;
