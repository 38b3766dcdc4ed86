/*
 * fault_inject.c: the wrappers behind fault_inject.h. Linked only into
 * test_crawler_faults, with the --wrap flags of FAULT_WRAP in the Makefile.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "fault_inject.h"

#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct fault_state {
	int armed;
	enum fault_kind kind;
	enum fault_mode mode;
	long target;                    /* 0: count only */
	long calls[FAULT_KIND_COUNT];
	long injected;
};

/* The one global: the wrappers are called from code that cannot pass
 * anything to them. */
static struct fault_state fault;

void fault_arm(enum fault_kind kind, long n, enum fault_mode mode)
{
	memset(&fault, 0, sizeof(fault));
	fault.kind = kind;
	fault.mode = mode;
	fault.target = n;
	fault.armed = 1;
}

void fault_disarm(void)
{
	fault.armed = 0;
}

long fault_calls(enum fault_kind kind)
{
	return fault.calls[kind];
}

long fault_injected(void)
{
	return fault.injected;
}

const char *fault_kind_name(enum fault_kind kind)
{
	static const char *const names[FAULT_KIND_COUNT] = { "alloc", "write", "sqlite",
							     "sqlite-io" };

	return kind < FAULT_KIND_COUNT ? names[kind] : "?";
}

const char *fault_mode_name(enum fault_mode mode)
{
	return mode == FAULT_PERSIST ? "persistent" : "once";
}

/* Count a call of kind; 1 when this call must fail. */
static int fault_hit(enum fault_kind kind)
{
	long n;

	if (!fault.armed)
		return 0;
	n = ++fault.calls[kind];
	if (kind != fault.kind || fault.target <= 0)
		return 0;
	if (n == fault.target || (fault.mode == FAULT_PERSIST && n > fault.target)) {
		/* VIGIL_FAULT_BACKTRACE=1: where the first injected failure hits
		 * (build with -O0 -rdynamic for names; addr2line otherwise). */
		if (!fault.injected && getenv("VIGIL_FAULT_BACKTRACE")) {
			void *frames[32];
			int depth = backtrace(frames, 32);

			backtrace_symbols_fd(frames, depth, 2);
		}
		/* VIGIL_FAULT_BACKTRACE_FILE=PATH: the same into PATH, written by
		 * every run, read by the test when the run went wrong. */
		if (!fault.injected && getenv("VIGIL_FAULT_BACKTRACE_FILE")) {
			void *frames[32];
			int depth = backtrace(frames, 32);
			int fd = open(getenv("VIGIL_FAULT_BACKTRACE_FILE"),
				      O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

			if (fd >= 0) {
				backtrace_symbols_fd(frames, depth, fd);
				close(fd);
			}
		}
		fault.injected++;
		return 1;
	}
	return 0;
}

/* ---------------- allocation ---------------- */

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *ptr, size_t size);
char *__real_strdup(const char *text);
char *__real_strndup(const char *text, size_t len);

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *ptr, size_t size);
char *__wrap_strdup(const char *text);
char *__wrap_strndup(const char *text, size_t len);

void *__wrap_malloc(size_t size)
{
	if (fault_hit(FAULT_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size)
{
	if (fault_hit(FAULT_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_calloc(count, size);
}

void *__wrap_realloc(void *ptr, size_t size)
{
	if (fault_hit(FAULT_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_realloc(ptr, size);
}

char *__wrap_strdup(const char *text)
{
	if (fault_hit(FAULT_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_strdup(text);
}

char *__wrap_strndup(const char *text, size_t len)
{
	if (fault_hit(FAULT_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_strndup(text, len);
}

/* ---------------- writes ---------------- */

ssize_t __real_write(int fd, const void *data, size_t len);
ssize_t __real_pwrite(int fd, const void *data, size_t len, off_t offset);
int __real_fsync(int fd);

ssize_t __wrap_write(int fd, const void *data, size_t len);
ssize_t __wrap_pwrite(int fd, const void *data, size_t len, off_t offset);
int __wrap_fsync(int fd);

/* A disk that fills up usually takes part of the write first: the first
 * persistent failure writes half and reports a short count, the retry gets
 * ENOSPC. A single failure is an I/O error. */
ssize_t __wrap_write(int fd, const void *data, size_t len)
{
	if (fault_hit(FAULT_WRITE)) {
		if (fault.mode == FAULT_PERSIST && fault.injected == 1 && len > 1)
			return __real_write(fd, data, len / 2);
		errno = fault.mode == FAULT_PERSIST ? ENOSPC : EIO;
		return -1;
	}
	return __real_write(fd, data, len);
}

ssize_t __wrap_pwrite(int fd, const void *data, size_t len, off_t offset)
{
	if (fault_hit(FAULT_WRITE)) {
		errno = fault.mode == FAULT_PERSIST ? ENOSPC : EIO;
		return -1;
	}
	return __real_pwrite(fd, data, len, offset);
}

int __wrap_fsync(int fd)
{
	if (fault_hit(FAULT_WRITE)) {
		errno = fault.mode == FAULT_PERSIST ? ENOSPC : EIO;
		return -1;
	}
	return __real_fsync(fd);
}

/* ---------------- SQLite calls ---------------- */

int __real_sqlite3_step(sqlite3_stmt *st);
int __real_sqlite3_exec(sqlite3 *db, const char *sql, int (*callback)(void *, int, char **, char **),
			void *context, char **message);
int __real_sqlite3_prepare_v2(sqlite3 *db, const char *sql, int len, sqlite3_stmt **st,
			      const char **tail);
int __real_sqlite3_prepare_v3(sqlite3 *db, const char *sql, int len, unsigned flags,
			      sqlite3_stmt **st, const char **tail);

int __wrap_sqlite3_step(sqlite3_stmt *st);
int __wrap_sqlite3_exec(sqlite3 *db, const char *sql, int (*callback)(void *, int, char **, char **),
			void *context, char **message);
int __wrap_sqlite3_prepare_v2(sqlite3 *db, const char *sql, int len, sqlite3_stmt **st,
			      const char **tail);
int __wrap_sqlite3_prepare_v3(sqlite3 *db, const char *sql, int len, unsigned flags,
			      sqlite3_stmt **st, const char **tail);

int __wrap_sqlite3_step(sqlite3_stmt *st)
{
	if (fault_hit(FAULT_SQLITE))
		return fault.mode == FAULT_PERSIST ? SQLITE_FULL : SQLITE_IOERR;
	return __real_sqlite3_step(st);
}

int __wrap_sqlite3_exec(sqlite3 *db, const char *sql, int (*callback)(void *, int, char **, char **),
			void *context, char **message)
{
	/* ROLLBACK needs no space and is how every error path recovers;
	 * failing it would test the injector, not vigil. */
	if (!(sql && strncasecmp(sql, "ROLLBACK", 8) == 0) && fault_hit(FAULT_SQLITE)) {
		if (message)
			*message = sqlite3_mprintf("injected fault in \"%s\"", sql ? sql : "");
		return fault.mode == FAULT_PERSIST ? SQLITE_FULL : SQLITE_IOERR;
	}
	return __real_sqlite3_exec(db, sql, callback, context, message);
}

int __wrap_sqlite3_prepare_v2(sqlite3 *db, const char *sql, int len, sqlite3_stmt **st,
			      const char **tail)
{
	if (fault_hit(FAULT_SQLITE)) {
		*st = NULL;
		return SQLITE_NOMEM;
	}
	return __real_sqlite3_prepare_v2(db, sql, len, st, tail);
}

int __wrap_sqlite3_prepare_v3(sqlite3 *db, const char *sql, int len, unsigned flags,
			      sqlite3_stmt **st, const char **tail)
{
	if (fault_hit(FAULT_SQLITE)) {
		*st = NULL;
		return SQLITE_NOMEM;
	}
	return __real_sqlite3_prepare_v3(db, sql, len, flags, st, tail);
}

/* ---------------- SQLite's file I/O: a VFS shim ---------------- */

struct shim_file {
	sqlite3_file base;
	sqlite3_file *real; /* lives right after this struct */
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;

static int shim_close(sqlite3_file *f)
{
	struct shim_file *s = (struct shim_file *)f;

	return s->real->pMethods->xClose(s->real);
}

static int shim_read(sqlite3_file *f, void *data, int amount, sqlite3_int64 offset)
{
	struct shim_file *s = (struct shim_file *)f;

	return s->real->pMethods->xRead(s->real, data, amount, offset);
}

static int shim_write(sqlite3_file *f, const void *data, int amount, sqlite3_int64 offset)
{
	struct shim_file *s = (struct shim_file *)f;

	if (fault_hit(FAULT_SQLITE_IO))
		return fault.mode == FAULT_PERSIST ? SQLITE_FULL : SQLITE_IOERR_WRITE;
	return s->real->pMethods->xWrite(s->real, data, amount, offset);
}

static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	struct shim_file *s = (struct shim_file *)f;

	if (fault_hit(FAULT_SQLITE_IO))
		return SQLITE_IOERR_TRUNCATE;
	return s->real->pMethods->xTruncate(s->real, size);
}

static int shim_sync(sqlite3_file *f, int flags)
{
	struct shim_file *s = (struct shim_file *)f;

	if (fault_hit(FAULT_SQLITE_IO))
		return SQLITE_IOERR_FSYNC;
	return s->real->pMethods->xSync(s->real, flags);
}

static int shim_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	struct shim_file *s = (struct shim_file *)f;

	return s->real->pMethods->xFileSize(s->real, size);
}

static int shim_lock(sqlite3_file *f, int level)
{
	struct shim_file *s = (struct shim_file *)f;

	return s->real->pMethods->xLock(s->real, level);
}

static int shim_unlock(sqlite3_file *f, int level)
{
	struct shim_file *s = (struct shim_file *)f;

	return s->real->pMethods->xUnlock(s->real, level);
}

static int shim_check_reserved(sqlite3_file *f, int *out)
{
	struct shim_file *s = (struct shim_file *)f;

	return s->real->pMethods->xCheckReservedLock(s->real, out);
}

static int shim_file_control(sqlite3_file *f, int op, void *arg)
{
	struct shim_file *s = (struct shim_file *)f;

	return s->real->pMethods->xFileControl(s->real, op, arg);
}

static int shim_sector_size(sqlite3_file *f)
{
	struct shim_file *s = (struct shim_file *)f;

	return s->real->pMethods->xSectorSize(s->real);
}

static int shim_device(sqlite3_file *f)
{
	struct shim_file *s = (struct shim_file *)f;

	return s->real->pMethods->xDeviceCharacteristics(s->real);
}

static int shim_shm_map(sqlite3_file *f, int region, int size, int extend, void volatile **out)
{
	struct shim_file *s = (struct shim_file *)f;

	return s->real->pMethods->xShmMap(s->real, region, size, extend, out);
}

static int shim_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	struct shim_file *s = (struct shim_file *)f;

	return s->real->pMethods->xShmLock(s->real, offset, n, flags);
}

static void shim_shm_barrier(sqlite3_file *f)
{
	struct shim_file *s = (struct shim_file *)f;

	s->real->pMethods->xShmBarrier(s->real);
}

static int shim_shm_unmap(sqlite3_file *f, int delete_flag)
{
	struct shim_file *s = (struct shim_file *)f;

	return s->real->pMethods->xShmUnmap(s->real, delete_flag);
}

static int shim_fetch(sqlite3_file *f, sqlite3_int64 offset, int amount, void **out)
{
	struct shim_file *s = (struct shim_file *)f;

	return s->real->pMethods->xFetch(s->real, offset, amount, out);
}

static int shim_unfetch(sqlite3_file *f, sqlite3_int64 offset, void *page)
{
	struct shim_file *s = (struct shim_file *)f;

	return s->real->pMethods->xUnfetch(s->real, offset, page);
}

static const sqlite3_io_methods shim_methods = {
	3, shim_close, shim_read, shim_write, shim_truncate, shim_sync, shim_file_size,
	shim_lock, shim_unlock, shim_check_reserved, shim_file_control, shim_sector_size,
	shim_device, shim_shm_map, shim_shm_lock, shim_shm_barrier, shim_shm_unmap,
	shim_fetch, shim_unfetch
};

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
		     int *out_flags)
{
	struct shim_file *s = (struct shim_file *)f;
	int rc;

	(void)vfs;
	s->real = (sqlite3_file *)(s + 1);
	rc = real_vfs->xOpen(real_vfs, name, s->real, flags, out_flags);
	/* SQLite calls xClose exactly when pMethods is set. */
	s->base.pMethods = s->real->pMethods ? &shim_methods : NULL;
	return rc;
}

static int shim_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int shim_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int shim_full_pathname(sqlite3_vfs *vfs, const char *name, int size, char *out)
{
	(void)vfs;
	return real_vfs->xFullPathname(real_vfs, name, size, out);
}

int fault_vfs_install(void)
{
	if (real_vfs)
		return 0;
	real_vfs = sqlite3_vfs_find(NULL);
	if (!real_vfs || real_vfs->iVersion < 1)
		return -1;
	shim_vfs = *real_vfs;
	shim_vfs.szOsFile = (int)sizeof(struct shim_file) + real_vfs->szOsFile;
	shim_vfs.zName = "vigil-fault";
	shim_vfs.pNext = NULL;
	shim_vfs.xOpen = shim_open;
	shim_vfs.xDelete = shim_delete;
	shim_vfs.xAccess = shim_access;
	shim_vfs.xFullPathname = shim_full_pathname;
	return sqlite3_vfs_register(&shim_vfs, 1) == SQLITE_OK ? 0 : -1;
}
