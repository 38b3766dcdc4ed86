/*
 * json_reader.h: a tiny JSON reader for the conformance tests, which read
 * published test data (WHATWG urltestdata.json, Google's robots cases).
 * It reads a whole file into a tree; strings are decoded to UTF-8 (a lone
 * surrogate escape becomes U+FFFD, as in a browser's USVString) and keep
 * their length, because some test inputs contain U+0000. Only what those
 * files use is supported; no error recovery: NULL on anything unexpected.
 */
#ifndef VIGIL_JSON_READER_H
#define VIGIL_JSON_READER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/utf8.h"

enum json_kind { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json {
	enum json_kind kind;
	int boolean;
	char *string;        /* JSON_STRING: NUL-terminated UTF-8; JSON_NUMBER: its text */
	size_t string_len;   /* may be less than strlen when it holds U+0000 */
	struct json *items;  /* JSON_ARRAY and JSON_OBJECT values */
	char **keys;         /* JSON_OBJECT keys */
	size_t count;
};

struct json_cursor {
	const char *p, *end;
	int depth;
};

static void json_skip_space(struct json_cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static int json_hex4(const char *p, unsigned *out)
{
	*out = 0;
	for (int i = 0; i < 4; i++) {
		char ch = p[i];
		unsigned d;

		if (ch >= '0' && ch <= '9')
			d = (unsigned)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			d = (unsigned)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			d = (unsigned)(ch - 'A' + 10);
		else
			return -1;
		*out = *out * 16 + d;
	}
	return 0;
}

/* At the opening quote; the decoded text is malloc'd. */
static char *json_read_string(struct json_cursor *c, size_t *len)
{
	const char *start = ++c->p;
	char *out, *w;

	while (c->p < c->end && *c->p != '"')
		c->p += *c->p == '\\' ? 2 : 1;
	if (c->p >= c->end)
		return NULL;
	out = malloc((size_t)(c->p - start) + 1);
	if (!out)
		return NULL;
	w = out;
	for (const char *r = start; r < c->p; r++) {
		unsigned cp, low;

		if (*r != '\\') {
			*w++ = *r;
			continue;
		}
		r++;
		switch (*r) {
		case 'b': *w++ = '\b'; break;
		case 'f': *w++ = '\f'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		case 't': *w++ = '\t'; break;
		case 'u':
			if (c->p - r < 5 || json_hex4(r + 1, &cp))
				goto bad;
			r += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF && c->p - r >= 7 && r[1] == '\\' &&
			    r[2] == 'u' && json_hex4(r + 3, &low) == 0 && low >= 0xDC00 &&
			    low <= 0xDFFF) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
				r += 6;
			}
			w += vigil_utf8_encode(cp, w);
			break;
		default: *w++ = *r; break;
		}
	}
	*w = '\0';
	*len = (size_t)(w - out);
	c->p++;
	return out;
bad:
	free(out);
	return NULL;
}

static void json_free(struct json *j);

static int json_read_value(struct json_cursor *c, struct json *out)
{
	memset(out, 0, sizeof(*out));
	json_skip_space(c);
	if (c->p >= c->end || ++c->depth > 64)
		return -1;
	if (*c->p == '"') {
		out->kind = JSON_STRING;
		out->string = json_read_string(c, &out->string_len);
		c->depth--;
		return out->string ? 0 : -1;
	}
	if (*c->p == '[' || *c->p == '{') {
		int object = *c->p == '{';
		size_t cap = 0;

		out->kind = object ? JSON_OBJECT : JSON_ARRAY;
		c->p++;
		json_skip_space(c);
		if (c->p < c->end && *c->p == (object ? '}' : ']')) {
			c->p++;
			c->depth--;
			return 0;
		}
		for (;;) {
			char *key = NULL;

			if (out->count == cap) {
				cap = cap ? 2 * cap : 8;
				out->items = realloc(out->items, cap * sizeof(*out->items));
				out->keys = realloc(out->keys, cap * sizeof(*out->keys));
				if (!out->items || !out->keys)
					return -1;
			}
			json_skip_space(c);
			if (object) {
				size_t klen;

				if (c->p >= c->end || *c->p != '"' ||
				    !(key = json_read_string(c, &klen)))
					return -1;
				json_skip_space(c);
				if (c->p >= c->end || *c->p != ':') {
					free(key);
					return -1;
				}
				c->p++;
			}
			out->keys[out->count] = key;
			if (json_read_value(c, &out->items[out->count])) {
				free(key);
				return -1;
			}
			out->count++;
			json_skip_space(c);
			if (c->p < c->end && *c->p == ',') {
				c->p++;
				continue;
			}
			if (c->p < c->end && *c->p == (object ? '}' : ']')) {
				c->p++;
				c->depth--;
				return 0;
			}
			return -1;
		}
	}
	if (c->end - c->p >= 4 && strncmp(c->p, "true", 4) == 0) {
		out->kind = JSON_BOOL;
		out->boolean = 1;
		c->p += 4;
	} else if (c->end - c->p >= 5 && strncmp(c->p, "false", 5) == 0) {
		out->kind = JSON_BOOL;
		c->p += 5;
	} else if (c->end - c->p >= 4 && strncmp(c->p, "null", 4) == 0) {
		out->kind = JSON_NULL;
		c->p += 4;
	} else if (*c->p == '-' || (*c->p >= '0' && *c->p <= '9')) {
		const char *start = c->p;

		out->kind = JSON_NUMBER;
		while (c->p < c->end && strchr("+-.eE0123456789", *c->p))
			c->p++;
		/* Numbers are kept as their text. */
		out->string = strndup(start, (size_t)(c->p - start));
		if (!out->string)
			return -1;
		out->string_len = strlen(out->string);
	} else {
		return -1;
	}
	c->depth--;
	return 0;
}

static void json_free(struct json *j)
{
	if (!j)
		return;
	free(j->string);
	for (size_t i = 0; i < j->count; i++) {
		json_free(&j->items[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
	memset(j, 0, sizeof(*j));
}

/* The value under key in an object, or NULL. */
static const struct json *json_get(const struct json *object, const char *key)
{
	if (!object || object->kind != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < object->count; i++)
		if (object->keys[i] && strcmp(object->keys[i], key) == 0)
			return &object->items[i];
	return NULL;
}

/* Read and parse path; 0 on success. */
static int json_read_file(const char *path, struct json *out)
{
	FILE *f = fopen(path, "rb");
	struct json_cursor c;
	char *text;
	long size;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(text = malloc((size_t)size + 1))) {
		fclose(f);
		return -1;
	}
	if (fread(text, 1, (size_t)size, f) != (size_t)size) {
		free(text);
		fclose(f);
		return -1;
	}
	fclose(f);
	text[size] = '\0';
	c.p = text;
	c.end = text + size;
	c.depth = 0;
	rc = json_read_value(&c, out);
	free(text);
	if (rc)
		json_free(out);
	return rc;
}

/* The conformance data directory: $VIGIL_CONFORMANCE_DIR, else the shared
 * reference copy next to the checkout (../shared/...) or one level up
 * (a worktree). NULL when none has the file. */
static const char *json_conformance_path(const char *file, char *buf, size_t size)
{
	const char *dirs[] = { getenv("VIGIL_CONFORMANCE_DIR"), "../shared/reference/conformance",
			       "../../shared/reference/conformance" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		FILE *f;

		if (!dirs[i])
			continue;
		snprintf(buf, size, "%s/%s", dirs[i], file);
		f = fopen(buf, "rb");
		if (f) {
			fclose(f);
			return buf;
		}
	}
	return NULL;
}

#endif
