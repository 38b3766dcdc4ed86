/*
 * ini.c: the INI-like line format both configuration files share.
 *
 * The whole file is read and validated first (UTF-8, no NUL) so that the
 * loaders above never see bytes they would have to reject later and every
 * message can still name the line.
 */
#include "config_int.h"
#include "../common/utf8.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum vigil_code config_fail(struct vigil_error *err, const char *path, int line,
			    const char *fmt, ...)
{
	char message[VIGIL_ERROR_MAX];
	va_list args;

	va_start(args, fmt);
	vsnprintf(message, sizeof(message), fmt, args);
	va_end(args);
	return vigil_error_set(err, VIGIL_ERR_CONFIG, "%s:%d: %s", path, line, message);
}

int config_valid_id(const char *text, size_t max, int allow_dot)
{
	size_t n = 0;

	if (!text || !*text)
		return 0;
	for (; text[n]; n++) {
		unsigned char c = (unsigned char)text[n];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '_' || c == '-' || (allow_dot && c == '.');

		if (!ok || n >= max)
			return 0;
	}
	return 1;
}

char *config_resolve_relative(const char *base_file, const char *path)
{
	const char *slash;
	size_t dir_len;
	char *out;

	if (path[0] == '/' || !base_file || !(slash = strrchr(base_file, '/')))
		return vigil_strdup(path);
	dir_len = (size_t)(slash - base_file) + 1;
	out = malloc(dir_len + strlen(path) + 1);
	if (!out)
		return NULL;
	memcpy(out, base_file, dir_len);
	strcpy(out + dir_len, path);
	return out;
}

static enum vigil_code ini_check_text(const char *path, const char *data, size_t len,
				      struct vigil_error *err)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i = 0, step;
	int line = 1;

	while (i < len) {
		if (p[i] == '\0')
			return config_fail(err, path, line, "NUL byte; expected UTF-8 text");
		if (p[i] == '\n')
			line++;
		step = vigil_utf8_sequence_length(p + i, len - i);
		if (!step)
			return config_fail(err, path, line,
					   "invalid UTF-8 at byte %zu; expected UTF-8 text", i);
		i += step;
	}
	return VIGIL_OK;
}

enum vigil_code config_ini_open(struct config_ini *ini, const char *path,
				struct vigil_error *err)
{
	FILE *f;
	char *data = NULL, *grown;
	size_t len = 0, cap = 0, got;
	enum vigil_code code;

	memset(ini, 0, sizeof(*ini));
	f = fopen(path, "rb");
	if (!f)
		return vigil_error_set(err, VIGIL_ERR_IO, "%s: %s", path, strerror(errno));
	for (;;) {
		if (cap - len < 4096) {
			if (cap > CONFIG_FILE_MAX) {
				fclose(f);
				free(data);
				return vigil_error_set(err, VIGIL_ERR_TOO_LARGE,
						       "%s: larger than %zu bytes", path,
						       CONFIG_FILE_MAX);
			}
			cap = cap ? cap * 2 : 16384;
			grown = realloc(data, cap + 1);
			if (!grown) {
				fclose(f);
				free(data);
				return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory",
						       path);
			}
			data = grown;
		}
		got = fread(data + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		code = vigil_error_set(err, VIGIL_ERR_IO, "%s: read error", path);
		fclose(f);
		free(data);
		return code;
	}
	fclose(f);
	if (!data) {
		data = malloc(1);
		if (!data)
			return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory", path);
	}
	data[len] = '\0';
	if (len > CONFIG_FILE_MAX) {
		free(data);
		return vigil_error_set(err, VIGIL_ERR_TOO_LARGE, "%s: larger than %zu bytes",
				       path, CONFIG_FILE_MAX);
	}
	code = ini_check_text(path, data, len, err);
	if (code) {
		free(data);
		return code;
	}
	ini->path = path;
	ini->data = data;
	ini->len = len;
	/* A UTF-8 byte order mark is allowed and ignored. */
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		ini->pos = 3;
	return VIGIL_OK;
}

void config_ini_close(struct config_ini *ini)
{
	if (!ini)
		return;
	free(ini->data);
	memset(ini, 0, sizeof(*ini));
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static char *trim(char *s)
{
	char *end;

	while (is_blank(*s))
		s++;
	end = s + strlen(s);
	while (end > s && is_blank(end[-1]))
		*--end = '\0';
	return s;
}

/* "# ..." after blank space ends the value, except for patterns, where '#'
 * is regex text and the whole rest of the line is kept. */
static void strip_inline_comment(char *value)
{
	char *p;

	for (p = value; *p; p++) {
		if (*p == '#' && (p == value || is_blank(p[-1]))) {
			*p = '\0';
			return;
		}
	}
}

static enum vigil_code ini_section(struct config_ini *ini, char *s, struct config_ini_event *ev,
				   struct vigil_error *err)
{
	char *close = strchr(s, ']'), *rest, *type, *name, *p;

	if (!close)
		return config_fail(err, ini->path, ini->line,
				   "unterminated section header; expected ']'");
	*close = '\0';
	rest = trim(close + 1);
	if (*rest && *rest != '#')
		return config_fail(err, ini->path, ini->line,
				   "text after ']'; expected end of line or a # comment");
	type = trim(s + 1);
	if (!*type)
		return config_fail(err, ini->path, ini->line,
				   "empty section header; expected [TYPE] or [TYPE NAME]");
	for (p = type; *p && !is_blank(*p); p++)
		;
	name = NULL;
	if (*p) {
		*p++ = '\0';
		name = trim(p);
		for (p = name; *p; p++) {
			if (is_blank(*p))
				return config_fail(err, ini->path, ini->line,
						   "too many words in section header; "
						   "expected [TYPE] or [TYPE NAME]");
		}
	}
	ev->kind = CONFIG_INI_SECTION;
	ev->type = type;
	ev->name = name;
	return VIGIL_OK;
}

static enum vigil_code ini_key(struct config_ini *ini, char *s, struct config_ini_event *ev,
			       struct vigil_error *err)
{
	char *eq = strchr(s, '='), *quote = strchr(s, '"'), *key, *value, *p;

	/* `expect match "..."`: the one line form without '=' (rule files). */
	if (strncmp(s, "expect", 6) == 0 && (s[6] == ' ' || s[6] == '\t') &&
	    (!eq || (quote && quote < eq))) {
		s[6] = '\0';
		ev->kind = CONFIG_INI_KEY;
		ev->key = s;
		ev->value = trim(s + 7);
		return VIGIL_OK;
	}
	if (!eq)
		return config_fail(err, ini->path, ini->line,
				   "expected 'key = value', '[section]' or a # comment");
	*eq = '\0';
	key = trim(s);
	if (!*key)
		return config_fail(err, ini->path, ini->line, "missing key before '='");
	for (p = key; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
		      (p != key && c >= '0' && c <= '9')))
			return config_fail(err, ini->path, ini->line,
					   "bad key '%.60s'; expected letters, digits and '_'", key);
	}
	value = eq + 1;
	/* Regular expressions may contain " #": the whole rest is the value. */
	if (strcmp(key, "pattern") != 0 && strcmp(key, "all") != 0 && strcmp(key, "none") != 0)
		strip_inline_comment(value);
	ev->kind = CONFIG_INI_KEY;
	ev->key = key;
	ev->value = trim(value);
	return VIGIL_OK;
}

enum vigil_code config_ini_next(struct config_ini *ini, struct config_ini_event *ev,
				struct vigil_error *err)
{
	memset(ev, 0, sizeof(*ev));
	while (ini->data && ini->pos < ini->len) {
		char *start = ini->data + ini->pos, *nl = memchr(start, '\n', ini->len - ini->pos);
		char *s;

		if (nl) {
			*nl = '\0';
			ini->pos = (size_t)(nl - ini->data) + 1;
		} else {
			ini->pos = ini->len;
		}
		ini->line++;
		ev->line = ini->line;
		s = trim(start);
		if (!*s || *s == '#')
			continue;
		if (*s == '[')
			return ini_section(ini, s, ev, err);
		return ini_key(ini, s, ev, err);
	}
	ev->kind = CONFIG_INI_END;
	ev->line = ini->line;
	return VIGIL_OK;
}
