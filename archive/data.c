/* data.c: the data directory (creation) and its lock file. */
#include "archive_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct archive_lock {
	int fd;
};

enum vigil_code archive_make_dirs(const char *path, struct vigil_error *err)
{
	char copy[PATH_MAX];
	size_t len = strlen(path);
	struct stat st;

	if (len == 0 || len >= sizeof(copy))
		return vigil_error_set(err, VIGIL_ERR_USAGE, "data directory '%s': bad path", path);
	memcpy(copy, path, len + 1);
	for (char *p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;

		*p = '\0';
		if (mkdir(copy, 0755) != 0 && errno != EEXIST)
			return vigil_error_set(err, VIGIL_ERR_IO, "cannot create directory %s: %s",
					       copy, strerror(errno));
		*p = saved;
		if (!saved)
			break;
	}
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return vigil_error_set(err, VIGIL_ERR_IO, "%s exists and is not a directory", path);
	return VIGIL_OK;
}

enum vigil_code archive_data_init(const char *data_dir, struct vigil_error *err)
{
	struct archive_store *store = NULL;
	char warc[PATH_MAX];
	enum vigil_code code;

	if (!data_dir || !*data_dir)
		return vigil_error_set(err, VIGIL_ERR_USAGE, "no data directory given");
	if (snprintf(warc, sizeof(warc), "%s/warc", data_dir) >= (int)sizeof(warc))
		return vigil_error_set(err, VIGIL_ERR_USAGE, "data directory '%s': path too long",
				       data_dir);
	code = archive_make_dirs(data_dir, err);
	if (!code)
		code = archive_make_dirs(warc, err);
	if (!code)
		code = archive_store_open_mode(data_dir, ARCHIVE_OPEN_CREATE, &store, err);
	archive_store_close(&store);
	return code;
}

/* The pid a lock holder wrote into the file, or 0 when unreadable. */
static long read_holder_pid(int fd)
{
	char text[32];
	ssize_t n = pread(fd, text, sizeof(text) - 1, 0);

	if (n <= 0)
		return 0;
	text[n] = '\0';
	return strtol(text, NULL, 10);
}

enum vigil_code archive_lock_acquire(const char *data_dir, struct archive_lock **out,
				     struct vigil_error *err)
{
	char path[PATH_MAX], pid[32];
	struct archive_lock *lock;
	int fd, n;

	*out = NULL;
	if (!data_dir || !*data_dir)
		return vigil_error_set(err, VIGIL_ERR_USAGE, "no data directory given");
	if (snprintf(path, sizeof(path), "%s/lock", data_dir) >= (int)sizeof(path))
		return vigil_error_set(err, VIGIL_ERR_USAGE, "data directory '%s': path too long",
				       data_dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return vigil_error_set(err, VIGIL_ERR_IO, "cannot open lock file %s: %s", path,
				       strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int saved = errno;
		long holder;

		if (saved != EWOULDBLOCK) {
			close(fd);
			return vigil_error_set(err, VIGIL_ERR_IO, "cannot lock %s: %s", path,
					       strerror(saved));
		}
		holder = read_holder_pid(fd);
		close(fd);
		if (holder > 0)
			return vigil_error_set(err, VIGIL_ERR_LOCKED,
					       "data directory %s is in use by another vigil (pid %ld)",
					       data_dir, holder);
		return vigil_error_set(err, VIGIL_ERR_LOCKED,
				       "data directory %s is in use by another vigil (pid unknown)",
				       data_dir);
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		int saved = errno;

		close(fd);
		return vigil_error_set(err, VIGIL_ERR_IO, "cannot write pid to %s: %s", path,
				       strerror(saved));
	}
	lock = malloc(sizeof(*lock));
	if (!lock) {
		close(fd);
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory locking %s", path);
	}
	lock->fd = fd;
	*out = lock;
	return VIGIL_OK;
}

void archive_lock_release(struct archive_lock **lock)
{
	if (!lock || !*lock)
		return;
	/* The file stays: unlinking it would let a waiter lock a file that a
	 * third process can no longer see. An empty file means "not held". */
	if (ftruncate((*lock)->fd, 0) != 0) {
		/* Nothing to do: the flock is what counts, and close drops it. */
	}
	close((*lock)->fd);
	free(*lock);
	*lock = NULL;
}
