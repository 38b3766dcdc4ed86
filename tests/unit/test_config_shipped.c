/* test_config_shipped.c: config_find_shipped_dir() finds the shipped
 * configuration from the program's own path in an installed tree
 * (PREFIX/bin -> PREFIX/share/vigil) and in a source tree (build/vigil,
 * build/tests/NAME -> config/, only where config/config.h marks the tree),
 * falls back to the system directory, and names where it looked when
 * there is none. The layouts are built in a temporary directory. */
#include "check.h"
#include "../../config/config_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char root[PATH_MAX];

static void make_dir(const char *relative)
{
	char path[PATH_MAX * 2], *p;

	snprintf(path, sizeof(path), "%s/%s", root, relative);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	mkdir(path, 0755);
}

static void make_file(const char *relative)
{
	char path[PATH_MAX * 2];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, relative);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
}

/* The directory found for program ROOT/relative, relative to ROOT, or
 * "!" + the error message. */
static const char *found_for(const char *relative, const char *system_relative)
{
	static char result[PATH_MAX * 2];
	char program[PATH_MAX * 2], system_dir[PATH_MAX * 2], out[PATH_MAX];
	struct vigil_error err = { 0 };

	snprintf(program, sizeof(program), "%s/%s", root, relative);
	snprintf(system_dir, sizeof(system_dir), "%s/%s", root, system_relative);
	if (config_find_shipped_dir(program, system_dir, out, sizeof(out), &err) != VIGIL_OK) {
		CHECK(err.code == VIGIL_ERR_NOT_FOUND);
		snprintf(result, sizeof(result), "!%s", err.message);
		return result;
	}
	CHECK(strncmp(out, root, strlen(root)) == 0);
	snprintf(result, sizeof(result), "%s", out + strlen(root));
	return result;
}

int main(void)
{
	char out[8];
	struct vigil_error err = { 0 };

	snprintf(root, sizeof(root), "%s/vigil-shipped-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	CHECK(mkdtemp(root) != NULL);

	/* Installed: PREFIX/bin/vigil, PREFIX/share/vigil/rules. */
	make_dir("usr/local/bin");
	make_dir("usr/local/share/vigil/rules");
	CHECK_STR(found_for("usr/local/bin/vigil", "etc/vigil"), "/usr/local/share/vigil");
	/* A share/vigil without rules/ is not a configuration. */
	make_dir("opt/bin");
	make_dir("opt/share/vigil");
	CHECK_CONTAINS(found_for("opt/bin/vigil", "etc/vigil"), "!no shipped configuration");

	/* Source tree: build/vigil and build/tests/NAME find config/. */
	make_dir("src/build/tests");
	make_dir("src/config/rules");
	CHECK_CONTAINS(found_for("src/build/vigil", "etc/vigil"), "!");
	make_file("src/config/config.h");
	CHECK_STR(found_for("src/build/vigil", "etc/vigil"), "/src/config");
	CHECK_STR(found_for("src/build/tests/test_x", "etc/vigil"), "/src/config");

	/* Else the system directory, once it has rules. */
	make_dir("etc/vigil");
	CHECK_CONTAINS(found_for("elsewhere/bin/vigil", "etc/vigil"), "!");
	make_dir("etc/vigil/rules");
	CHECK_STR(found_for("elsewhere/bin/vigil", "etc/vigil"), "/etc/vigil");
	/* An installed tree wins over the system directory. */
	CHECK_STR(found_for("usr/local/bin/vigil", "etc/vigil"), "/usr/local/share/vigil");
	/* Unknown program path: only the system directory. */
	CHECK(config_find_shipped_dir(NULL, "/nonexistent-vigil-etc", out, sizeof(out), &err) ==
	      VIGIL_ERR_NOT_FOUND);
	CHECK_CONTAINS(err.message, "/nonexistent-vigil-etc");
	CHECK_CONTAINS(err.message, "VIGIL_CONFIG_DIR");
	/* A path that does not fit the caller's buffer. */
	CHECK(config_find_shipped_dir(NULL, root, out, sizeof(out), &err) == VIGIL_ERR_NOT_FOUND);
	make_dir("rules");
	CHECK(config_find_shipped_dir(NULL, root, out, sizeof(out), &err) == VIGIL_ERR_TOO_LARGE);

	{
		char command[PATH_MAX + 16];

		snprintf(command, sizeof(command), "rm -rf '%s'", root);
		CHECK(system(command) == 0);
	}
	CHECK_DONE();
}
