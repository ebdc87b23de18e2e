//! Workflow: state machines and sagas written in-house.

pub mod state_machine_by_hand;
