//! Storage: uploads, blobs and filesystems handled in-house.

pub mod filesystem_by_hand;
pub mod multipart_parser_by_hand;
