//! End-to-end tests of Fabrique live in `tests/`: the lesson server driven
//! by a real browser (headless Chromium through ChromeDriver). This library
//! is empty; the crate exists for those tests.
