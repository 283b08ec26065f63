//! The portal (HS §4): HTML-level tests of every page with JavaScript off
//! (in-process through `build_router`), and browser tests in headless
//! Chromium (`portal/browser.rs`), which skip loudly when Chromium is absent
//! unless `DISTR_REQUIRE_BROWSER=1`.

mod portal {
    #[path = "../api/support.rs"]
    #[expect(
        dead_code,
        unused_macros,
        reason = "the API harness is shared; the portal uses part of it"
    )]
    pub mod support;

    pub mod html;
    pub mod simulated_agent;

    pub mod applications;
    pub mod auth;
    pub mod browser;
    pub mod browser_catalog;
    pub mod cards;
    pub mod customer_tabs;
    pub mod deploy;
    pub mod deployment_update;
    pub mod exports;
    pub mod links;
    pub mod logs;
    pub mod overview;
    pub mod people;
    pub mod target;
    pub mod target_logs;
    pub mod wizard_owner;
}
