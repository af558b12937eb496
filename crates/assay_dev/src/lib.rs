//! The library half of `assay_dev`: what the dev tool shares with its integration tests.
//! Today, the red-team harness of issue 21 ([`redteam`]).

pub mod redteam;
