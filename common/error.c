/* error.c: struct vigil_error and the code-to-text table. */
#include "vigil.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum vigil_code vigil_error_set(struct vigil_error *err, enum vigil_code code,
				const char *fmt, ...)
{
	va_list args;

	if (!err)
		return code;
	err->code = code;
	va_start(args, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, args);
	va_end(args);
	return code;
}

void vigil_error_prefix(struct vigil_error *err, const char *fmt, ...)
{
	char prefix[VIGIL_ERROR_MAX];
	char joined[2 * VIGIL_ERROR_MAX + 2];
	va_list args;

	if (!err)
		return;
	va_start(args, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, args);
	va_end(args);
	snprintf(joined, sizeof(joined), "%s: %s", prefix, err->message);
	snprintf(err->message, sizeof(err->message), "%.*s", VIGIL_ERROR_MAX - 1, joined);
}

void vigil_error_clear(struct vigil_error *err)
{
	if (!err)
		return;
	err->code = VIGIL_OK;
	err->message[0] = '\0';
}

/* A switch without default so -Wswitch flags a code added without text. */
const char *vigil_strerror(enum vigil_code code)
{
	switch (code) {
	case VIGIL_OK: return "no error";
	case VIGIL_ERR_NOMEM: return "out of memory";
	case VIGIL_ERR_IO: return "input/output error";
	case VIGIL_ERR_CONFIG: return "configuration error";
	case VIGIL_ERR_PARSE: return "parse error";
	case VIGIL_ERR_NETWORK: return "network error";
	case VIGIL_ERR_DATABASE: return "index database error";
	case VIGIL_ERR_LOCKED: return "data directory is locked";
	case VIGIL_ERR_NOT_FOUND: return "not found";
	case VIGIL_ERR_TOO_LARGE: return "input too large";
	case VIGIL_ERR_USAGE: return "usage error";
	case VIGIL_ERR_CORRUPT: return "stored data is corrupt";
	case VIGIL_ERR_COMPRESS: return "compression error";
	case VIGIL_ERR_REGEX: return "pattern does not compile";
	}
	return "unknown error";
}
