//! Rules for the `auth` category: token, session and password handling written in-house.
pub mod auth_middleware_by_hand;
pub mod jwt_by_hand;
