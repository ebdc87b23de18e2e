//! Event buses: subscriber registries and fan-out written in-house.

pub mod event_bus_by_hand;
