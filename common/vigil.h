/*
 * vigil.h: the few things every module shares: the error value and a
 * growable byte buffer.
 *
 * Invariants:
 *  - Every fallible library function returns an enum vigil_code (0 = OK)
 *    and, on failure, fills the caller's struct vigil_error with a one-line
 *    message that names the input and the place (file:line, URL, ...).
 *  - Library code never prints and never exits; the front end decides.
 *  - The numeric values of enum vigil_code are fixed forever; retired codes
 *    become VIGIL_OBSOLETE_nn and are never reused.
 */
#ifndef VIGIL_H
#define VIGIL_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define VIGIL_WARN_UNUSED __attribute__((warn_unused_result))
#define VIGIL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define VIGIL_WARN_UNUSED
#define VIGIL_PRINTF(a, b)
#endif

enum vigil_code {
	VIGIL_OK = 0,
	VIGIL_ERR_NOMEM = 1,     /* allocation failed */
	VIGIL_ERR_IO = 2,        /* a file could not be read or written */
	VIGIL_ERR_CONFIG = 3,    /* a configuration file is wrong */
	VIGIL_ERR_PARSE = 4,     /* a page, feed or record could not be parsed */
	VIGIL_ERR_NETWORK = 5,   /* a fetch failed at the transport level */
	VIGIL_ERR_DATABASE = 6,  /* the index refused an operation */
	VIGIL_ERR_LOCKED = 7,    /* another vigil process holds the data dir */
	VIGIL_ERR_NOT_FOUND = 8, /* no such material, file or record */
	VIGIL_ERR_TOO_LARGE = 9, /* input over a configured limit */
	VIGIL_ERR_USAGE = 10,    /* wrong arguments from the caller */
	VIGIL_ERR_CORRUPT = 11,  /* stored data fails its own checks */
	VIGIL_ERR_COMPRESS = 12, /* zstd refused to compress or decompress */
	VIGIL_ERR_REGEX = 13     /* a pattern rule does not compile */
};

#define VIGIL_ERROR_MAX 512

struct vigil_error {
	enum vigil_code code;
	char message[VIGIL_ERROR_MAX];
};

/* Fill err (may be NULL) with code and a printf-style message; returns code
 * so callers can write `return vigil_error_set(err, ...)`. */
enum vigil_code vigil_error_set(struct vigil_error *err, enum vigil_code code,
				const char *fmt, ...) VIGIL_PRINTF(3, 4);

/* Put "context: " in front of the message already in err. */
void vigil_error_prefix(struct vigil_error *err, const char *fmt, ...)
	VIGIL_PRINTF(2, 3);

void vigil_error_clear(struct vigil_error *err);

/* A short constant text for code; never NULL. */
const char *vigil_strerror(enum vigil_code code);

/*
 * struct vigil_buf: a growable byte buffer, always NUL-terminated so that
 * text can be used as a C string. data is NULL until the first append.
 * Appending may reallocate: pointers into data are invalid afterwards.
 * A limit of 0 means no cap; over the cap appends fail with
 * VIGIL_ERR_TOO_LARGE and leave the buffer unchanged.
 */
struct vigil_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t limit;
};

#define VIGIL_BUF_INIT { NULL, 0, 0, 0 }

enum vigil_code vigil_buf_append(struct vigil_buf *buf, const void *data, size_t len)
	VIGIL_WARN_UNUSED;
enum vigil_code vigil_buf_append_str(struct vigil_buf *buf, const char *text)
	VIGIL_WARN_UNUSED;
enum vigil_code vigil_buf_printf(struct vigil_buf *buf, const char *fmt, ...)
	VIGIL_PRINTF(2, 3) VIGIL_WARN_UNUSED;
/* Give the bytes to the caller (free() them); the buffer is reset. Returns
 * an empty allocated string when nothing was appended, NULL on OOM. */
char *vigil_buf_detach(struct vigil_buf *buf);
void vigil_buf_reset(struct vigil_buf *buf); /* keep memory, len = 0 */
void vigil_buf_release(struct vigil_buf *buf); /* free memory */

/* strdup that accepts NULL (returns NULL). */
char *vigil_strdup(const char *text);
char *vigil_strndup(const char *text, size_t len);

/* Current time as seconds since the epoch, and as ISO 8601 UTC
 * "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
int64_t vigil_now(void);
void vigil_format_time(int64_t when, char out[32]);
/* Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS][Z|+hh:mm]"; -1 when not a date. */
int64_t vigil_parse_time(const char *text);

/* SHA-1 of data as "sha1:BASE32" (the WARC-Payload-Digest form); out must
 * hold 38 bytes. Also used to recognise unchanged payloads and texts. */
void vigil_sha1_digest(const void *data, size_t len, char out[38]);

#endif
