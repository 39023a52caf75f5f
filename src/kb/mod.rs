//! Known problems: rule files, validation and matching.
