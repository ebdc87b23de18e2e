//! Rules for the `queue` category.
pub mod polling_job_queue;
