/* config.c: where the shipped configuration lives. Nothing of the build
 * is compiled in: the directory is found from the running program's own
 * path, so an installed tree (make install PREFIX=... DESTDIR=...) works
 * wherever it is unpacked and a build tree needs no installation. */
#include "config_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#define CONFIG_SYSTEM_DIR "/etc/vigil"

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Cut the last path component off dir in place; 0 when there is none. */
static int strip_last(char *dir)
{
	char *slash = strrchr(dir, '/');

	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	return 1;
}

/* A configuration directory is one with the rules in it: every command
 * that reads shipped files reads those. */
static int has_rules(const char *dir)
{
	char path[PATH_MAX];

	return (size_t)snprintf(path, sizeof(path), "%s/rules", dir) < sizeof(path) &&
	       is_dir(path);
}

static enum vigil_code put(char *out, size_t size, const char *dir, const char *name,
			   struct vigil_error *err)
{
	int len = name ? snprintf(out, size, "%s/%s", dir, name) : snprintf(out, size, "%s", dir);

	if (len < 0 || (size_t)len >= size)
		return vigil_error_set(err, VIGIL_ERR_TOO_LARGE,
				       "shipped configuration path '%s/%s' is too long", dir,
				       name ? name : "");
	return VIGIL_OK;
}

enum vigil_code config_find_shipped_dir(const char *program, const char *system_dir,
					char *out, size_t size, struct vigil_error *err)
{
	char dir[PATH_MAX], candidate[PATH_MAX + 32];

	if (program && strlen(program) < sizeof(dir)) {
		memcpy(dir, program, strlen(program) + 1);
		/* PREFIX/bin/vigil -> PREFIX/share/vigil */
		if (strip_last(dir) && strip_last(dir) &&
		    (size_t)snprintf(candidate, sizeof(candidate), "%s/share/vigil", dir) <
			    sizeof(candidate) &&
		    has_rules(candidate))
			return put(out, size, candidate, NULL, err);
		/* A program built in the source tree: build/vigil,
		 * build/tests/NAME, build/fuzz-replay/NAME. config/config.h
		 * marks the tree (it is never installed), so a PREFIX that
		 * happens to hold a config/ folder is not taken for one. */
		memcpy(dir, program, strlen(program) + 1);
		strip_last(dir);
		for (int up = 0; up < 3 && strip_last(dir); up++) {
			char marker[sizeof(candidate) + 16];

			snprintf(candidate, sizeof(candidate), "%s/config", dir);
			snprintf(marker, sizeof(marker), "%s/config.h", candidate);
			if (is_file(marker) && has_rules(candidate))
				return put(out, size, candidate, NULL, err);
		}
	}
	if (system_dir && has_rules(system_dir))
		return put(out, size, system_dir, NULL, err);
	return vigil_error_set(err, VIGIL_ERR_NOT_FOUND,
			       "no shipped configuration (a rules/ folder) in "
			       "../share/vigil or the source tree's config/ next to '%s', "
			       "nor in %s; set VIGIL_CONFIG_DIR",
			       program ? program : "(unknown program)",
			       system_dir ? system_dir : "(none)");
}

enum vigil_code config_shipped_path(const char *name, char *out, size_t size,
				    struct vigil_error *err)
{
	const char *given = getenv("VIGIL_CONFIG_DIR");
	char program[PATH_MAX], dir[PATH_MAX];
	ssize_t len;
	enum vigil_code code;

	if (given && *given)
		return put(out, size, given, name, err);
	/* The kernel's link is the resolved path of the running program, so a
	 * symlink /usr/bin/vigil -> /opt/vigil/bin/vigil finds /opt/vigil. */
	len = readlink("/proc/self/exe", program, sizeof(program) - 1);
	if (len > 0)
		program[len] = '\0';
	code = config_find_shipped_dir(len > 0 ? program : NULL, CONFIG_SYSTEM_DIR, dir,
				       sizeof(dir), err);
	if (code != VIGIL_OK)
		return code;
	return put(out, size, dir, name, err);
}
