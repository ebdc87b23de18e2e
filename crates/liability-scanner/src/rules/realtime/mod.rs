//! Rules for the `realtime` category: WebSocket servers and protocol code written in-house.
pub mod websocket_protocol_by_hand;
