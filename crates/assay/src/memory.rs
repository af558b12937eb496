//! Allocator settings for a process that judges large packages one after another.
//!
//! With glibc's defaults, freed memory stays with the process in ways that add up across
//! artifacts: each worker thread gets its own arena (up to 8 per core), and the mmap
//! threshold rises to the size of the largest block freed so far (up to 32 MiB), so the
//! buffers of the next large package come from the fragmented heap instead of fresh
//! mappings. On the wide benign set one `assay scan` over ten large packages in turn
//! peaked at 520 MB with the defaults and 455 MB with a fixed 1 MiB threshold and two
//! arenas, while each package alone needs at most 417 MB (`docs/benchmarks.md`).
//!
//! Those settings are glibc tunables, read only when a process starts, and the workspace
//! has no `unsafe` for `mallopt`: so on Linux with glibc, when `GLIBC_TUNABLES` is unset,
//! the process replaces itself once (`execve`, same pid, same arguments and streams) with
//! [`TUNABLES`] set. A user's own `GLIBC_TUNABLES` is left alone, as is every other
//! platform. (A global allocator such as jemalloc was measured too: tree-sitter's C code
//! still allocates from glibc, and the two allocators' freed memory added up to 571 MB.)
//! Processes that `assay guard` starts get the environment without it (see
//! [`clean_env`]).

/// The glibc tunables set for the process: a fixed 1 MiB mmap threshold and two malloc
/// arenas.
pub const TUNABLES: &str = "glibc.malloc.mmap_threshold=1048576:glibc.malloc.arena_max=2";

/// Set by [`tune_allocator`] beside `GLIBC_TUNABLES`, so that it is set at most once and
/// can be removed again for child processes.
const MARK: &str = "ASSAY_GLIBC_TUNABLES";

/// Re-execute the process with [`TUNABLES`] (see the module documentation). Returns
/// without doing anything when the tunables are set already, when the platform is not
/// Linux with glibc, or when the executable cannot be found or re-executed.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::process::CommandExt;
        if std::env::var_os("GLIBC_TUNABLES").is_some() || std::env::var_os(MARK).is_some() {
            return;
        }
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        let mut args = std::env::args_os();
        let arg0 = args.next().unwrap_or_else(|| exe.clone().into_os_string());
        // Only returns on failure; the process then goes on with the defaults.
        let _ = std::process::Command::new(&exe)
            .arg0(arg0)
            .args(args)
            .env("GLIBC_TUNABLES", TUNABLES)
            .env(MARK, "1")
            .exec();
    }
}

/// Remove what [`tune_allocator`] added from the environment of a child process (pip, uv,
/// npm under `assay guard`), so they run as the user would run them.
pub fn clean_env(c: &mut std::process::Command) {
    if std::env::var_os(MARK).is_some() {
        c.env_remove("GLIBC_TUNABLES").env_remove(MARK);
    }
}

#[cfg(test)]
mod tests {
    /// The running test binary is not re-executed; this checks the child-environment
    /// cleanup, which must drop exactly what `tune_allocator` adds.
    #[test]
    fn clean_env_removes_the_tunables_only_when_assay_set_them() {
        let mut c = std::process::Command::new("true");
        super::clean_env(&mut c);
        let removed: Vec<_> = c.get_envs().filter(|(_, v)| v.is_none()).collect();
        if std::env::var_os(super::MARK).is_some() {
            assert_eq!(removed.len(), 2);
        } else {
            assert!(removed.is_empty());
        }
    }
}
