/* test_archive_warc.c: WARC records in zstd frames: write, read back by
 * location and by walking the file, corruption, a full disk, zstd -dc. */
#include "check.h"
#include "../../archive/archive.h"

#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static void full_path(char *out, size_t size, const char *rel)
{
	snprintf(out, size, "%s/%s", dir, rel);
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[4096];
	size_t n;

	while (in && out && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	if (in)
		fclose(in);
	if (out)
		fclose(out);
}

struct walk {
	int count;
	int responses;
	int requests;
	int warcinfo;
	char types[16][16];
	uint64_t offsets[16];
	char concurrent[16][64];
	char ids[16][64];
	int stop_after;
};

static int visit(const struct archive_warc_record *r, uint64_t offset, uint64_t length,
		 void *context)
{
	struct walk *w = context;
	const char *c;

	(void)length;
	if (w->count < 16) {
		snprintf(w->types[w->count], sizeof(w->types[0]), "%s", r->type);
		w->offsets[w->count] = offset;
		snprintf(w->ids[w->count], sizeof(w->ids[0]), "%s", r->record_id ? r->record_id : "");
		c = strstr(r->header, "WARC-Concurrent-To: ");
		if (c)
			sscanf(c + 20, "%63s", w->concurrent[w->count]);
	}
	w->count++;
	w->responses += !strcmp(r->type, "response");
	w->requests += !strcmp(r->type, "request");
	w->warcinfo += !strcmp(r->type, "warcinfo");
	return w->stop_after && w->count >= w->stop_after;
}

static size_t count_of(const char *hay, size_t len, const char *needle)
{
	size_t n = 0, nlen = strlen(needle);

	for (size_t i = 0; i + nlen <= len; i++)
		if (!memcmp(hay + i, needle, nlen))
			n++;
	return n;
}

/* A server's head with LF line ends (or LF lines and a CRLF blank line)
 * and a body that itself holds CRLF CRLF: the head is stored with CRLF
 * line ends, so the payload read back is the body, byte for byte. Found by
 * fuzz/archive_warc_write_fuzzer.c. */
static void test_head_line_ends(void)
{
	static const char *const heads[] = {
		"HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 16\n\n",
		"HTTP/1.1 200 OK\nContent-Type: text/plain\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length:  16 \r\nX-Mixed: 1\n\r\n",
	};
	static const char body[] = "a\r\n\r\nb\n\nc\r\n\r\nend";
	struct vigil_error err = { 0 };
	struct archive_warc_writer *w = NULL;
	char scratch[64];

	snprintf(scratch, sizeof(scratch), "/tmp/vigil-warc-lf-XXXXXX");
	if (!mkdtemp(scratch)) {
		CHECK(0);
		return;
	}
	CHECK_OK(archive_warc_open(scratch, "lines", "vigil/test", &w, &err));
	for (size_t i = 0; w && i < sizeof(heads) / sizeof(heads[0]); i++) {
		struct archive_http_exchange ex = { "https://example.kz/lf", NULL, 1713398400, NULL, 0,
						    heads[i], strlen(heads[i]), body,
						    sizeof(body) - 1, NULL, 0 };
		struct archive_warc_location loc = { 0 };
		struct archive_warc_record rec = { 0 };

		CHECK_OK(archive_warc_write_exchange(w, &ex, &loc, &err));
		CHECK_OK(archive_warc_read(scratch, loc.path, loc.offset, loc.length, 0, &rec, &err));
		CHECK(rec.http_status == 200);
		CHECK(rec.payload_len == sizeof(body) - 1 &&
		      !memcmp(rec.payload, body, rec.payload_len));
		/* Every head line ends in CRLF; no bare LF is left. */
		for (size_t k = 0; rec.http_head && k < rec.http_head_len; k++)
			if (rec.http_head[k] == '\n')
				CHECK(k > 0 && rec.http_head[k - 1] == '\r');
		/* "Content-Length:  16 " is the body's length: kept as it is. */
		if (i == 2)
			CHECK(strstr(rec.http_head, "X-Archive-Orig-") == NULL);
		archive_warc_record_release(&rec);
		archive_warc_location_release(&loc);
	}
	CHECK_OK(archive_warc_close(&w, &err));
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
		CHECK(system(cmd) == 0);
	}
}

/* An unchanged answer as a revisit record: head only, the referred
 * response named in full; values that would break the header refused. */
static void test_revisit(void)
{
	static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n";
	static const char head304[] = "HTTP/1.1 304 Not Modified\r\n\r\n";
	static const char req[] = "GET /r HTTP/1.1\r\nHost: example.kz\r\n\r\n";
	struct vigil_error err = { 0 };
	struct archive_warc_writer *w = NULL;
	struct archive_warc_location loc = { 0 }, again = { 0 };
	struct archive_warc_record first = { 0 }, rec = { 0 };
	struct archive_http_exchange ex = { "https://example.kz/r", NULL, 1713398400, req,
					    sizeof(req) - 1, head, sizeof(head) - 1, "<p>same</p>",
					    11, NULL, 0 };
	struct archive_http_exchange ex2 = { "https://example.kz/r", "127.0.0.1", 1713402000, req,
					     sizeof(req) - 1, head304, sizeof(head304) - 1, NULL, 0,
					     "https://example.kz/asked", 0 };
	struct archive_http_revisit rv = { 0 };
	char scratch[64], *field;

	snprintf(scratch, sizeof(scratch), "/tmp/vigil-warc-rv-XXXXXX");
	if (!mkdtemp(scratch)) {
		CHECK(0);
		return;
	}
	CHECK_OK(archive_warc_open(scratch, "rv", "vigil/test", &w, &err));
	CHECK_OK(archive_warc_write_exchange(w, &ex, &loc, &err));
	CHECK_OK(archive_warc_read(scratch, loc.path, loc.offset, loc.length, 0, &first, &err));
	rv.exchange = &ex2;
	rv.refers_to = first.record_id;
	rv.refers_to_uri = first.target_uri;
	rv.refers_to_date = first.date;
	rv.payload_digest = first.payload_digest;
	CHECK_OK(archive_warc_write_revisit(w, &rv, &again, &err));
	CHECK_STR(again.payload_digest, first.payload_digest);
	CHECK_OK(archive_warc_read(scratch, again.path, again.offset, again.length, 0, &rec, &err));
	CHECK_STR(rec.type, "revisit");
	CHECK(rec.http_status == 304 && rec.payload_len == 0);
	CHECK_STR(rec.payload_digest, first.payload_digest);
	CHECK_STR(rec.date, "2024-04-18T01:00:00Z");
	CHECK_STR(rec.record_id, again.record_id);
	field = archive_warc_field(&rec, "WARC-Refers-To");
	CHECK_STR(field, first.record_id);
	free(field);
	field = archive_warc_field(&rec, "WARC-Refers-To-Date");
	CHECK_STR(field, "2024-04-18T00:00:00Z");
	free(field);
	field = archive_warc_field(&rec, "WARC-Refers-To-Target-URI");
	CHECK_STR(field, "https://example.kz/r");
	free(field);
	field = archive_warc_field(&rec, "WARC-Profile");
	CHECK_STR(field, ARCHIVE_REVISIT_PROFILE);
	free(field);
	field = archive_warc_field(&rec, "Vigil-Requested-URI");
	CHECK_STR(field, "https://example.kz/asked");
	free(field);
	archive_warc_record_release(&rec);
	archive_warc_location_release(&again);
	/* a value with a line break, or a missing digest, is refused */
	rv.refers_to = "<urn:uuid:x>\r\nWARC-Type: response";
	CHECK(archive_warc_write_revisit(w, &rv, &again, &err) == VIGIL_ERR_USAGE);
	rv.refers_to = first.record_id;
	rv.payload_digest = NULL;
	CHECK(archive_warc_write_revisit(w, &rv, &again, &err) == VIGIL_ERR_USAGE);
	CHECK(again.path == NULL);
	archive_warc_record_release(&first);
	archive_warc_location_release(&loc);
	CHECK_OK(archive_warc_close(&w, &err));
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
		CHECK(system(cmd) == 0);
	}
}

int main(void)
{
	struct vigil_error err = { 0 };
	struct archive_warc_writer *w = NULL, *w2 = NULL;
	struct archive_warc_location loc[5] = { 0 }, loc2 = { 0 };
	struct archive_warc_record rec = { 0 };
	struct walk walk;
	char path[512], copy[512], cmd[1200], digest[38];
	unsigned char binary[300];
	static char big[64 * 1024];
	long size_before;

	/* windows-1251 "Правозащитник в Павлодаре" */
	static const char cp1251[] = "\xcf\xf0\xe0\xe2\xee\xe7\xe0\xf9\xe8\xf2\xed\xe8\xea "
				     "\xe2 \xcf\xe0\xe2\xeb\xee\xe4\xe0\xf0\xe5";
	static const char html[] = "<html><body><p>Правозащитник задержан в Павлодаре</p></body></html>";
	static const char req[] = "GET /news/1 HTTP/1.1\r\nHost: example.kz\r\nUser-Agent: vigil\r\n\r\n";
	static const char head_html[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
					"Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"
					"Content-Length: 12\r\n\r\n";
	static const char head_bin[] = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
				       "Content-Length: 300\r\n\r\n";
	static const char head_1251[] = "HTTP/2 200\r\ncontent-type: text/html; charset=windows-1251\r\n\r\n";
	static const char head_404[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n";

	struct archive_http_exchange ex[4] = {
		{ "https://example.kz/news/1", "203.0.113.7", 1713398400, req, sizeof(req) - 1,
		  head_html, sizeof(head_html) - 1, html, sizeof(html) - 1, NULL, 0 },
		{ "https://example.kz/file.bin", "2001:db8::1", 1713398401, req, sizeof(req) - 1,
		  head_bin, sizeof(head_bin) - 1, (const char *)binary, sizeof(binary), NULL, 0 },
		{ "https://example.kz/cp1251", NULL, 1713398402, req, sizeof(req) - 1, head_1251,
		  sizeof(head_1251) - 1, cp1251, sizeof(cp1251) - 1, NULL, 1 /* cut at max_body */ },
		/* No request head, no body, a head without its blank line, a URL
		 * that would break the header if written raw. */
		{ "https://example.kz/a b\r\nX-Evil: 1", "not an ip\r\n", 1713398403, NULL, 0,
		  head_404, sizeof(head_404) - 1, NULL, 0, NULL, 0 },
	};

	for (size_t i = 0; i < sizeof(binary); i++)
		binary[i] = (unsigned char)(i * 7);
	binary[0] = binary[10] = binary[299] = 0;
	snprintf(dir, sizeof(dir), "/tmp/vigil-warc-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}

	CHECK_OK(archive_warc_open(dir, "Время KZ/../test", "vigil/0.1.0\r\nInjected: x", &w, &err));
	if (!w) {
		fprintf(stderr, "open: %s\n", err.message);
		return 1;
	}
	for (int i = 0; i < 4; i++) {
		CHECK_OK(archive_warc_write_exchange(w, &ex[i], &loc[i], &err));
		CHECK(loc[i].path && loc[i].length > 0);
	}
	/* The source name became one path component. */
	CHECK(!strncmp(loc[0].path, "warc/Время_KZ_.._test/Время_KZ_.._test-", strlen("warc/Время_KZ_.._test/Время_KZ_.._test-")));
	CHECK(strstr(loc[0].path, ".warc.zst") != NULL);
	CHECK(loc[0].offset > 0 && loc[1].offset > loc[0].offset + loc[0].length);
	CHECK(!strncmp(loc[0].record_id, "<urn:uuid:", 10) && loc[0].record_id[23] == '-' &&
	      loc[0].record_id[24] == '4' && strlen(loc[0].record_id) == 47);
	CHECK(strcmp(loc[0].record_id, loc[1].record_id) != 0);
	vigil_sha1_digest(html, sizeof(html) - 1, digest);
	CHECK_STR(loc[0].payload_digest, digest);

	/* Read each response back by its location. */
	CHECK_OK(archive_warc_read(dir, loc[0].path, loc[0].offset, loc[0].length, 0, &rec, &err));
	CHECK_STR(rec.type, "response");
	CHECK_STR(rec.target_uri, "https://example.kz/news/1");
	CHECK_STR(rec.date, "2024-04-18T00:00:00Z");
	CHECK_STR(rec.record_id, loc[0].record_id);
	CHECK_STR(rec.payload_digest, digest);
	CHECK(rec.http_status == 200);
	CHECK(rec.payload_len == sizeof(html) - 1 && !memcmp(rec.payload, html, rec.payload_len));
	CHECK_CONTAINS(rec.header, "WARC-IP-Address: 203.0.113.7\r\n");
	CHECK_CONTAINS(rec.header, "Content-Type: application/http;msgtype=response\r\n");
	CHECK_CONTAINS(rec.header, "WARC-Block-Digest: sha1:");
	CHECK_CONTAINS(rec.header, "WARC-Concurrent-To: <urn:uuid:");
	CHECK_CONTAINS(rec.header, "WARC-Warcinfo-ID: <urn:uuid:");
	CHECK(strstr(rec.header, "WARC-Truncated") == NULL);
	/* The body is stored decoded, so the encoding headers are renamed. */
	CHECK_CONTAINS(rec.http_head, "X-Archive-Orig-Content-Encoding: gzip\r\n");
	CHECK_CONTAINS(rec.http_head, "X-Archive-Orig-Transfer-Encoding: chunked\r\n");
	CHECK_CONTAINS(rec.http_head, "X-Archive-Orig-Content-Length: 12\r\n");
	CHECK(rec.block_len == rec.http_head_len + rec.payload_len);
	archive_warc_record_release(&rec);
	CHECK(rec.block == NULL && rec.type == NULL);
	archive_warc_record_release(&rec); /* twice is fine */

	CHECK_OK(archive_warc_read(dir, loc[1].path, loc[1].offset, loc[1].length, 0, &rec, &err));
	CHECK(rec.payload_len == sizeof(binary) && !memcmp(rec.payload, binary, sizeof(binary)));
	CHECK_CONTAINS(rec.http_head, "\r\nContent-Length: 300\r\n"); /* matches: kept */
	CHECK(strstr(rec.http_head, "X-Archive-Orig-Content-Length") == NULL);
	CHECK_CONTAINS(rec.header, "WARC-IP-Address: 2001:db8::1\r\n");
	vigil_sha1_digest(binary, sizeof(binary), digest);
	CHECK_STR(rec.payload_digest, digest);
	archive_warc_record_release(&rec);

	CHECK_OK(archive_warc_read(dir, loc[2].path, loc[2].offset, loc[2].length, 0, &rec, &err));
	CHECK(rec.http_status == 200);
	CHECK(rec.payload_len == sizeof(cp1251) - 1 && !memcmp(rec.payload, cp1251, rec.payload_len));
	CHECK(strstr(rec.header, "WARC-IP-Address") == NULL);
	/* WARC 1.1 section 5.13: a body cut at the size cap says so. */
	CHECK_CONTAINS(rec.header, "\r\nWARC-Truncated: length\r\n");
	archive_warc_record_release(&rec);

	CHECK_OK(archive_warc_read(dir, loc[3].path, loc[3].offset, loc[3].length, 0, &rec, &err));
	CHECK(rec.http_status == 404);
	CHECK(rec.payload_len == 0);
	CHECK_STR(rec.target_uri, "https://example.kz/a%20b%0D%0AX-Evil:%201");
	CHECK(strstr(rec.header, "\r\nX-Evil") == NULL);
	CHECK(strstr(rec.header, "WARC-IP-Address") == NULL);
	CHECK(strstr(rec.header, "WARC-Concurrent-To") == NULL);
	CHECK(rec.http_head_len == sizeof(head_404) - 1 + 2);
	archive_warc_record_release(&rec);

	/* A too small cap, a wrong length, an offset past the end. */
	CHECK(archive_warc_read(dir, loc[1].path, loc[1].offset, loc[1].length, 100, &rec, &err) ==
	      VIGIL_ERR_TOO_LARGE);
	CHECK(archive_warc_read(dir, loc[1].path, loc[1].offset, loc[1].length - 1, 0, &rec, &err) ==
	      VIGIL_ERR_CORRUPT);
	CHECK(archive_warc_read(dir, loc[1].path, loc[1].offset + 1, loc[1].length, 0, &rec, &err) ==
	      VIGIL_ERR_CORRUPT);
	CHECK(archive_warc_read(dir, loc[3].path, loc[3].offset + 1000000, 50, 0, &rec, &err) ==
	      VIGIL_ERR_CORRUPT);
	CHECK_CONTAINS(err.message, "past the end");
	CHECK(archive_warc_read(dir, "warc/none.warc.zst", 0, 50, 0, &rec, &err) == VIGIL_ERR_NOT_FOUND);
	CHECK(rec.type == NULL && rec.block == NULL);

	/* Walk the whole file: warcinfo, then request + response per exchange. */
	full_path(path, sizeof(path), loc[0].path);
	memset(&walk, 0, sizeof(walk));
	CHECK_OK(archive_warc_each(path, visit, &walk, &err));
	CHECK(walk.count == 8 && walk.warcinfo == 1 && walk.requests == 3 && walk.responses == 4);
	CHECK_STR(walk.types[0], "warcinfo");
	CHECK_STR(walk.types[1], "request");
	CHECK_STR(walk.types[2], "response");
	CHECK(walk.offsets[0] == 0 && walk.offsets[2] == loc[0].offset && walk.offsets[4] == loc[1].offset);
	/* Request and response point at each other. */
	CHECK_STR(walk.concurrent[1], walk.ids[2]);
	CHECK_STR(walk.concurrent[2], walk.ids[1]);
	memset(&walk, 0, sizeof(walk));
	walk.stop_after = 3;
	CHECK_OK(archive_warc_each(path, visit, &walk, &err));
	CHECK(walk.count == 3);

	/* The warcinfo record: software sanitised, no hostname. */
	{
		FILE *f;

		snprintf(cmd, sizeof(cmd), "command -v zstd >/dev/null 2>&1");
		if (system(cmd) == 0) {
			char out[600];
			char *text;
			long n;

			snprintf(out, sizeof(out), "%s/plain.warc", dir);
			snprintf(cmd, sizeof(cmd), "zstd -q -dc '%s' > '%s'", path, out);
			CHECK(system(cmd) == 0);
			f = fopen(out, "rb");
			CHECK(f != NULL);
			if (f) {
				fseek(f, 0, SEEK_END);
				n = ftell(f);
				fseek(f, 0, SEEK_SET);
				text = malloc((size_t)n + 1);
				CHECK(fread(text, 1, (size_t)n, f) == (size_t)n);
				text[n] = '\0';
				fclose(f);
				CHECK(!strncmp(text, "WARC/1.1\r\nWARC-Type: warcinfo\r\n", 31));
				CHECK(count_of(text, (size_t)n, "WARC/1.1\r\n") == 8);
				CHECK(count_of(text, (size_t)n, "software: vigil/0.1.0  Injected: x\r\n") == 1);
				CHECK(count_of(text, (size_t)n, "\r\nInjected:") == 0);
				CHECK(count_of(text, (size_t)n, "format: WARC File Format 1.1\r\n") == 1);
				CHECK(count_of(text, (size_t)n, "conformsTo: ") == 1);
				CHECK(count_of(text, (size_t)n, "hostname") == 0);
				CHECK(count_of(text, (size_t)n, cp1251) == 1);
				CHECK(memmem(text, (size_t)n, binary, sizeof(binary)) != NULL);
				free(text);
			}
		} else {
			printf("note: zstd binary not found, skipped the zstd -dc check\n");
		}
	}

	/* A second writer for the same source in the same second gets -N. */
	CHECK_OK(archive_warc_open(dir, "Время KZ/../test", NULL, &w2, &err));
	CHECK_OK(archive_warc_write_exchange(w2, &ex[0], &loc2, &err));
	CHECK(strcmp(loc2.path, loc[0].path) != 0);
	CHECK_OK(archive_warc_close(&w2, &err));
	CHECK(w2 == NULL);
	archive_warc_location_release(&loc2);

	/* Bad arguments. */
	{
		struct archive_http_exchange bad = ex[0];

		bad.response_head = NULL;
		CHECK(archive_warc_write_exchange(w, &bad, &loc2, &err) == VIGIL_ERR_USAGE);
	}

	/* A full disk, simulated by a file size limit: the failed record is cut
	 * away and everything before it stays readable. */
	{
		struct rlimit saved, tight;
		struct archive_http_exchange large = ex[1];
		uint32_t x = 12345;

		for (size_t i = 0; i < sizeof(big); i++) {
			x = x * 1103515245u + 12345u;
			big[i] = (char)(x >> 23);
		}
		large.body = big;
		large.body_len = sizeof(big);
		size_before = file_size(path);
		signal(SIGXFSZ, SIG_IGN);
		getrlimit(RLIMIT_FSIZE, &saved);
		tight = saved;
		tight.rlim_cur = (rlim_t)size_before + 1000; /* room for the request only */
		CHECK(setrlimit(RLIMIT_FSIZE, &tight) == 0);
		CHECK(archive_warc_write_exchange(w, &large, &loc[4], &err) == VIGIL_ERR_IO);
		CHECK_CONTAINS(err.message, path);
		CHECK_CONTAINS(err.message, strerror(EFBIG));
		CHECK(loc[4].path == NULL);
		CHECK(setrlimit(RLIMIT_FSIZE, &saved) == 0);
		CHECK(file_size(path) == size_before);
		memset(&walk, 0, sizeof(walk));
		CHECK_OK(archive_warc_each(path, visit, &walk, &err));
		CHECK(walk.count == 8);
		/* The writer goes on after the failure. */
		CHECK_OK(archive_warc_write_exchange(w, &large, &loc[4], &err));
		CHECK(loc[4].offset > (uint64_t)size_before);
		CHECK_OK(archive_warc_read(dir, loc[4].path, loc[4].offset, loc[4].length, 0, &rec, &err));
		CHECK(rec.payload_len == sizeof(big) && !memcmp(rec.payload, big, sizeof(big)));
		archive_warc_record_release(&rec);
	}
	CHECK_OK(archive_warc_close(&w, &err));
	CHECK(w == NULL);
	CHECK_OK(archive_warc_close(&w, &err)); /* NULL is fine */

	/* A flipped byte inside the second response frame. */
	snprintf(copy, sizeof(copy), "%s/corrupt.warc.zst", dir);
	copy_file(path, copy);
	{
		FILE *f = fopen(copy, "r+b");
		int c;

		fseek(f, (long)(loc[1].offset + loc[1].length / 2), SEEK_SET);
		c = fgetc(f);
		fseek(f, (long)(loc[1].offset + loc[1].length / 2), SEEK_SET);
		fputc(c ^ 0x55, f);
		fclose(f);
	}
	CHECK(archive_warc_read(NULL, copy, loc[1].offset, loc[1].length, 0, &rec, &err) ==
	      VIGIL_ERR_CORRUPT);
	CHECK_CONTAINS(err.message, copy);
	snprintf(cmd, sizeof(cmd), "offset %llu", (unsigned long long)loc[1].offset);
	CHECK_CONTAINS(err.message, cmd);
	CHECK_OK(archive_warc_read(NULL, copy, loc[2].offset, loc[2].length, 0, &rec, &err));
	archive_warc_record_release(&rec);
	memset(&walk, 0, sizeof(walk));
	CHECK(archive_warc_each(copy, visit, &walk, &err) == VIGIL_ERR_CORRUPT);
	CHECK(walk.count == 9); /* all but the damaged one */
	CHECK_CONTAINS(err.message, cmd);

	/* A truncated tail: every complete record is visited, then the error. */
	copy_file(path, copy);
	CHECK(truncate(copy, file_size(copy) - 10) == 0);
	memset(&walk, 0, sizeof(walk));
	CHECK(archive_warc_each(copy, visit, &walk, &err) == VIGIL_ERR_CORRUPT);
	CHECK(walk.count == 9);
	snprintf(cmd, sizeof(cmd), "offset %llu", (unsigned long long)loc[4].offset);
	CHECK_CONTAINS(err.message, cmd);

	/* Not zstd at all. */
	{
		FILE *f = fopen(copy, "wb");

		fputs("WARC/1.1\r\nplain text\r\n", f);
		fclose(f);
	}
	CHECK(archive_warc_each(copy, visit, &walk, &err) == VIGIL_ERR_CORRUPT);

	for (int i = 0; i < 5; i++)
		archive_warc_location_release(&loc[i]);
	archive_warc_location_release(&loc[0]);
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	test_head_line_ends();
	test_revisit();
	CHECK_DONE();
}
