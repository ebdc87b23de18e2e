//! Rules for the `crypto` category: ciphers, hashes and MACs implemented in-house.
pub mod hash_or_cipher_by_hand;
