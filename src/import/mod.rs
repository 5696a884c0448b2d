//! Importers: an office's published layout turned into a dataset folder (canonical CSV plus
//! `dataset.yaml`). Nothing downstream knows they exist: what they write is loaded like any
//! other dataset.

pub mod census;
