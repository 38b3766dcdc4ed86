/* buf.c: struct vigil_buf, a capped growable byte buffer, and string helpers. */
#include "vigil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum vigil_code buf_reserve(struct vigil_buf *buf, size_t extra)
{
	size_t need, cap;
	char *grown;

	if (extra > SIZE_MAX - buf->len - 1)
		return VIGIL_ERR_TOO_LARGE;
	need = buf->len + extra + 1;
	if (buf->limit && need - 1 > buf->limit)
		return VIGIL_ERR_TOO_LARGE;
	if (need <= buf->cap)
		return VIGIL_OK;
	cap = buf->cap ? buf->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	grown = realloc(buf->data, cap);
	if (!grown)
		return VIGIL_ERR_NOMEM;
	buf->data = grown;
	buf->cap = cap;
	return VIGIL_OK;
}

enum vigil_code vigil_buf_append(struct vigil_buf *buf, const void *data, size_t len)
{
	enum vigil_code code = buf_reserve(buf, len);

	if (code)
		return code;
	if (len)
		memcpy(buf->data + buf->len, data, len);
	buf->len += len;
	buf->data[buf->len] = '\0';
	return VIGIL_OK;
}

enum vigil_code vigil_buf_append_str(struct vigil_buf *buf, const char *text)
{
	return vigil_buf_append(buf, text ? text : "", text ? strlen(text) : 0);
}

enum vigil_code vigil_buf_printf(struct vigil_buf *buf, const char *fmt, ...)
{
	va_list args;
	enum vigil_code code;
	int n;

	va_start(args, fmt);
	n = vsnprintf(NULL, 0, fmt, args);
	va_end(args);
	if (n < 0)
		return VIGIL_ERR_USAGE;
	code = buf_reserve(buf, (size_t)n);
	if (code)
		return code;
	va_start(args, fmt);
	vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, args);
	va_end(args);
	buf->len += (size_t)n;
	return VIGIL_OK;
}

char *vigil_buf_detach(struct vigil_buf *buf)
{
	char *data = buf->data;

	if (!data)
		data = calloc(1, 1);
	buf->data = NULL;
	buf->len = buf->cap = 0;
	return data;
}

void vigil_buf_reset(struct vigil_buf *buf)
{
	buf->len = 0;
	if (buf->data)
		buf->data[0] = '\0';
}

void vigil_buf_release(struct vigil_buf *buf)
{
	free(buf->data);
	buf->data = NULL;
	buf->len = buf->cap = 0;
}

char *vigil_strdup(const char *text)
{
	return text ? strdup(text) : NULL;
}

char *vigil_strndup(const char *text, size_t len)
{
	return text ? strndup(text, len) : NULL;
}
