/*
 * archive_warc_write_fuzzer.c: the WARC writer on hostile exchanges, read
 * back by the reader. The writer copies the server's response head into
 * the record (renaming Content-Encoding, Transfer-Encoding and a wrong
 * Content-Length to X-Archive-Orig-*) and escapes the URL, so both are
 * untrusted input. Input: the URL up to the first newline, then header
 * lines up to the first empty line (a status line "HTTP/1.1 200 OK" is put
 * in front, as curl always delivers one), then the body.
 * Checks: the record written reads back as a response with status 200,
 * the same payload bytes, and a payload digest equal to the SHA-1 of the
 * body; the target URI has no blanks or line breaks. Then the same answer
 * is written again as a revisit record referring to the response: it
 * reads back as a revisit with the same status, no payload, the
 * response's payload digest and its record id in WARC-Refers-To. Each input gets a
 * fresh data directory in /dev/shm (or $TMPDIR), removed afterwards.
 */
#include "fuzz_check.h"

#include "../archive/archive.h"

#include <dirent.h>

/* Remove data_dir/warc/fuzz/<files>, then the directories. */
static void remove_data_dir(const char *data_dir)
{
	char dir[300], file[600];
	struct dirent *entry;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/warc/fuzz", data_dir);
	d = opendir(dir);
	while (d && (entry = readdir(d))) {
		if (entry->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s", dir, entry->d_name);
		unlink(file);
	}
	if (d)
		closedir(d);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/warc", data_dir);
	rmdir(dir);
	rmdir(data_dir);
}

static const char status_line[] = "HTTP/1.1 200 OK\r\n";

/* Where the header lines end: after the first empty line (LF or CRLF). */
static size_t head_end(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] != '\n')
			continue;
		if (i + 1 < len && p[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && p[i + 1] == '\r' && p[i + 2] == '\n')
			return i + 3;
	}
	return len;
}

static void check_read_back(const char *data_dir, const struct archive_warc_location *loc,
			    const char *body, size_t body_len)
{
	struct archive_warc_record record;
	struct vigil_error err = { 0 };
	char digest[38];
	enum vigil_code code;

	code = archive_warc_read(data_dir, loc->path, loc->offset, loc->length, 0, &record, &err);
	if (code != VIGIL_OK)
		fprintf(stderr, "read back: %s\n", err.message);
	FUZZ_CHECK(code == VIGIL_OK);
	FUZZ_CHECK(record.type && strcmp(record.type, "response") == 0);
	FUZZ_CHECK(record.http_status == 200);
	FUZZ_CHECK(record.payload_len == body_len);
	FUZZ_CHECK(memcmp(record.payload, body, body_len) == 0);
	vigil_sha1_digest(body, body_len, digest);
	FUZZ_CHECK(strcmp(loc->payload_digest, digest) == 0);
	FUZZ_CHECK(record.payload_digest && strcmp(record.payload_digest, digest) == 0);
	FUZZ_CHECK(record.target_uri && !strpbrk(record.target_uri, " \t\r\n"));
	archive_warc_record_release(&record);
}

/* The unchanged answer again, as a revisit of the response at loc. */
static void check_revisit(struct archive_warc_writer *writer, const char *data_dir,
			  const struct archive_http_exchange *exchange,
			  const struct archive_warc_location *loc)
{
	struct archive_warc_record response, record;
	struct archive_warc_location again;
	struct archive_http_revisit revisit;
	struct vigil_error err = { 0 };
	char *refers;

	if (archive_warc_read(data_dir, loc->path, loc->offset, loc->length, 0, &response, &err) !=
	    VIGIL_OK)
		return;
	memset(&revisit, 0, sizeof(revisit));
	revisit.exchange = exchange;
	revisit.refers_to = response.record_id;
	revisit.refers_to_uri = response.target_uri;
	revisit.refers_to_date = response.date;
	revisit.payload_digest = response.payload_digest;
	if (archive_warc_write_revisit(writer, &revisit, &again, &err) == VIGIL_OK) {
		FUZZ_CHECK(archive_warc_read(data_dir, again.path, again.offset, again.length, 0,
					     &record, &err) == VIGIL_OK);
		FUZZ_CHECK(record.type && strcmp(record.type, "revisit") == 0);
		FUZZ_CHECK(record.http_status == 200 && record.payload_len == 0);
		FUZZ_CHECK(record.payload_digest &&
			   strcmp(record.payload_digest, loc->payload_digest) == 0);
		refers = archive_warc_field(&record, "WARC-Refers-To");
		FUZZ_CHECK(refers && strcmp(refers, loc->record_id) == 0);
		free(refers);
		archive_warc_record_release(&record);
		archive_warc_location_release(&again);
	}
	archive_warc_record_release(&response);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *tmp = getenv("TMPDIR");
	char data_dir[256], *url, *head;
	const char *rest, *newline = memchr(data, '\n', size);
	struct archive_warc_writer *writer = NULL;
	struct archive_warc_location loc;
	struct archive_http_exchange exchange;
	struct vigil_error err = { 0 };
	size_t url_len, rest_len, fields_len;

	if (!newline || size > 1 << 20)
		return 0;
	url_len = (size_t)((const unsigned char *)newline - data);
	rest = newline + 1;
	rest_len = size - url_len - 1;
	fields_len = head_end(rest, rest_len);
	url = fuzz_strndup(data, url_len);
	/* Exactly the head's bytes: the writer must not read past its length. */
	head = malloc(sizeof(status_line) - 1 + fields_len);
	if (!url || !head || !*url) {
		free(url);
		free(head);
		return 0;
	}
	memcpy(head, status_line, sizeof(status_line) - 1);
	memcpy(head + sizeof(status_line) - 1, rest, fields_len);

	snprintf(data_dir, sizeof(data_dir), "%s/vigil-fuzz-warc-%ld",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : tmp && *tmp ? tmp : "/tmp",
		 (long)getpid());
	if (archive_warc_open(data_dir, "fuzz", "vigil-fuzz", &writer, &err) != VIGIL_OK) {
		free(url);
		free(head);
		return 0;
	}
	memset(&exchange, 0, sizeof(exchange));
	exchange.url = url;
	exchange.fetched_at = 1713420000;
	exchange.response_head = head;
	exchange.response_head_len = sizeof(status_line) - 1 + fields_len;
	exchange.body = rest + fields_len;
	exchange.body_len = rest_len - fields_len;
	if (archive_warc_write_exchange(writer, &exchange, &loc, &err) == VIGIL_OK) {
		check_read_back(data_dir, &loc, exchange.body, exchange.body_len);
		check_revisit(writer, data_dir, &exchange, &loc);
		archive_warc_location_release(&loc);
	}
	(void)archive_warc_close(&writer, &err);
	remove_data_dir(data_dir);
	free(url);
	free(head);
	return 0;
}
