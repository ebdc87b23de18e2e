//! Config: layered configuration loading written in-house.

pub mod layered_config_loader;
