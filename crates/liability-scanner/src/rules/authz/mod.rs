//! Authorisation: policy evaluation written in-house.

pub mod policy_evaluation_by_hand;
