/*
 * config_int.h: the line reader shared by the sources and rules loaders.
 * Not a published API: other modules use config.h only.
 *
 * The reader takes a whole file into memory (capped), checks that it is
 * UTF-8 without NUL bytes, and hands out one event per section header or
 * "key = value" line, with comments and blank lines skipped. The strings
 * in an event point into the reader's buffer (it is cut up in place) and
 * live until config_ini_close().
 */
#ifndef VIGIL_CONFIG_INT_H
#define VIGIL_CONFIG_INT_H

#include "config.h"

/* Configuration files larger than this are refused: a real one is a few
 * hundred kilobytes at most, and the whole file is held in memory. */
#define CONFIG_FILE_MAX ((size_t)16 * 1024 * 1024)

struct config_ini {
	const char *path;  /* for messages; not owned */
	char *data;        /* the whole file, cut up in place; owned */
	size_t len;
	size_t pos;
	int line;          /* line of the event last returned */
};

enum config_ini_kind {
	CONFIG_INI_END = 0,     /* no more lines */
	CONFIG_INI_SECTION = 1, /* [type] or [type name] */
	CONFIG_INI_KEY = 2      /* key = value */
};

struct config_ini_event {
	enum config_ini_kind kind;
	int line;
	const char *type;  /* section: first word */
	const char *name;  /* section: second word, or NULL */
	const char *key;   /* key line: [A-Za-z_][A-Za-z0-9_]* */
	const char *value; /* key line: trimmed; "" when empty */
};

/* Read path. VIGIL_ERR_IO when it cannot be read, VIGIL_ERR_TOO_LARGE over
 * CONFIG_FILE_MAX, VIGIL_ERR_CONFIG when it is not UTF-8 text. */
enum vigil_code config_ini_open(struct config_ini *ini, const char *path,
				struct vigil_error *err);
/* Next event into ev; VIGIL_ERR_CONFIG "FILE:LINE: ..." on a malformed
 * line. After CONFIG_INI_END it keeps returning CONFIG_INI_END. */
enum vigil_code config_ini_next(struct config_ini *ini, struct config_ini_event *ev,
				struct vigil_error *err);
void config_ini_close(struct config_ini *ini);

/* Set err to "FILE:LINE: message" with code VIGIL_ERR_CONFIG. */
enum vigil_code config_fail(struct vigil_error *err, const char *path, int line,
			    const char *fmt, ...) VIGIL_PRINTF(4, 5);

/* 1 when text is a non-empty [A-Za-z0-9_.-]+ of at most max bytes;
 * dots are refused when allow_dot is 0. */
int config_valid_id(const char *text, size_t max, int allow_dot);

/* Resolve a path relative to the directory holding base_file (absolute
 * paths are kept). malloc'd, NULL on OOM. */
char *config_resolve_relative(const char *base_file, const char *path);

/* config_shipped_path's search without the environment: the shipped
 * directory for a program at the absolute path program (NULL: unknown),
 * else system_dir; separate so that tests can build both layouts. */
enum vigil_code config_find_shipped_dir(const char *program, const char *system_dir,
					char *out, size_t size, struct vigil_error *err);

#endif
