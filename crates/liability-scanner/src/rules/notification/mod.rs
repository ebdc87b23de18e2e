//! Rules for the `notification` category: mail and message delivery written in-house.
pub mod smtp_client_by_hand;
