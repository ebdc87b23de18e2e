//! Observability: loggers, log rotation and metrics registries written in-house.

pub mod logger_by_hand;
