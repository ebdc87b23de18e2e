//! Storage: uploads and blobs handled in-house.

pub mod multipart_parser_by_hand;
