//! Rate limiting: token buckets and GCRA limiters written in-house.

pub mod rate_limiter_by_hand;
