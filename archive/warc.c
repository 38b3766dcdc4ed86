/*
 * warc.c: WARC/1.1 records, one zstd frame each, appended to
 * DATA/warc/SOURCE/SOURCE-YYYYMMDDHHMMSS-PID[-N].warc.zst.
 *
 * Independent frames (the IIPC "WARC-zstd" layout minus the dictionary,
 * which comes later) let a reader decompress one record from its offset and
 * let `zstd -dc` turn the whole file into a plain .warc. Frames carry their
 * content size (readers allocate exactly and refuse oversized records up
 * front) and a content checksum (a flipped byte is caught by zstd, not by
 * the WARC parser guessing).
 *
 * Writes go through write(2) only; the writer remembers where its last
 * complete frame ended and cuts the file back there when a write fails, so
 * a full disk costs the record being written and nothing before it.
 */
#include "archive_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#define WARC_LEVEL 3
#define WARC_DEFAULT_MAX ((size_t)64 << 20)
/* A record bigger than this is refused by the writer: bodies are capped by
 * the fetcher long before, so this only guards against a caller's bug. */
#define WARC_WRITE_MAX ((size_t)1 << 30)
#define WARC_NAME_MAX 80
#define WARC_CONFORMS_TO \
	"http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"

struct archive_warc_writer {
	int fd;
	int broken;          /* a failed write could not be cut back */
	char *rel_path;      /* warc/SOURCE/FILE, relative to the data directory */
	char *abs_path;      /* for messages and fsync of the directory */
	uint64_t end;        /* end of the last complete frame */
	ZSTD_CCtx *cctx;
	struct vigil_buf head;   /* WARC header of the record being written */
	struct vigil_buf block;  /* its content block */
	char *frame;             /* compressed frame */
	size_t frame_cap;
	char warcinfo_id[64];
};

/* ---------------- helpers ---------------- */

static void make_record_id(char out[64])
{
	static unsigned counter;
	unsigned char b[16];
	ssize_t got = getrandom(b, sizeof(b), GRND_NONBLOCK);

	if (got != (ssize_t)sizeof(b)) {
		int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

		got = fd >= 0 ? read(fd, b, sizeof(b)) : -1;
		if (fd >= 0)
			close(fd);
	}
	if (got != (ssize_t)sizeof(b)) {
		/* No entropy source at all: still unique within this process. */
		struct timespec ts;
		uint64_t mix;

		clock_gettime(CLOCK_REALTIME, &ts);
		mix = (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec ^
		      (uint64_t)getpid() << 32 ^ ++counter;
		for (int i = 0; i < 16; i++) {
			mix = mix * 6364136223846793005u + 1442695040888963407u;
			b[i] = (unsigned char)(mix >> 56);
		}
	}
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
	snprintf(out, 64,
		 "<urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x>",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
}

/* A source name as a path component: letters (any script), digits, '-',
 * '_', '.'; everything else becomes one '_'; never starts with '.'. */
static char *sanitize_name(const char *name)
{
	const unsigned char *p = (const unsigned char *)(name ? name : "");
	size_t n = strlen((const char *)p), i = 0, o = 0;
	char *out = malloc(WARC_NAME_MAX + 1);

	if (!out)
		return NULL;
	while (i < n) {
		uint32_t c;
		size_t len = vigil_utf8_decode(p + i, n - i, &c);
		int keep;

		if (!len) {
			len = 1;
			keep = 0;
		} else if (c < 0x80) {
			keep = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			       (c >= 'A' && c <= 'Z') || c == '-' || c == '_' || (c == '.' && o > 0);
		} else {
			keep = c >= 0xC0 && c != 0xD7 && c != 0xF7 &&
			       !(c >= 0x2000 && c <= 0x2BFF) && !(c >= 0x3000 && c <= 0x303F) &&
			       !(c >= 0xFE10 && c <= 0xFE6F) && !(c >= 0xFF00 && c <= 0xFF20);
		}
		if (o + (keep ? len : 1) > WARC_NAME_MAX)
			break;
		if (keep) {
			memcpy(out + o, p + i, len);
			o += len;
		} else if (o == 0 || out[o - 1] != '_') {
			out[o++] = '_';
		}
		i += len;
	}
	if (o == 0 || (o == 1 && out[0] == '_')) {
		strcpy(out, "source");
		return out;
	}
	out[o] = '\0';
	return out;
}

/* WARC header values must stay on one line and URIs must be URIs:
 * controls, space, DEL and non-ASCII bytes are percent-encoded. */
static enum vigil_code append_uri(struct vigil_buf *buf, const char *uri)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)uri; *p; p++) {
		char esc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
		enum vigil_code code = (*p <= 0x20 || *p >= 0x7F) ? vigil_buf_append(buf, esc, 3)
								  : vigil_buf_append(buf, p, 1);
		if (code)
			return code;
	}
	return VIGIL_OK;
}

/* A free-text header value: CR, LF and other controls become spaces. */
static enum vigil_code append_field_text(struct vigil_buf *buf, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		char c = *p < 0x20 || *p == 0x7F ? ' ' : (char)*p;
		enum vigil_code code = vigil_buf_append(buf, &c, 1);

		if (code)
			return code;
	}
	return VIGIL_OK;
}

static int plausible_ip(const char *ip)
{
	size_t n = ip ? strlen(ip) : 0;

	if (n == 0 || n > 45)
		return 0;
	return strspn(ip, "0123456789abcdefABCDEF.:") == n;
}

static enum vigil_code write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			return VIGIL_ERR_IO;
		}
		data += n;
		len -= (size_t)n;
	}
	return VIGIL_OK;
}

/* Put the file back to the end of its last complete frame. */
static void cut_back(struct archive_warc_writer *w, uint64_t to)
{
	if (ftruncate(w->fd, (off_t)to) != 0 || lseek(w->fd, (off_t)to, SEEK_SET) != (off_t)to)
		w->broken = 1;
	w->end = to;
}

/* The one place that turns a record into a frame on disk: compress
 * head + block + "\r\n\r\n" as one zstd frame and append it. A dictionary
 * frame per source would be loaded into cctx here. */
static enum vigil_code write_frame(struct archive_warc_writer *w, uint64_t *offset,
				   uint64_t *length, struct vigil_error *err)
{
	const struct { const char *data; size_t len; } parts[3] = {
		{ w->head.data, w->head.len }, { w->block.data, w->block.len }, { "\r\n\r\n", 4 }
	};
	size_t total = w->head.len + w->block.len + 4, bound = ZSTD_compressBound(total);
	ZSTD_outBuffer out;
	size_t rc;

	if (w->broken)
		return vigil_error_set(err, VIGIL_ERR_IO,
				       "%s: an earlier write failed and could not be undone",
				       w->abs_path);
	if (total > WARC_WRITE_MAX)
		return vigil_error_set(err, VIGIL_ERR_TOO_LARGE, "%s: record of %zu bytes is too large",
				       w->abs_path, total);
	if (bound > w->frame_cap) {
		char *grown = realloc(w->frame, bound);

		if (!grown)
			return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory", w->abs_path);
		w->frame = grown;
		w->frame_cap = bound;
	}
	out.dst = w->frame;
	out.size = w->frame_cap;
	out.pos = 0;
	rc = ZSTD_CCtx_reset(w->cctx, ZSTD_reset_session_only);
	if (!ZSTD_isError(rc))
		rc = ZSTD_CCtx_setPledgedSrcSize(w->cctx, total);
	for (int i = 0; i < 3 && !ZSTD_isError(rc); i++) {
		ZSTD_inBuffer in = { parts[i].data, parts[i].len, 0 };

		while (in.pos < in.size && !ZSTD_isError(rc) && out.pos < out.size)
			rc = ZSTD_compressStream2(w->cctx, &out, &in, ZSTD_e_continue);
		if (!ZSTD_isError(rc) && in.pos < in.size)
			return vigil_error_set(err, VIGIL_ERR_COMPRESS,
					       "%s: frame did not fit its bound", w->abs_path);
	}
	if (!ZSTD_isError(rc)) {
		ZSTD_inBuffer none = { NULL, 0, 0 };

		/* The output holds a whole compressBound, so one call ends the frame;
		 * a non-zero remainder would mean it did not. */
		rc = ZSTD_compressStream2(w->cctx, &out, &none, ZSTD_e_end);
		if (!ZSTD_isError(rc) && rc != 0)
			return vigil_error_set(err, VIGIL_ERR_COMPRESS, "%s: frame did not fit its bound",
					       w->abs_path);
	}
	if (ZSTD_isError(rc))
		return vigil_error_set(err, VIGIL_ERR_COMPRESS, "%s: zstd: %s", w->abs_path,
				       ZSTD_getErrorName(rc));
	if (write_all(w->fd, w->frame, out.pos)) {
		int saved = errno;

		cut_back(w, w->end);
		return vigil_error_set(err, VIGIL_ERR_IO, "cannot write %s: %s%s", w->abs_path,
				       strerror(saved),
				       w->broken ? " (and could not cut the file back)" : "");
	}
	*offset = w->end;
	*length = out.pos;
	w->end += out.pos;
	return VIGIL_OK;
}

/* WARC header lines common to every record. */
static enum vigil_code start_head(struct vigil_buf *head, const char *type, const char *id,
				  int64_t when)
{
	char date[32];

	vigil_format_time(when, date);
	vigil_buf_reset(head);
	return vigil_buf_printf(head, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: %s\r\n"
				"WARC-Date: %s\r\n", type, id, date);
}

static enum vigil_code end_head(struct vigil_buf *head, const char *content_type,
				const struct vigil_buf *block)
{
	char digest[38];

	vigil_sha1_digest(block->data ? block->data : "", block->len, digest);
	return vigil_buf_printf(head, "WARC-Block-Digest: %s\r\nContent-Type: %s\r\n"
				"Content-Length: %zu\r\n\r\n", digest, content_type, block->len);
}

static int name_is(const char *line, size_t len, const char *name)
{
	size_t n = strlen(name);

	return len > n && strncasecmp(line, name, n) == 0 && line[n] == ':';
}

/* 1 when the header value value[0..len) is the decimal number n (blanks
 * around it allowed). The value is not NUL-terminated. */
static int content_length_is(const char *value, size_t len, size_t n)
{
	size_t i = 0;
	unsigned long long number = 0;
	int digits = 0;

	while (i < len && (value[i] == ' ' || value[i] == '\t'))
		i++;
	for (; i < len && value[i] >= '0' && value[i] <= '9'; i++, digits++) {
		if (number > (~0ULL - 9) / 10)
			return 0;
		number = number * 10 + (unsigned long long)(value[i] - '0');
	}
	while (i < len && (value[i] == ' ' || value[i] == '\t'))
		i++;
	return digits && i == len && number == n;
}

/* Copy the response head into block, renaming the headers that describe a
 * transfer form the stored body no longer has (curl decoded chunking and
 * gzip): a replay tool would otherwise decode the body a second time. The
 * originals stay readable as X-Archive-Orig-*, as pywb names them. Every
 * line ends in CRLF whatever the server sent, so the head ends at the
 * first CRLF CRLF for any reader, even when the body holds one. */
static enum vigil_code append_response_head(struct vigil_buf *block, const char *head,
					    size_t head_len, size_t body_len)
{
	size_t pos = 0;
	int first = 1;
	enum vigil_code code = VIGIL_OK;

	while (pos < head_len && !code) {
		const char *line = head + pos, *nl = memchr(line, '\n', head_len - pos);
		size_t len = nl ? (size_t)(nl - line) + 1 : head_len - pos;
		size_t text = len;

		while (text && (line[text - 1] == '\n' || line[text - 1] == '\r'))
			text--;
		pos += len;
		if (!first && text == 0)
			break;
		if (!first && (name_is(line, text, "Transfer-Encoding") ||
			       name_is(line, text, "Content-Encoding")))
			code = vigil_buf_append_str(block, "X-Archive-Orig-");
		else if (!first && name_is(line, text, "Content-Length") &&
			 content_length_is(line + 15, text - 15, body_len) == 0)
			code = vigil_buf_append_str(block, "X-Archive-Orig-");
		if (!code)
			code = vigil_buf_append(block, line, text);
		if (!code)
			code = vigil_buf_append(block, "\r\n", 2);
		first = 0;
	}
	if (!code)
		code = vigil_buf_append(block, "\r\n", 2);
	return code;
}

static void writer_destroy(struct archive_warc_writer *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	ZSTD_freeCCtx(w->cctx);
	vigil_buf_release(&w->head);
	vigil_buf_release(&w->block);
	free(w->frame);
	free(w->rel_path);
	free(w->abs_path);
	free(w);
}

/* ---------------- writing ---------------- */

enum vigil_code archive_warc_open(const char *data_dir, const char *source_name,
				  const char *software, struct archive_warc_writer **out,
				  struct vigil_error *err)
{
	struct archive_warc_writer *w;
	struct vigil_buf path = VIGIL_BUF_INIT;
	char stamp[32], *name = NULL, *file;
	struct tm tm;
	time_t now = (time_t)vigil_now();
	uint64_t offset, length;
	enum vigil_code code;

	*out = NULL;
	if (!data_dir || !*data_dir)
		return vigil_error_set(err, VIGIL_ERR_USAGE, "no data directory given");
	w = calloc(1, sizeof(*w));
	if (!w || !(name = sanitize_name(source_name)))
		goto nomem;
	w->fd = -1;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
	if (vigil_buf_printf(&path, "%s/warc/%s", data_dir, name))
		goto nomem;
	code = archive_make_dirs(path.data, err);
	if (code)
		goto fail;
	for (int n = 0; n < 1000 && w->fd < 0; n++) {
		vigil_buf_reset(&path);
		if (vigil_buf_printf(&path, "warc/%s/%s-%s-%ld", name, name, stamp, (long)getpid()) ||
		    (n && vigil_buf_printf(&path, "-%d", n)) ||
		    vigil_buf_append_str(&path, ".warc.zst"))
			goto nomem;
		free(w->abs_path);
		size_t abs_len = strlen(data_dir) + path.len + 2;

		if (!(w->abs_path = malloc(abs_len)))
			goto nomem;
		snprintf(w->abs_path, abs_len, "%s/%s", data_dir, path.data);
		w->fd = open(w->abs_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (w->fd < 0 && errno != EEXIST) {
			code = vigil_error_set(err, VIGIL_ERR_IO, "cannot create %s: %s", w->abs_path,
					       strerror(errno));
			goto fail;
		}
	}
	if (w->fd < 0) {
		code = vigil_error_set(err, VIGIL_ERR_IO, "cannot create a new WARC file like %s",
				       w->abs_path);
		goto fail;
	}
	w->rel_path = vigil_buf_detach(&path);
	w->cctx = ZSTD_createCCtx();
	if (!w->rel_path || !w->cctx)
		goto nomem_file;
	if (ZSTD_isError(ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_compressionLevel, WARC_LEVEL)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_checksumFlag, 1)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_contentSizeFlag, 1))) {
		code = vigil_error_set(err, VIGIL_ERR_COMPRESS, "%s: zstd refused the parameters",
				       w->abs_path);
		goto fail_file;
	}

	/* warcinfo: what wrote the file; no hostname or address of the
	 * monitoring machine, which researchers share files from. */
	make_record_id(w->warcinfo_id);
	file = strrchr(w->rel_path, '/') + 1;
	vigil_buf_reset(&w->block);
	if (vigil_buf_append_str(&w->block, "software: ") ||
	    append_field_text(&w->block, software && *software ? software : "vigil") ||
	    vigil_buf_printf(&w->block, "\r\nformat: WARC File Format 1.1\r\nconformsTo: %s\r\n",
			     WARC_CONFORMS_TO) ||
	    vigil_buf_append_str(&w->block, "isPartOf: ") ||
	    append_field_text(&w->block, source_name && *source_name ? source_name : name) ||
	    vigil_buf_append_str(&w->block, "\r\n") ||
	    start_head(&w->head, "warcinfo", w->warcinfo_id, (int64_t)now) ||
	    vigil_buf_printf(&w->head, "WARC-Filename: %s\r\n", file) ||
	    end_head(&w->head, "application/warc-fields", &w->block))
		goto nomem_file;
	code = write_frame(w, &offset, &length, err);
	if (code)
		goto fail_file;
	free(name);
	*out = w;
	return VIGIL_OK;

nomem_file:
	code = vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory opening %s", w->abs_path);
fail_file:
	/* Nothing good was written: do not leave an empty WARC behind. */
	unlink(w->abs_path);
	goto fail;
nomem:
	code = vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory opening a WARC file for %s",
			       source_name ? source_name : "(null)");
fail:
	vigil_buf_release(&path);
	free(name);
	writer_destroy(w);
	return code;
}

enum vigil_code archive_warc_write_exchange(struct archive_warc_writer *w,
					    const struct archive_http_exchange *ex,
					    struct archive_warc_location *loc,
					    struct vigil_error *err)
{
	char request_id[64], response_id[64], payload_digest[38];
	int64_t when;
	int with_request;
	uint64_t start, offset, length;
	size_t head_end;
	enum vigil_code code;

	memset(loc, 0, sizeof(*loc));
	if (!w || !ex || !ex->url || !*ex->url || !ex->response_head || !ex->response_head_len ||
	    (ex->body_len && !ex->body))
		return vigil_error_set(err, VIGIL_ERR_USAGE,
				       "WARC exchange for %s: missing URL or response head",
				       ex && ex->url ? ex->url : "(null)");
	when = ex->fetched_at > 0 ? ex->fetched_at : vigil_now();
	with_request = ex->request && ex->request_len;
	make_record_id(request_id);
	make_record_id(response_id);
	start = w->end;

	if (with_request) {
		const char *sep = memmem(ex->request, ex->request_len, "\r\n\r\n", 4);
		size_t body_at = sep ? (size_t)(sep - ex->request) + 4 : ex->request_len;

		vigil_buf_reset(&w->block);
		if (vigil_buf_append(&w->block, ex->request, ex->request_len) ||
		    start_head(&w->head, "request", request_id, when) ||
		    vigil_buf_printf(&w->head, "WARC-Warcinfo-ID: %s\r\nWARC-Concurrent-To: %s\r\n"
				     "WARC-Target-URI: ", w->warcinfo_id, response_id) ||
		    append_uri(&w->head, ex->url) || vigil_buf_append_str(&w->head, "\r\n") ||
		    (plausible_ip(ex->ip) &&
		     vigil_buf_printf(&w->head, "WARC-IP-Address: %s\r\n", ex->ip)))
			goto nomem;
		if (body_at < ex->request_len) {
			vigil_sha1_digest(ex->request + body_at, ex->request_len - body_at,
					  payload_digest);
			if (vigil_buf_printf(&w->head, "WARC-Payload-Digest: %s\r\n", payload_digest))
				goto nomem;
		}
		if (end_head(&w->head, "application/http;msgtype=request", &w->block))
			goto nomem;
		code = write_frame(w, &offset, &length, err);
		if (code)
			return code;
	}

	vigil_buf_reset(&w->block);
	if (append_response_head(&w->block, ex->response_head, ex->response_head_len,
				 ex->body_len))
		goto nomem;
	head_end = w->block.len;
	if (vigil_buf_append(&w->block, ex->body ? ex->body : "", ex->body_len))
		goto nomem;
	vigil_sha1_digest(w->block.data + head_end, ex->body_len, payload_digest);
	if (start_head(&w->head, "response", response_id, when) ||
	    vigil_buf_printf(&w->head, "WARC-Warcinfo-ID: %s\r\n", w->warcinfo_id) ||
	    (with_request &&
	     vigil_buf_printf(&w->head, "WARC-Concurrent-To: %s\r\n", request_id)) ||
	    vigil_buf_append_str(&w->head, "WARC-Target-URI: ") || append_uri(&w->head, ex->url) ||
	    vigil_buf_append_str(&w->head, "\r\n") ||
	    (plausible_ip(ex->ip) && vigil_buf_printf(&w->head, "WARC-IP-Address: %s\r\n", ex->ip)) ||
	    (ex->requested_url && *ex->requested_url && strcmp(ex->requested_url, ex->url) != 0 &&
	     (vigil_buf_append_str(&w->head, "Vigil-Requested-URI: ") ||
	      append_uri(&w->head, ex->requested_url) || vigil_buf_append_str(&w->head, "\r\n"))) ||
	    (ex->truncated && vigil_buf_append_str(&w->head, "WARC-Truncated: length\r\n")) ||
	    vigil_buf_printf(&w->head, "WARC-Payload-Digest: %s\r\n", payload_digest) ||
	    end_head(&w->head, "application/http;msgtype=response", &w->block))
		goto nomem;
	code = write_frame(w, &offset, &length, err);
	if (code) {
		/* Do not leave a request record whose response is missing. */
		if (w->end != start && !w->broken)
			cut_back(w, start);
		return code;
	}
	loc->path = vigil_strdup(w->rel_path);
	if (!loc->path)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory after writing %s",
				       w->abs_path);
	loc->offset = offset;
	loc->length = length;
	snprintf(loc->record_id, sizeof(loc->record_id), "%s", response_id);
	memcpy(loc->payload_digest, payload_digest, sizeof(loc->payload_digest));
	return VIGIL_OK;

nomem:
	if (w->end != start && !w->broken)
		cut_back(w, start);
	return vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory writing %s to %s", ex->url,
			       w->abs_path);
}

/* Copy a value read from another record's header into this one: it must
 * not break the header (no CR, LF or other control byte). */
static int header_safe(const char *value)
{
	if (!value || !*value)
		return 0;
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if (*p < 0x20 || *p == 0x7F)
			return 0;
	return 1;
}

enum vigil_code archive_warc_write_revisit(struct archive_warc_writer *w,
					   const struct archive_http_revisit *rv,
					   struct archive_warc_location *loc,
					   struct vigil_error *err)
{
	const struct archive_http_exchange *ex = rv ? rv->exchange : NULL;
	char request_id[64], revisit_id[64];
	int64_t when;
	int with_request;
	uint64_t start, offset, length;
	enum vigil_code code;

	memset(loc, 0, sizeof(*loc));
	if (!w || !ex || !ex->url || !*ex->url || !ex->response_head || !ex->response_head_len)
		return vigil_error_set(err, VIGIL_ERR_USAGE,
				       "WARC revisit for %s: missing URL or response head",
				       ex && ex->url ? ex->url : "(null)");
	if (!header_safe(rv->refers_to) || !header_safe(rv->refers_to_uri) ||
	    !header_safe(rv->refers_to_date) || !header_safe(rv->payload_digest))
		return vigil_error_set(err, VIGIL_ERR_USAGE,
				       "WARC revisit for %s: the record it refers to lacks a record id, "
				       "target URI, date or payload digest", ex->url);
	when = ex->fetched_at > 0 ? ex->fetched_at : vigil_now();
	with_request = ex->request && ex->request_len;
	make_record_id(request_id);
	make_record_id(revisit_id);
	start = w->end;

	if (with_request) {
		vigil_buf_reset(&w->block);
		if (vigil_buf_append(&w->block, ex->request, ex->request_len) ||
		    start_head(&w->head, "request", request_id, when) ||
		    vigil_buf_printf(&w->head, "WARC-Warcinfo-ID: %s\r\nWARC-Concurrent-To: %s\r\n"
				     "WARC-Target-URI: ", w->warcinfo_id, revisit_id) ||
		    append_uri(&w->head, ex->url) || vigil_buf_append_str(&w->head, "\r\n") ||
		    (plausible_ip(ex->ip) &&
		     vigil_buf_printf(&w->head, "WARC-IP-Address: %s\r\n", ex->ip)) ||
		    end_head(&w->head, "application/http;msgtype=request", &w->block))
			goto nomem;
		code = write_frame(w, &offset, &length, err);
		if (code)
			return code;
	}

	/* The block is the head alone: the payload is the referred record's. */
	vigil_buf_reset(&w->block);
	if (append_response_head(&w->block, ex->response_head, ex->response_head_len, 0) ||
	    start_head(&w->head, "revisit", revisit_id, when) ||
	    vigil_buf_printf(&w->head, "WARC-Warcinfo-ID: %s\r\n", w->warcinfo_id) ||
	    (with_request &&
	     vigil_buf_printf(&w->head, "WARC-Concurrent-To: %s\r\n", request_id)) ||
	    vigil_buf_append_str(&w->head, "WARC-Target-URI: ") || append_uri(&w->head, ex->url) ||
	    vigil_buf_append_str(&w->head, "\r\n") ||
	    (plausible_ip(ex->ip) && vigil_buf_printf(&w->head, "WARC-IP-Address: %s\r\n", ex->ip)) ||
	    (ex->requested_url && *ex->requested_url && strcmp(ex->requested_url, ex->url) != 0 &&
	     (vigil_buf_append_str(&w->head, "Vigil-Requested-URI: ") ||
	      append_uri(&w->head, ex->requested_url) || vigil_buf_append_str(&w->head, "\r\n"))) ||
	    vigil_buf_printf(&w->head, "WARC-Profile: %s\r\nWARC-Refers-To: %s\r\n"
			     "WARC-Refers-To-Target-URI: %s\r\nWARC-Refers-To-Date: %s\r\n"
			     "WARC-Payload-Digest: %s\r\n", ARCHIVE_REVISIT_PROFILE, rv->refers_to,
			     rv->refers_to_uri, rv->refers_to_date, rv->payload_digest) ||
	    end_head(&w->head, "application/http;msgtype=response", &w->block))
		goto nomem;
	code = write_frame(w, &offset, &length, err);
	if (code) {
		if (w->end != start && !w->broken)
			cut_back(w, start);
		return code;
	}
	loc->path = vigil_strdup(w->rel_path);
	if (!loc->path)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory after writing %s",
				       w->abs_path);
	loc->offset = offset;
	loc->length = length;
	snprintf(loc->record_id, sizeof(loc->record_id), "%s", revisit_id);
	snprintf(loc->payload_digest, sizeof(loc->payload_digest), "%s", rv->payload_digest);
	return VIGIL_OK;

nomem:
	if (w->end != start && !w->broken)
		cut_back(w, start);
	return vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory writing %s to %s", ex->url,
			       w->abs_path);
}

enum vigil_code archive_warc_close(struct archive_warc_writer **writer, struct vigil_error *err)
{
	struct archive_warc_writer *w;
	enum vigil_code code = VIGIL_OK;

	if (!writer || !*writer)
		return VIGIL_OK;
	w = *writer;
	*writer = NULL;
	if (fsync(w->fd) != 0)
		code = vigil_error_set(err, VIGIL_ERR_IO, "cannot sync %s: %s", w->abs_path,
				       strerror(errno));
	if (close(w->fd) != 0 && !code)
		code = vigil_error_set(err, VIGIL_ERR_IO, "cannot close %s: %s", w->abs_path,
				       strerror(errno));
	w->fd = -1;
	if (!code) {
		/* The file is new: its directory entry must reach the disk too. */
		char *slash = strrchr(w->abs_path, '/');
		int dir;

		*slash = '\0';
		dir = open(w->abs_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dir >= 0) {
			if (fsync(dir) != 0 && errno != EINVAL)
				code = vigil_error_set(err, VIGIL_ERR_IO, "cannot sync directory %s: %s",
						       w->abs_path, strerror(errno));
			close(dir);
		}
	}
	writer_destroy(w);
	return code;
}

void archive_warc_location_release(struct archive_warc_location *loc)
{
	if (!loc)
		return;
	free(loc->path);
	memset(loc, 0, sizeof(*loc));
}

/* ---------------- reading ---------------- */

void archive_warc_record_release(struct archive_warc_record *r)
{
	if (!r)
		return;
	free(r->type);
	free(r->target_uri);
	free(r->date);
	free(r->record_id);
	free(r->payload_digest);
	free(r->header);
	free(r->block);
	memset(r, 0, sizeof(*r));
}

static void *find_bytes(const void *hay, size_t len, const char *needle)
{
	return memmem(hay, len, needle, strlen(needle));
}

static int is_sha1_base32(const char *value)
{
	return strncmp(value, "sha1:", 5) == 0 && strlen(value) == 37 &&
	       strspn(value + 5, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == 32;
}

/* The blank line that ends an HTTP head in block[0..len): the first line
 * that is empty but for its CR and LF, whatever mix of line ends the head
 * has (records written before vigil normalised them to CRLF kept the
 * server's). Returns where it starts and its length, or NULL. */
static char *head_end(char *block, size_t len, size_t *blank_len)
{
	size_t pos = 0;

	while (pos < len) {
		char *line = block + pos, *nl = memchr(line, '\n', len - pos);

		if (!nl)
			return NULL;
		if (pos > 0 && (nl == line || (nl == line + 1 && line[0] == '\r'))) {
			*blank_len = (size_t)(nl - line) + 1;
			return line;
		}
		pos = (size_t)(nl - block) + 1;
	}
	return NULL;
}

/* Parse one WARC record that fills data[0..len) exactly. Takes data: it
 * becomes out->block (the block moved to the front) or is freed. where
 * names the file and offset for messages. */
static enum vigil_code parse_record(char *data, size_t len, struct archive_warc_record *out,
				    const char *where, struct vigil_error *err)
{
	char *end, *line, *content_type = NULL, *block_digest = NULL;
	size_t head_len, block_at, content_length = 0;
	int have_length = 0;
	enum vigil_code code = VIGIL_OK;

	memset(out, 0, sizeof(*out));
	if (len < 10 || (memcmp(data, "WARC/1.1\r\n", 10) != 0 && memcmp(data, "WARC/1.0\r\n", 10) != 0)) {
		code = vigil_error_set(err, VIGIL_ERR_CORRUPT, "%s: not a WARC/1.x record", where);
		goto fail;
	}
	end = find_bytes(data, len, "\r\n\r\n");
	if (!end) {
		code = vigil_error_set(err, VIGIL_ERR_CORRUPT, "%s: WARC header does not end", where);
		goto fail;
	}
	head_len = (size_t)(end - data) + 2;
	block_at = head_len + 2;
	if (memchr(data, '\0', head_len)) {
		code = vigil_error_set(err, VIGIL_ERR_CORRUPT, "%s: NUL byte in the WARC header", where);
		goto fail;
	}
	out->header = vigil_strndup(data, head_len);
	if (!out->header)
		goto nomem;
	/* Walk the header lines of the copy, cutting each at its CRLF. */
	line = strstr(out->header, "\r\n") + 2;
	while (*line) {
		char *eol = strstr(line, "\r\n"), *colon, *value, saved;
		char **slot = NULL;

		*eol = '\0';
		colon = strchr(line, ':');
		if (colon) {
			value = colon + 1;
			while (*value == ' ' || *value == '\t')
				value++;
			saved = *colon;
			*colon = '\0';
			if (!strcasecmp(line, "WARC-Type"))
				slot = &out->type;
			else if (!strcasecmp(line, "WARC-Target-URI"))
				slot = &out->target_uri;
			else if (!strcasecmp(line, "WARC-Date"))
				slot = &out->date;
			else if (!strcasecmp(line, "WARC-Record-ID"))
				slot = &out->record_id;
			else if (!strcasecmp(line, "WARC-Payload-Digest"))
				slot = &out->payload_digest;
			else if (!strcasecmp(line, "Content-Type"))
				slot = &content_type;
			else if (!strcasecmp(line, "WARC-Block-Digest"))
				slot = &block_digest;
			else if (!strcasecmp(line, "Content-Length")) {
				char *stop;

				errno = 0;
				content_length = strtoull(value, &stop, 10);
				have_length = value[0] >= '0' && value[0] <= '9' && !*stop && !errno;
			}
			if (slot && !*slot && !(*slot = strdup(value))) {
				*colon = saved;
				*eol = '\r';
				goto nomem;
			}
			*colon = saved;
		}
		*eol = '\r';
		line = eol + 2;
	}
	if (!have_length || !out->type) {
		code = vigil_error_set(err, VIGIL_ERR_CORRUPT, "%s: WARC header lacks %s", where,
				       have_length ? "WARC-Type" : "a valid Content-Length");
		goto fail;
	}
	if (content_length > len - block_at || len - block_at - content_length != 4 ||
	    memcmp(data + block_at + content_length, "\r\n\r\n", 4) != 0) {
		code = vigil_error_set(err, VIGIL_ERR_CORRUPT,
				       "%s: Content-Length %zu does not match the record", where,
				       content_length);
		goto fail;
	}
	if (block_digest && is_sha1_base32(block_digest)) {
		char digest[38];

		vigil_sha1_digest(data + block_at, content_length, digest);
		if (strcmp(digest, block_digest) != 0) {
			code = vigil_error_set(err, VIGIL_ERR_CORRUPT,
					       "%s: WARC-Block-Digest mismatch", where);
			goto fail;
		}
	}
	memmove(data, data + block_at, content_length);
	data[content_length] = '\0';
	out->block = data;
	out->block_len = content_length;
	data = NULL;

	if ((!strcmp(out->type, "response") || !strcmp(out->type, "revisit")) && content_type &&
	    !strncasecmp(content_type, "application/http", 16)) {
		size_t sep_len = 0;
		char *sep = head_end(out->block, out->block_len, &sep_len);
		const char *p = out->block;

		if (!sep || strncmp(p, "HTTP/", 5) != 0) {
			code = vigil_error_set(err, VIGIL_ERR_CORRUPT,
					       "%s: %s record without an HTTP head", where,
					       out->type);
			goto fail;
		}
		p += 5;
		while (*p && *p != ' ' && p < sep)
			p++;
		if (*p != ' ' || p[1] < '1' || p[1] > '9' || p[2] < '0' || p[2] > '9' ||
		    p[3] < '0' || p[3] > '9' || (p[4] != ' ' && p[4] != '\r' && p[4] != '\n')) {
			code = vigil_error_set(err, VIGIL_ERR_CORRUPT,
					       "%s: %s record with a bad HTTP status line", where,
					       out->type);
			goto fail;
		}
		out->http_status = (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
		out->http_head = out->block;
		out->http_head_len = (size_t)(sep - out->block) + sep_len;
		out->payload = out->block + out->http_head_len;
		out->payload_len = out->block_len - out->http_head_len;
	}
	free(content_type);
	free(block_digest);
	return VIGIL_OK;

nomem:
	code = vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory", where);
fail:
	free(data);
	free(content_type);
	free(block_digest);
	archive_warc_record_release(out);
	return code;
}

/* Decompress the single frame src[0..len) into a malloc'd buffer with one
 * spare byte for a NUL. */
static enum vigil_code decode_frame(ZSTD_DCtx *dctx, const void *src, size_t len, size_t max,
				    char **data, size_t *data_len, const char *where,
				    struct vigil_error *err)
{
	size_t frame = ZSTD_findFrameCompressedSize(src, len), got;
	unsigned long long size;
	char *dst;

	*data = NULL;
	if (ZSTD_isError(frame) || frame != len)
		return vigil_error_set(err, VIGIL_ERR_CORRUPT, "%s: not exactly one zstd frame (%s)",
				       where, ZSTD_isError(frame) ? ZSTD_getErrorName(frame)
								  : "length differs");
	if (ZSTD_getDictID_fromFrame(src, len) != 0)
		return vigil_error_set(err, VIGIL_ERR_COMPRESS,
				       "%s: frame needs a zstd dictionary, which is not supported yet",
				       where);
	size = ZSTD_getFrameContentSize(src, len);
	if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR)
		return vigil_error_set(err, VIGIL_ERR_CORRUPT, "%s: zstd frame without content size",
				       where);
	if (size > max)
		return vigil_error_set(err, VIGIL_ERR_TOO_LARGE,
				       "%s: record of %llu bytes is over the %zu byte limit", where,
				       size, max);
	dst = malloc((size_t)size + 1);
	if (!dst)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory for %llu bytes", where,
				       size);
	got = ZSTD_decompressDCtx(dctx, dst, (size_t)size, src, len);
	if (ZSTD_isError(got) || got != size) {
		free(dst);
		return vigil_error_set(err, VIGIL_ERR_CORRUPT, "%s: zstd: %s", where,
				       ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short frame");
	}
	dst[size] = '\0';
	*data = dst;
	*data_len = (size_t)size;
	return VIGIL_OK;
}

enum vigil_code archive_warc_read(const char *data_dir, const char *path, uint64_t offset,
				  uint64_t length, size_t max_bytes,
				  struct archive_warc_record *out, struct vigil_error *err)
{
	char full[PATH_MAX], where[PATH_MAX + 64];
	char *frame = NULL, *data = NULL;
	size_t data_len = 0, done = 0;
	ZSTD_DCtx *dctx = NULL;
	enum vigil_code code;
	int fd;

	memset(out, 0, sizeof(*out));
	if (!path || !*path)
		return vigil_error_set(err, VIGIL_ERR_USAGE, "no WARC path given");
	if (!max_bytes)
		max_bytes = WARC_DEFAULT_MAX;
	if (path[0] == '/' || !data_dir || !*data_dir)
		snprintf(full, sizeof(full), "%s", path);
	else if (snprintf(full, sizeof(full), "%s/%s", data_dir, path) >= (int)sizeof(full))
		return vigil_error_set(err, VIGIL_ERR_USAGE, "WARC path %s/%s is too long", data_dir,
				       path);
	snprintf(where, sizeof(where), "%s: offset %llu", full, (unsigned long long)offset);
	if (length == 0 || length > ZSTD_compressBound(max_bytes) + 64)
		return vigil_error_set(err, length ? VIGIL_ERR_TOO_LARGE : VIGIL_ERR_USAGE,
				       "%s: frame length %llu is out of range", where,
				       (unsigned long long)length);
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vigil_error_set(err, errno == ENOENT ? VIGIL_ERR_NOT_FOUND : VIGIL_ERR_IO,
				       "cannot open %s: %s", full, strerror(errno));
	frame = malloc((size_t)length);
	if (!frame) {
		close(fd);
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory", where);
	}
	while (done < length) {
		ssize_t n = pread(fd, frame + done, (size_t)length - done, (off_t)(offset + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			code = vigil_error_set(err, VIGIL_ERR_IO, "cannot read %s: %s", where,
					       strerror(errno));
			goto done;
		}
		if (n == 0) {
			code = vigil_error_set(err, VIGIL_ERR_CORRUPT,
					       "%s: frame of %llu bytes runs past the end of the file",
					       where, (unsigned long long)length);
			goto done;
		}
		done += (size_t)n;
	}
	dctx = ZSTD_createDCtx();
	if (!dctx) {
		code = vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory", where);
		goto done;
	}
	code = decode_frame(dctx, frame, (size_t)length, max_bytes, &data, &data_len, where, err);
	if (!code)
		code = parse_record(data, data_len, out, where, err);
done:
	ZSTD_freeDCtx(dctx);
	free(frame);
	close(fd);
	return code;
}

static int is_skippable(const unsigned char *p, size_t len)
{
	uint32_t magic;

	if (len < 8)
		return 0;
	magic = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	return (magic & 0xFFFFFFF0u) == 0x184D2A50u;
}

enum vigil_code archive_warc_each(const char *file_path, archive_warc_visit_fn visit,
				  void *context, struct vigil_error *err)
{
	struct vigil_error first = { 0 };
	struct stat st;
	unsigned char *map;
	ZSTD_DCtx *dctx;
	uint64_t offset = 0, size;
	size_t bad = 0;
	int fd;

	if (!file_path || !visit)
		return vigil_error_set(err, VIGIL_ERR_USAGE, "archive_warc_each: no file or callback");
	fd = open(file_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vigil_error_set(err, errno == ENOENT ? VIGIL_ERR_NOT_FOUND : VIGIL_ERR_IO,
				       "cannot open %s: %s", file_path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		close(fd);
		return vigil_error_set(err, VIGIL_ERR_IO, "cannot stat %s: %s", file_path,
				       strerror(errno));
	}
	size = (uint64_t)st.st_size;
	if (size == 0) {
		close(fd);
		return VIGIL_OK;
	}
	map = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return vigil_error_set(err, VIGIL_ERR_IO, "cannot map %s: %s", file_path,
				       strerror(errno));
	dctx = ZSTD_createDCtx();
	if (!dctx) {
		munmap(map, (size_t)size);
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory reading %s", file_path);
	}
	while (offset < size) {
		const unsigned char *p = map + offset;
		size_t remain = (size_t)(size - offset);
		size_t frame = ZSTD_findFrameCompressedSize(p, remain);
		char where[PATH_MAX + 64], *data = NULL;
		size_t data_len = 0;
		struct archive_warc_record record;
		struct vigil_error one = { 0 };
		enum vigil_code code;
		int stop;

		snprintf(where, sizeof(where), "%s: offset %llu", file_path,
			 (unsigned long long)offset);
		if (ZSTD_isError(frame)) {
			/* The frame's end is unknown, so nothing after it can be found. */
			if (!bad)
				vigil_error_set(&first, VIGIL_ERR_CORRUPT,
						"%s: truncated or unreadable zstd frame (%s), %llu "
						"bytes not read", where, ZSTD_getErrorName(frame),
						(unsigned long long)remain);
			bad++;
			break;
		}
		if (is_skippable(p, remain)) {
			offset += frame;
			continue;
		}
		code = decode_frame(dctx, p, frame, WARC_DEFAULT_MAX, &data, &data_len, where, &one);
		if (!code)
			code = parse_record(data, data_len, &record, where, &one);
		if (code) {
			if (!bad)
				first = one;
			bad++;
			offset += frame;
			continue;
		}
		stop = visit(&record, offset, frame, context);
		archive_warc_record_release(&record);
		if (stop)
			break;
		offset += frame;
	}
	ZSTD_freeDCtx(dctx);
	munmap(map, (size_t)size);
	if (bad) {
		if (bad > 1)
			vigil_error_prefix(&first, "%zu bad frames, the first", bad);
		if (err)
			*err = first;
		return first.code;
	}
	return VIGIL_OK;
}

char *archive_warc_field(const struct archive_warc_record *record, const char *name)
{
	size_t n = name ? strlen(name) : 0;
	const char *line;

	if (!record || !record->header || !n)
		return NULL;
	/* The first line is "WARC/1.1"; fields follow, one per CRLF line. */
	for (line = strstr(record->header, "\r\n"); line && line[2]; line = strstr(line + 2, "\r\n")) {
		const char *start = line + 2, *end = strstr(start, "\r\n");

		if (!end)
			break;
		if ((size_t)(end - start) > n && strncasecmp(start, name, n) == 0 && start[n] == ':') {
			const char *value = start + n + 1;

			while (value < end && (*value == ' ' || *value == '\t'))
				value++;
			return vigil_strndup(value, (size_t)(end - value));
		}
	}
	return NULL;
}
