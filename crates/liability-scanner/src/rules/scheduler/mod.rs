//! Rules for the `scheduler` category.
pub mod cron_expression_parser;
