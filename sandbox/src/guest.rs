//! The guest interpreters: their WebAssembly (built by `build.rs` and
//! embedded), their pre-initialization with `wasmtime-wizer`, and the
//! on-disk cache of the pre-initialized, precompiled result.
//!
//! At the first start, each guest's `fabrique_init` runs once (building the
//! interpreter, importing common modules); the memory it leaves is
//! snapshotted into a new module, which is compiled for the run engine and
//! written to the cache. Later starts only map that file (about a
//! millisecond). The cache key covers the guests' bytes and the engine's
//! compatibility hash (wasmtime's version and compilation settings).

use crate::Language;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use wasmtime::{Config, Engine, Linker, Module, Store};
use wasmtime_wasi::p1::{self, WasiP1Ctx};
use wasmtime_wasi::{FsPerms, WasiCtxBuilder};

const PYTHON_GUEST: &[u8] = include_bytes!(env!("FABRIQUE_PYTHON_GUEST"));
const JAVASCRIPT_GUEST: &[u8] = include_bytes!(env!("FABRIQUE_JAVASCRIPT_GUEST"));
const SQL_GUEST: &[u8] = include_bytes!(env!("FABRIQUE_SQL_GUEST"));
const GUESTS_HASH: &str = env!("FABRIQUE_GUESTS_HASH");

/// The guest's pre-initialization export, run once under wizer.
const INIT_EXPORT: &str = "fabrique_init";

fn guest_bytes(language: Language) -> &'static [u8] {
    match language {
        Language::Python => PYTHON_GUEST,
        Language::JavaScript => JAVASCRIPT_GUEST,
        Language::Sql => SQL_GUEST,
    }
}

/// The pre-initialized guest of `language`, compiled for `engine`: from the
/// cache when it holds it, else prepared now (and cached when possible).
pub(crate) fn load(
    engine: &Engine,
    language: Language,
    cache_dir: Option<&Path>,
) -> anyhow::Result<Module> {
    let Some(cache_dir) = cache_dir else {
        let compiled = engine.precompile_module(&snapshot(language)?)?;
        return deserialize(engine, &compiled);
    };
    std::fs::create_dir_all(cache_dir)?;
    let path = cache_path(engine, language, cache_dir);
    if let Some(module) = from_cache(engine, &path) {
        return Ok(module);
    }
    // Several processes may start at once (tests, servers): one prepares the
    // guest while the others wait for it on this lock, then read its work.
    let lock = std::fs::File::create(path.with_extension("lock"))?;
    lock.lock()?;
    if let Some(module) = from_cache(engine, &path) {
        return Ok(module);
    }
    let compiled = engine.precompile_module(&snapshot(language)?)?;
    let mut file = tempfile::NamedTempFile::new_in(cache_dir)?;
    std::io::Write::write_all(&mut file, &compiled)?;
    file.persist(&path)?;
    drop(lock);
    from_cache(engine, &path)
        .ok_or_else(|| anyhow::anyhow!("the cached guest {} cannot be read back", path.display()))
}

fn cache_path(engine: &Engine, language: Language, cache_dir: &Path) -> PathBuf {
    let mut hasher = DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    let name = format!("{language}-{GUESTS_HASH}-{:016x}.cwasm", hasher.finish());
    cache_dir.join(name)
}

/// The cached module at `path`, if there is a valid one.
fn from_cache(engine: &Engine, path: &Path) -> Option<Module> {
    if !path.exists() {
        return None;
    }
    // SAFETY: the file was written by `load` above, from
    // `Engine::precompile_module` with an engine of the same settings (they
    // are part of its name), in a directory that belongs to this server;
    // wasmtime checks its header and compatibility before using it.
    #[allow(unsafe_code)]
    let module = unsafe { Module::deserialize_file(engine, path) };
    module.ok()
}

fn deserialize(engine: &Engine, compiled: &[u8]) -> anyhow::Result<Module> {
    // SAFETY: `compiled` was produced just now by `Engine::precompile_module`
    // on this same engine.
    #[allow(unsafe_code)]
    let module = unsafe { Module::deserialize(engine, compiled) };
    Ok(module?)
}

/// Runs the guest's `fabrique_init` once and snapshots the result.
///
/// Runs on a thread of its own: wizer is async, and the caller may already
/// be inside a tokio runtime.
fn snapshot(language: Language) -> anyhow::Result<Vec<u8>> {
    std::thread::scope(|scope| {
        scope
            .spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?
                    .block_on(snapshot_async(language))
            })
            .join()
            .map_err(|_| anyhow::anyhow!("pre-initializing the {language} guest panicked"))?
    })
}

async fn snapshot_async(language: Language) -> anyhow::Result<Vec<u8>> {
    // A plain engine: pre-initialization runs trusted code, once.
    let engine = Engine::new(&Config::new())?;
    let dir = tempfile::tempdir()?;
    let mut builder = WasiCtxBuilder::new();
    builder.args(&[language.as_str()]);
    builder.preopened_dir(dir.path(), "/", FsPerms::ReadWrite)?;
    let mut store: Store<WasiP1Ctx> = Store::new(&engine, builder.build_p1());
    let mut linker: Linker<WasiP1Ctx> = Linker::new(&engine);
    p1::add_to_linker_async(&mut linker, |ctx| ctx)?;
    // The guests' drawing, question and result channels: nothing draws,
    // asks or queries while they initialize.
    linker.func_wrap("fabrique", "draw", |_: u32, _: u32| {})?;
    linker.func_wrap("fabrique", "table", |_: u32, _: u32| {})?;
    linker.func_wrap("fabrique", "memory_exhausted", || {})?;
    linker.func_wrap("fabrique", "database_image", |_: u32, _: u32| {})?;
    linker.func_wrap("fabrique", "prompt", |_: u32, _: u32| {})?;
    linker.func_wrap("fabrique", "input_ended", || {})?;
    let mut wizer = wasmtime_wizer::Wizer::new();
    wizer.init_func(INIT_EXPORT);
    let snapshot = wizer
        .run(&mut store, guest_bytes(language), async |store, module| {
            linker.instantiate_async(store, module).await
        })
        .await?;
    Ok(snapshot)
}
