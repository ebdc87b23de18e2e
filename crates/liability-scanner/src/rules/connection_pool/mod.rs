//! Rules for the `connection-pool` category: pools of connections kept in-house.
pub mod blocking_object_pool;
