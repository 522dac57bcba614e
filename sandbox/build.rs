//! Builds the guest programs (`guests/`: RustPython, Boa and SQLite) for
//! `wasm32-wasip1` with a nested `cargo build`, so that a fresh clone needs
//! `cargo` and, for SQLite's C code, Debian's clang with the WebAssembly C
//! library (checked first, with the command that installs them). The nested build has its own target directory
//! (`target/guests`: the outer build holds a lock on its own), is skipped by
//! cargo when no guest source changed, and its results are embedded in the
//! crate through the `FABRIQUE_*_GUEST` environment variables.

use std::env;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::process::Command;

const TARGET: &str = "wasm32-wasip1";
const GUESTS: [(&str, &str); 3] = [
    ("FABRIQUE_PYTHON_GUEST", "fabrique_python_guest.wasm"),
    (
        "FABRIQUE_JAVASCRIPT_GUEST",
        "fabrique_javascript_guest.wasm",
    ),
    ("FABRIQUE_SQL_GUEST", "fabrique_sql_guest.wasm"),
];

/// What compiles SQLite's C code for WebAssembly (`guests/.cargo/config.toml`
/// names them), by a file each of their Debian packages installs.
const C_TOOLS: [&str; 4] = [
    "/usr/bin/clang",
    "/usr/bin/llvm-ar",
    "/usr/include/wasm32-wasi/stdio.h",
    "/usr/lib/wasm32-wasi/libc.a",
];
/// The command that installs them all.
const INSTALL_C_TOOLS: &str = "apt-get install clang lld wasi-libc libclang-rt-dev-wasm32";

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let guests = manifest_dir.join("guests");
    for watched in [
        "Cargo.toml",
        "Cargo.lock",
        ".cargo/config.toml",
        "common",
        "sqlite",
        "python",
        "javascript",
        "sql",
    ] {
        println!("cargo:rerun-if-changed={}", guests.join(watched).display());
    }
    // The guests' patched dependencies (`[patch.crates-io]` in guests/Cargo.toml).
    for vendored in ["rustpython-common", "rustpython-stdlib"] {
        println!(
            "cargo:rerun-if-changed={}",
            manifest_dir.join("../vendor").join(vendored).display()
        );
    }
    let target_dir = match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => manifest_dir.join(dir),
        None => manifest_dir.join("..").join("target"),
    }
    .join("guests");

    ensure_target_installed();
    ensure_c_tools_installed();

    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(&guests)
        .args(["build", "--release", "--locked", "--target", TARGET])
        .arg("--target-dir")
        .arg(&target_dir);
    // The outer build's settings are for the host: none of them may leak into
    // the guests' build (the jobserver, CARGO_MAKEFLAGS, is kept so that both
    // builds share the machine's cores).
    for (key, _) in env::vars_os() {
        let key = key.to_string_lossy();
        let outer = (key.starts_with("CARGO_") && key != "CARGO_HOME" && key != "CARGO_MAKEFLAGS")
            || key.starts_with("RUSTC")
            || key.starts_with("DEP_")
            || matches!(
                key.as_ref(),
                "RUSTFLAGS"
                    | "RUSTDOC"
                    | "TARGET"
                    | "HOST"
                    | "OPT_LEVEL"
                    | "PROFILE"
                    | "DEBUG"
                    | "NUM_JOBS"
                    | "OUT_DIR"
            );
        if outer {
            command.env_remove(key.as_ref());
        }
    }
    let status = command
        .status()
        .unwrap_or_else(|err| panic!("could not start cargo to build the guests: {err}"));
    if !status.success() {
        panic!("building the sandbox guests for {TARGET} failed (see the cargo output above)");
    }

    let out_dir = target_dir.join(TARGET).join("release");
    let mut hasher = Fnv64::default();
    for (variable, file) in GUESTS {
        let path = out_dir.join(file);
        let bytes = std::fs::read(&path).unwrap_or_else(|err| {
            panic!("guest {} missing after its build: {err}", path.display())
        });
        hasher.write(&bytes);
        println!("cargo:rustc-env={variable}={}", path.display());
    }
    println!(
        "cargo:rustc-env=FABRIQUE_GUESTS_HASH={:016x}",
        hasher.finish()
    );
}

/// Installs the `wasm32-wasip1` standard library with rustup when it is
/// missing, or stops the build with an explanation.
fn ensure_target_installed() {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let sysroot = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    let installed = |root: &Path| root.join("lib/rustlib").join(TARGET).exists();
    if sysroot.as_deref().is_some_and(installed) {
        return;
    }
    let added = Command::new("rustup")
        .args(["target", "add", TARGET])
        .status()
        .is_ok_and(|status| status.success());
    if !added {
        panic!(
            "the Rust target {TARGET} is needed to build the sandbox guests and could not be \
             installed: run `rustup target add {TARGET}` (or install the rust-std component \
             for {TARGET} with your distribution's packages), then build again"
        );
    }
}

/// Stops the build, with the command to run, when the C compiler for the
/// SQL guest or its C library is missing.
fn ensure_c_tools_installed() {
    let missing: Vec<&str> = C_TOOLS
        .iter()
        .copied()
        .filter(|file| !Path::new(file).exists())
        .collect();
    // The compiler's runtime for wasm32 sits under its version's folder.
    let runtime = Command::new("clang")
        .args([
            "--target=wasm32-wasi",
            "-print-libgcc-file-name",
            "-rtlib=compiler-rt",
        ])
        .output()
        .ok()
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        .is_some_and(|path| path.exists());
    if !missing.is_empty() || !runtime {
        panic!(
            "the SQL guest compiles SQLite's C code for WebAssembly, which needs clang, lld, \
             the WebAssembly C library and clang's wasm32 runtime ({}missing). On Debian or \
             Ubuntu run:\n\n    sudo {INSTALL_C_TOOLS}\n\nthen build again",
            missing
                .iter()
                .chain((!runtime).then_some(&"libclang_rt.builtins-wasm32.a"))
                .map(|file| format!("{file} "))
                .collect::<String>()
        );
    }
}

/// FNV-1a: a stable hash of the guests' bytes, part of the key of the
/// on-disk cache of pre-initialized guests.
struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv64 {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}
