//! Rules for the `retry` category: hand-written retry loops, backoff and circuit breakers.
pub mod circuit_breaker_state_machine;
pub mod exponential_backoff_policy;
pub mod hand_rolled_retry_loop;
