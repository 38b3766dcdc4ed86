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

/*
 * Time: seconds since 1970-01-01T00:00:00Z (negative before), on the
 * proleptic Gregorian calendar, independent of TZ. Every module reads dates
 * through the parsers below (and dates as pages write them through the
 * struct vigil_date readers further down); each returns 0 and sets *out, or returns
 * -1 and leaves *out alone when text is not a valid date (every field is
 * checked: month, day of the month with leap years, hour, minute, second,
 * offset up to +-14:00; years 0001-9999). A leap second (23:59:60 UTC) is
 * read as 23:59:59 so the instant stays on its day; fractions of a second
 * are dropped. -1 is a valid instant, never a failure marker.
 */
int64_t vigil_now(void);
/* when as ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ" into out (NUL-terminated;
 * 21 bytes for years 0001-9999, 32 always suffice). */
void vigil_format_time(int64_t when, char out[32]);
/* ISO 8601 / RFC 3339: "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DD" then
 * 'T', 't' or ' ', then "HH:MM[:SS[.fraction]]" and optionally "Z",
 * "+hh:mm", "+hhmm" or "+hh" ('-' too; none = UTC). Surrounding
 * whitespace is allowed, anything else after the date is not. */
int vigil_parse_time(const char *text, int64_t *out) VIGIL_WARN_UNUSED;
/* RFC 822 / 2822 / RFC 9110 HTTP dates as RSS and servers write them
 * ("Thu, 18 Apr 2024 10:00:00 +0500", "18 Apr 2024 10:00 GMT"), tolerating
 * a missing weekday or seconds, two-digit years (< 50 is 20xx), zone names
 * (unknown ones are UTC) and Russian month abbreviations; words that are
 * not a month or zone are skipped as weekday names. */
int vigil_parse_rfc822_time(const char *text, int64_t *out) VIGIL_WARN_UNUSED;
/* 28..31 days of month (1-12) in year; 0 for a month out of range. */
int vigil_days_in_month(int year, int month);

/*
 * Dates as pages write them. struct vigil_date keeps the fields as written:
 * the local calendar day and clock, and the UTC offset only when the text
 * gave one, so "2024-04-18T00:30:00+06:00" stays the 18th. Every reader
 * validates like vigil_parse_time (no 31 April, offsets within +-14:00).
 */
struct vigil_date {
	int year, month, day;
	int hour, minute, second;
	int has_time;   /* the clock fields were given */
	int has_offset; /* offset was given ("Z", "+06:00", "GMT", "EST") */
	int offset;     /* seconds east of UTC, when has_offset */
	int relative;   /* counted back from a reading's now ("yesterday",
			   "2 hours ago"): as precise as the words */
};
/* How to read dates for people: now (seconds since the epoch; 0 or less =
 * unknown, then relative forms are refused) anchors "yesterday" and "2
 * hours ago"; zone_offset is the page's offset for "today" (zone_known: it
 * was seen on the page, so relative clock times get it); month_first reads
 * "04/05/2024" as April 5 (American pages). */
struct vigil_date_reading {
	int64_t now;
	int zone_offset;
	int zone_known;
	int month_first;
};
/* 1..12 for a month name or its abbreviation at the start of word (len
 * bytes): en, de, fr, es, it, pt, pl, nl, id, ru and uk (any case
 * ending), kk in Cyrillic and Latin letters; any letter case. 0 when it is
 * none. */
int vigil_month_from_word(const char *word, size_t len);
/* A date for people at the start of text; returns the bytes read, 0 when
 * text does not start with one. Forms: "18.04.2024", "18/04/2024",
 * "2024-04-18", "2024/04/18", "18 апреля 2024 [г.|года]", "3. März 2021",
 * "5 de abril de 2021", "April 18, 2024", "Nov. 18th 2019", "2021年4月5日",
 * "2021년 4월 5일", "2024 жылғы 18 сәуір", "18 сәуір 2024 ж.", each with an
 * optional time after (", 10:15", " в 10:15", " at 2:20 pm EST", " à
 * 14h20", "T10:15:00+06:00") or before ("10:15, 18.04.2024"); with a known
 * now also "вчера в 14:20", "сегодня, 09:15", "yesterday at 2:20 pm",
 * "кеше 14:20", "heute, 10:00", "ayer a las 14:20" (a clock time must
 * follow) and "2 часа назад", "3 hours ago", "vor 2 Stunden", "3 сағат
 * бұрын" (an instant in UTC; days give a date). how may be NULL. */
size_t vigil_date_read_text(const char *text, const struct vigil_date_reading *how,
			    struct vigil_date *out);
/* A machine date, the whole text: ISO 8601 ("2024-04-18T10:15:00.000+06:00",
 * "2024-04-18 10:15 UTC", "2024/04/18"), RFC 2822 and JavaScript Date
 * strings ("Tue, 19 Nov 2019 13:03:00 GMT", "Tue Nov 19 2019 05:44:06
 * GMT+0000 (UTC)"), epoch seconds or milliseconds (as UTC), or any form of
 * vigil_date_read_text without relative words. 0, or -1 with out untouched. */
int vigil_date_parse(const char *text, struct vigil_date *out) VIGIL_WARN_UNUSED;
/* 1 when every field is valid (years 0001-9999, seconds 0-59). */
int vigil_date_valid(const struct vigil_date *d);
/* The instant: the fields read at the given offset, or as UTC without one
 * (a date alone is its midnight). 0, or -1 when d is not valid. */
int vigil_date_to_epoch(const struct vigil_date *d, int64_t *out) VIGIL_WARN_UNUSED;
/* The fields of instant when at offset (seconds east), with has_offset. */
void vigil_date_from_epoch(int64_t when, int offset, struct vigil_date *out);
/* "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM:SS" plus "Z" / "+hh:mm" when the
 * offset is known; "" for an invalid date. vigil_parse_time reads it. */
void vigil_date_format(const struct vigil_date *d, char out[40]);

/* SHA-1 of data as "sha1:BASE32" (the WARC-Payload-Digest form); out must
 * hold 38 bytes. Also used to recognise unchanged payloads and texts. */
void vigil_sha1_digest(const void *data, size_t len, char out[38]);

#endif
