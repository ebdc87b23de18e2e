//! Rules for the `search` category: full-text indexing and ranking written in-house.
pub mod relevance_scoring_by_hand;
