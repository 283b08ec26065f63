#![doc = include_str!("../README.md")]

mod client;
mod config;
mod token;

pub use client::HubClient;
pub use config::HubClientConfig;
