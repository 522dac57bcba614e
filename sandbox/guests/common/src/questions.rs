//! The questions a program asks: Python's `input(prompt)`, JavaScript's
//! `prompt(message)` and `readline()`.
//!
//! A prompt is not output: every question, with its prompt (empty when
//! there is none), goes to the host through the import
//! `fabrique.prompt(pointer, length)`, which notes where in the output it
//! was asked, so that a page shows the prompt and the answer in their
//! place while tests compare only what the program printed. When a question finds the input at its
//! end, the guest calls `fabrique.input_ended()`: in an interactive run the
//! host stops the program there (it waits for an answer, and will be run
//! again with it); otherwise the call returns and the program reads the end
//! of its input as usual.

#[cfg(target_arch = "wasm32")]
#[link(wasm_import_module = "fabrique")]
unsafe extern "C" {
    #[link_name = "prompt"]
    fn host_prompt(pointer: *const u8, length: usize);
    #[link_name = "input_ended"]
    fn host_input_ended();
}

/// Tells the host a question is asked, with its prompt (empty when there is
/// none), once the program's output so far is flushed, so that its place in
/// the output is right.
pub fn ask(prompt: &str) {
    #[cfg(target_arch = "wasm32")]
    // SAFETY: the host only reads `prompt.len()` bytes at this address of
    // the guest's memory, during the call.
    unsafe {
        host_prompt(prompt.as_ptr(), prompt.len())
    };
    #[cfg(not(target_arch = "wasm32"))]
    let _ = prompt;
}

/// Tells the host that a question found no more input; returns only when
/// the run is not interactive.
pub fn input_ended() {
    #[cfg(target_arch = "wasm32")]
    // SAFETY: a call without arguments; the host may stop the program.
    unsafe {
        host_input_ended()
    };
}

/// The seed of the run's random numbers, when the host gave one (the
/// third argument: `<language> <entry> <seed>`).
pub fn seed() -> Option<u32> {
    std::env::args().nth(2).and_then(|seed| seed.parse().ok())
}
