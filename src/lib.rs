//! tradescribe: writes the monthly foreign-trade bulletin from trade statistics.
pub mod dataset;
pub mod rules;
pub mod stats;
