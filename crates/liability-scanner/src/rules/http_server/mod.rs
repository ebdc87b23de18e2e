//! Rules for the `http-server` category.
pub mod hand_rolled_http_server;
