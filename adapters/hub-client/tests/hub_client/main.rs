//! The Hub client against a fake Hub that records every request.

mod auth;
mod errors;
mod fake_hub;
mod resources;
