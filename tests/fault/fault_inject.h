/*
 * fault_inject.h: make the Nth allocation, write or SQLite call of vigil's
 * own code fail, the way SQLite's test suite does it.
 *
 * Only test_crawler_faults links tests/fault/fault_inject.c, with
 *   -Wl,--wrap=malloc,--wrap=calloc,... (see FAULT_WRAP in the Makefile)
 * so calls made by vigil's static libraries (and by the test itself) reach
 * the __wrap_* functions here; calls inside libcurl, libxml2, PCRE2 and
 * SQLite do not (shared libraries are not relinked). SQLite's own file I/O
 * is reached through a VFS shim instead (fault_vfs_install).
 *
 * The counters are process globals: a wrapper has nowhere else to keep them.
 * Each faulted crawl runs in a forked child, so one run never sees another's
 * state.
 */
#ifndef VIGIL_TEST_FAULT_INJECT_H
#define VIGIL_TEST_FAULT_INJECT_H

enum fault_kind {
	FAULT_ALLOC = 0,   /* malloc, calloc, realloc, strdup, strndup: NULL, ENOMEM */
	FAULT_WRITE = 1,   /* write, pwrite, fsync: -1 (EIO once, ENOSPC persistent) */
	FAULT_SQLITE = 2,  /* sqlite3_step, sqlite3_exec, sqlite3_prepare_v2/v3 */
	FAULT_SQLITE_IO = 3, /* xWrite, xSync, xTruncate of SQLite's files (VFS shim) */
	FAULT_KIND_COUNT = 4
};

enum fault_mode {
	FAULT_ONCE = 0,    /* only call number N fails */
	FAULT_PERSIST = 1  /* call N and every later one fails: a full disk */
};

/* Start counting calls of every kind; the nth call of kind fails (n = 0:
 * count only). Counters restart at 0. */
void fault_arm(enum fault_kind kind, long n, enum fault_mode mode);
/* Stop counting and failing. */
void fault_disarm(void);
/* Calls of kind seen since fault_arm. */
long fault_calls(enum fault_kind kind);
/* Failures injected since fault_arm. */
long fault_injected(void);
const char *fault_kind_name(enum fault_kind kind);
const char *fault_mode_name(enum fault_mode mode);

/* Register the counting VFS shim as SQLite's default (once, before any
 * database is opened). 0 on success. */
int fault_vfs_install(void);

#endif
