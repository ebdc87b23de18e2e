//! Rules for the `cache` category.
pub mod in_memory_eviction_cache;
