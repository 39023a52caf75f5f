//! Error codes: extraction from message text and decoding.
