/*
 * phrases.c: phrase lists such as notfound.phrases (config.h): sections
 * [phrases LANG] of `phrase = TEXT` lines, read with the INI line reader,
 * so the file has the same comments, UTF-8 check and FILE:LINE errors as
 * every other configuration file.
 */
#include "config_int.h"

#include <stdlib.h>
#include <string.h>

#define PHRASES_MAX 10000

static enum vigil_code add_phrase(struct config_phrases *out, size_t *cap, const char *text)
{
	if (out->count == *cap) {
		size_t grown_cap = *cap ? *cap * 2 : 16;
		char **grown = realloc(out->items, grown_cap * sizeof(*grown));

		if (!grown)
			return VIGIL_ERR_NOMEM;
		out->items = grown;
		*cap = grown_cap;
	}
	out->items[out->count] = vigil_strdup(text);
	if (!out->items[out->count])
		return VIGIL_ERR_NOMEM;
	out->count++;
	return VIGIL_OK;
}

enum vigil_code config_phrases_load(const char *path, struct config_phrases *out,
				    struct vigil_error *err)
{
	struct config_ini ini = { 0 };
	struct config_ini_event ev;
	enum vigil_code code;
	size_t cap = 0;
	int in_section = 0;

	memset(out, 0, sizeof(*out));
	out->path = vigil_strdup(path);
	if (!out->path)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory", path);
	code = config_ini_open(&ini, path, err);
	while (!code) {
		code = config_ini_next(&ini, &ev, err);
		if (code || ev.kind == CONFIG_INI_END)
			break;
		if (ev.kind == CONFIG_INI_SECTION) {
			if (strcmp(ev.type, "phrases") != 0) {
				code = config_fail(err, path, ev.line,
						   "unknown section [%s]: expected [phrases LANG]",
						   ev.type);
				break;
			}
			in_section = 1;
			continue;
		}
		if (!in_section) {
			code = config_fail(err, path, ev.line, "%s outside a [phrases LANG] section",
					   ev.key);
		} else if (strcmp(ev.key, "phrase") != 0) {
			code = config_fail(err, path, ev.line, "unknown key %s: expected phrase",
					   ev.key);
		} else if (!*ev.value) {
			code = config_fail(err, path, ev.line, "phrase: expected some text");
		} else if (out->count >= PHRASES_MAX) {
			code = config_fail(err, path, ev.line, "more than %d phrases", PHRASES_MAX);
		} else if (add_phrase(out, &cap, ev.value) != VIGIL_OK) {
			code = vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory", path);
		}
	}
	config_ini_close(&ini);
	if (code)
		config_phrases_release(out);
	return code;
}

void config_phrases_release(struct config_phrases *phrases)
{
	if (!phrases)
		return;
	for (size_t i = 0; i < phrases->count; i++)
		free(phrases->items[i]);
	free(phrases->items);
	free(phrases->path);
	memset(phrases, 0, sizeof(*phrases));
}
