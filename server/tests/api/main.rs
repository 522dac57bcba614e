//! HTTP tests of the lesson server: each test starts its own server on a
//! random port with a fresh database (SQLite, or PostgreSQL when
//! `FABRIQUE_TEST_POSTGRES` names a server), and talks to it as a browser
//! or another tool would.

mod auth;
mod availability;
mod catalog;
mod cohorts;
mod dashboard;
mod every_page;
mod helpers;
mod integrity;
mod join_codes;
mod monitoring;
mod pages;
mod progress;
mod rejections;
mod retention;
mod run;
mod sessions;
mod several_files;
mod sql;
mod submissions;
mod trainer_pages;
mod two_servers;
mod web_pages;
