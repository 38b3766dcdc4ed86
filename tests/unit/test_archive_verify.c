/* test_archive_verify.c: archive_verify on a good archive and on each kind
 * of damage: a flipped byte in a compressed frame, a flipped payload byte in
 * a frame that still decodes (with and without a fixed block digest), a file
 * cut mid-frame, captures pointing at the wrong place, a missing or empty
 * index; and that verify writes nothing. */
#include "check.h"
#include "../../archive/archive.h"

#include <dirent.h>
#include <ftw.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

static char dir[64];

struct sample {
	char data[128];      /* data directory */
	char rel[512];       /* the WARC file, relative to data */
	char abs[700];
	uint64_t response_offset[3], response_length[3];
	uint64_t request_offset[3];
	int64_t capture_id[4];
};

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static const char *const urls[3] = { "https://example.kz/news/1", "https://example.kz/news/2",
				     "https://example.kz/news/3" };

/* A data directory with one WARC file of three exchanges, their captures,
 * and a fourth capture of news/1 stored without its payload. */
static int make_sample(struct sample *s, const char *name)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: example.kz\r\n\r\n";
	static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n";
	struct archive_store *store = NULL;
	struct archive_warc_writer *w = NULL;
	struct vigil_error err = { 0 };
	int64_t source_id = 0;
	int ok = 1;

	memset(s, 0, sizeof(*s));
	snprintf(s->data, sizeof(s->data), "%s/%s", dir, name);
	if (archive_data_init(s->data, &err) || archive_store_open(s->data, &store, &err) ||
	    archive_source_sync(store, "demo", "https://example.kz/", "site", &source_id, &err) ||
	    archive_warc_open(s->data, "demo", "vigil-test", &w, &err)) {
		fprintf(stderr, "sample: %s\n", err.message);
		archive_store_close(&store);
		return 0;
	}
	for (int i = 0; i < 3 && ok; i++) {
		char body[600];
		struct archive_warc_location loc = { 0 };
		struct archive_http_exchange ex = { urls[i], NULL, 1713398400 + i, req, sizeof(req) - 1,
						    head, sizeof(head) - 1, body, 0, NULL, 0 };
		struct archive_capture c = { 0 };

		ex.body_len = (size_t)snprintf(body, sizeof(body),
					       "<html><body><p>Статья %d о правозащитниках. %s</p>"
					       "</body></html>", i + 1,
					       "Текст статьи, чтобы кадр был не совсем крошечным.");
		if (archive_warc_write_exchange(w, &ex, &loc, &err)) {
			ok = 0;
			break;
		}
		snprintf(s->rel, sizeof(s->rel), "%s", loc.path);
		s->response_offset[i] = loc.offset;
		s->response_length[i] = loc.length;
		c.source_id = source_id;
		c.url = (char *)urls[i];
		c.fetched_at = ex.fetched_at;
		c.status = 200;
		c.payload_digest = loc.payload_digest;
		c.warc_path = loc.path;
		c.warc_offset = loc.offset;
		c.warc_length = loc.length;
		ok = archive_capture_add(store, &c, &err) == VIGIL_OK;
		s->capture_id[i] = c.id;
		archive_warc_location_release(&loc);
	}
	if (ok) {
		struct archive_capture first = { 0 }, again = { 0 };

		ok = archive_capture_get(store, s->capture_id[0], &first, &err) == VIGIL_OK;
		again.source_id = source_id;
		again.url = (char *)urls[0];
		again.fetched_at = 1713398500;
		again.status = 200;
		again.payload_digest = first.payload_digest;
		again.payload_capture_id = s->capture_id[0];
		ok = ok && archive_capture_add(store, &again, &err) == VIGIL_OK;
		s->capture_id[3] = again.id;
		archive_capture_release(&first);
	}
	if (archive_warc_close(&w, &err))
		ok = 0;
	archive_store_close(&store);
	snprintf(s->abs, sizeof(s->abs), "%s/%s", s->data, s->rel);
	if (!ok)
		fprintf(stderr, "sample: %s\n", err.message);
	return ok;
}

struct offsets {
	uint64_t offset[16], length[16];
	char type[16][16];
	int count;
};

static int collect(const struct archive_warc_record *r, uint64_t offset, uint64_t length,
		   void *context)
{
	struct offsets *o = context;

	if (o->count < 16) {
		o->offset[o->count] = offset;
		o->length[o->count] = length;
		snprintf(o->type[o->count], sizeof(o->type[0]), "%s", r->type);
	}
	o->count++;
	return 0;
}

static int add_capture(const struct sample *s, const char *url, int status, const char *digest,
		       uint64_t offset, uint64_t length)
{
	struct archive_store *store = NULL;
	struct vigil_error err = { 0 };
	struct archive_capture c = { 0 };
	int ok;

	c.url = (char *)url;
	c.fetched_at = 1713399000;
	c.status = status;
	c.payload_digest = (char *)digest;
	c.warc_path = (char *)s->rel;
	c.warc_offset = offset;
	c.warc_length = length;
	ok = archive_store_open(s->data, &store, &err) == VIGIL_OK &&
	     archive_capture_add(store, &c, &err) == VIGIL_OK;
	if (!ok)
		fprintf(stderr, "add_capture: %s\n", err.message);
	archive_store_close(&store);
	return ok;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)n + 1);
	if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
		free(data);
		data = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return data;
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

/* Decompress the frame at offset, change one payload byte, optionally fix
 * the block digest, compress again and put it back in place (it is the
 * file's last frame, so nothing after it moves). */
static int rewrite_payload(const struct sample *s, uint64_t offset, uint64_t length,
			   int fix_block_digest)
{
	size_t len, plain_len;
	char *file = read_file(s->abs, &len), *plain, *frame, *mark;
	unsigned long long size;
	size_t framed;

	if (!file || offset + length != len)
		return 0;
	size = ZSTD_getFrameContentSize(file + offset, length);
	plain = malloc(size + 1);
	plain_len = ZSTD_decompress(plain, size, file + offset, length);
	if (ZSTD_isError(plain_len))
		return 0;
	plain[plain_len] = '\0';
	mark = strstr(plain, "Статья");
	if (!mark)
		return 0;
	mark[0] ^= 0x01; /* "Статья" no longer */
	if (fix_block_digest) {
		char digest[38], *field = strstr(plain, "WARC-Block-Digest: ");
		char *block_start = strstr(plain, "\r\n\r\n") + 4;
		size_t block_len = plain_len - (size_t)(block_start - plain) - 4;

		vigil_sha1_digest(block_start, block_len, digest);
		memcpy(field + strlen("WARC-Block-Digest: "), digest, 37);
	}
	frame = malloc(ZSTD_compressBound(plain_len));
	framed = ZSTD_compress(frame, ZSTD_compressBound(plain_len), plain, plain_len, 3);
	if (ZSTD_isError(framed))
		return 0;
	{
		char *joined = malloc(offset + framed);

		memcpy(joined, file, offset);
		memcpy(joined + offset, frame, framed);
		write_file(s->abs, joined, offset + framed);
		free(joined);
	}
	free(frame);
	free(plain);
	free(file);
	return 1;
}

/* Every file below path with its size and mtime, to prove nothing changed. */
static void snapshot(const char *path, char *out, size_t size)
{
	DIR *d = opendir(path);
	struct dirent *e;
	size_t used = strlen(out);

	while (d && (e = readdir(d))) {
		char child[1024];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
		if (lstat(child, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			snapshot(child, out, size);
			used = strlen(out);
			continue;
		}
		used += (size_t)snprintf(out + used, size > used ? size - used : 0, "%s %lld %lld.%09ld\n",
					 child, (long long)st.st_size, (long long)st.st_mtim.tv_sec,
					 st.st_mtim.tv_nsec);
	}
	if (d)
		closedir(d);
}

/* Write a revisit of response i of the sample into a new WARC file of the
 * sample's data directory, claiming payload digest digest (NULL: the
 * response's own), and add its capture with payload capture payload_of
 * (a sample capture index). loc receives the revisit's place. */
static int add_revisit(const struct sample *s, int i, const char *digest, int payload_of,
		       struct archive_warc_location *loc)
{
	static const char head[] = "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n";
	struct archive_warc_record stored = { 0 };
	struct archive_store *store = NULL;
	struct archive_warc_writer *w = NULL;
	struct archive_capture c = { 0 }, orig = { 0 };
	struct vigil_error err = { 0 };
	struct archive_http_exchange ex = { 0 };
	struct archive_http_revisit rv = { 0 };
	int ok;

	ok = archive_warc_read(s->data, s->rel, s->response_offset[i], s->response_length[i], 0,
			       &stored, &err) == VIGIL_OK &&
	     archive_store_open(s->data, &store, &err) == VIGIL_OK &&
	     archive_capture_get(store, s->capture_id[payload_of], &orig, &err) == VIGIL_OK &&
	     archive_warc_open(s->data, "demo", "vigil-test", &w, &err) == VIGIL_OK;
	ex.url = urls[i];
	ex.fetched_at = 1713400000;
	ex.response_head = head;
	ex.response_head_len = sizeof(head) - 1;
	rv.exchange = &ex;
	rv.refers_to = stored.record_id;
	rv.refers_to_uri = stored.target_uri;
	rv.refers_to_date = stored.date;
	rv.payload_digest = digest ? digest : stored.payload_digest;
	ok = ok && archive_warc_write_revisit(w, &rv, loc, &err) == VIGIL_OK &&
	     archive_warc_close(&w, &err) == VIGIL_OK;
	c.url = (char *)urls[i];
	c.fetched_at = ex.fetched_at;
	c.status = 304;
	c.payload_digest = (char *)rv.payload_digest;
	c.payload_capture_id = orig.id;
	c.warc_path = loc->path;
	c.warc_offset = loc->offset;
	c.warc_length = loc->length;
	ok = ok && archive_capture_add(store, &c, &err) == VIGIL_OK;
	if (!ok)
		fprintf(stderr, "add_revisit: %s\n", err.message);
	if (w)
		(void)archive_warc_close(&w, &err);
	archive_capture_release(&orig);
	archive_warc_record_release(&stored);
	archive_store_close(&store);
	return ok;
}

int main(void)
{
	struct archive_verify_result r;
	struct vigil_error err = { 0 };
	struct sample s;
	struct offsets o;
	char before[8192], after[8192], index_path[300];

	snprintf(dir, sizeof(dir), "/tmp/vigil-verify-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}

	/* ---- a good archive ---- */
	CHECK(make_sample(&s, "good"));
	before[0] = after[0] = '\0';
	snapshot(s.data, before, sizeof(before));
	CHECK_OK(archive_verify(s.data, NULL, 0, &r, &err));
	CHECK(r.files == 1);
	CHECK(r.records == 7); /* warcinfo + 3 x (request, response) */
	CHECK(r.captures == 4);
	CHECK(r.problems == 0);
	CHECK(r.first_offset == -1 && r.first_file[0] == '\0');
	/* Verify writes nothing, not even a -wal or -shm file. */
	snapshot(s.data, after, sizeof(after));
	CHECK_STR(after, before);
	/* One file by its path relative to the data directory. */
	{
		const char *files[1] = { s.rel };

		CHECK_OK(archive_verify(s.data, files, 1, &r, &err));
		CHECK(r.files == 1 && r.captures == 3);
	}

	/* ---- a crawl killed between creating a WARC file and its first
	 * record leaves 0 bytes: nothing lost, verify passes; one byte in
	 * such a file is a problem ---- */
	CHECK(make_sample(&s, "empty"));
	{
		char empty[800];
		size_t cut = strlen(s.abs) - strlen(".warc.zst");

		CHECK(strcmp(s.abs + cut, ".warc.zst") == 0);
		snprintf(empty, sizeof(empty), "%.*s-killed.warc.zst", (int)cut, s.abs);
		write_file(empty, "", 0);
		CHECK_OK(archive_verify(s.data, NULL, 0, &r, &err));
		CHECK(r.files == 2 && r.records == 7 && r.problems == 0);
		write_file(empty, "x", 1);
		CHECK(archive_verify(s.data, NULL, 0, &r, &err) == VIGIL_ERR_CORRUPT);
		CHECK(r.problems == 1);
		CHECK_CONTAINS(r.first_file, "-killed.warc.zst");
	}

	/* ---- a byte flipped inside a compressed frame ---- */
	CHECK(make_sample(&s, "flip"));
	{
		size_t len;
		char *file = read_file(s.abs, &len);
		uint64_t at = s.response_offset[1] + s.response_length[1] / 2;

		file[at] ^= 0x20;
		write_file(s.abs, file, len);
		free(file);
	}
	CHECK(archive_verify(s.data, NULL, 0, &r, &err) == VIGIL_ERR_CORRUPT);
	CHECK_STR(r.first_file, s.rel);
	CHECK(r.first_offset == (int64_t)s.response_offset[1]);
	CHECK(!strncmp(err.message, s.rel, strlen(s.rel)));
	{
		char expect[64];

		snprintf(expect, sizeof(expect), ": offset %llu: ",
			 (unsigned long long)s.response_offset[1]);
		CHECK_CONTAINS(err.message, expect);
	}
	CHECK_CONTAINS(err.message, "zstd");
	CHECK(r.records == 6);
	/* The bad frame and the capture that points at it. */
	CHECK(r.problems == 2);

	/* ---- a payload byte changed, the frame compressed again ---- */
	CHECK(make_sample(&s, "payload"));
	CHECK(rewrite_payload(&s, s.response_offset[2], s.response_length[2], 0));
	CHECK(archive_verify(s.data, NULL, 0, &r, &err) == VIGIL_ERR_CORRUPT);
	CHECK_STR(r.first_file, s.rel);
	CHECK(r.first_offset == (int64_t)s.response_offset[2]);
	CHECK_CONTAINS(err.message, "WARC-Block-Digest mismatch");
	/* ... and with the block digest made to fit: the payload digest catches it. */
	CHECK(make_sample(&s, "payload2"));
	CHECK(rewrite_payload(&s, s.response_offset[2], s.response_length[2], 1));
	CHECK(archive_verify(s.data, NULL, 0, &r, &err) == VIGIL_ERR_CORRUPT);
	CHECK_STR(r.first_file, s.rel);
	CHECK(r.first_offset == (int64_t)s.response_offset[2]);
	CHECK_CONTAINS(err.message, "WARC-Payload-Digest mismatch");

	/* ---- the file cut in the middle of its last frame ---- */
	CHECK(make_sample(&s, "cut"));
	CHECK(truncate(s.abs, (off_t)(s.response_offset[2] + s.response_length[2] / 2)) == 0);
	CHECK(archive_verify(s.data, NULL, 0, &r, &err) == VIGIL_ERR_CORRUPT);
	CHECK_STR(r.first_file, s.rel);
	CHECK(r.first_offset == (int64_t)s.response_offset[2]);
	CHECK_CONTAINS(err.message, "truncated");
	CHECK(r.records == 6);

	/* ---- captures pointing at the wrong place ---- */
	CHECK(make_sample(&s, "offset"));
	memset(&o, 0, sizeof(o));
	CHECK_OK(archive_warc_each(s.abs, collect, &o, &err));
	CHECK(o.count == 7 && !strcmp(o.type[3], "request") && o.offset[4] == s.response_offset[1]);
	{
		struct archive_capture good = { 0 };
		struct archive_store *store = NULL;

		CHECK_OK(archive_store_open(s.data, &store, &err));
		CHECK_OK(archive_capture_get(store, s.capture_id[1], &good, &err));
		archive_store_close(&store);
		/* Not on a frame boundary. */
		CHECK(add_capture(&s, urls[1], 200, good.payload_digest, s.response_offset[1] + 1,
				  s.response_length[1]));
		CHECK(archive_verify(s.data, NULL, 0, &r, &err) == VIGIL_ERR_CORRUPT);
		CHECK_STR(r.first_file, s.rel);
		CHECK(r.first_offset == (int64_t)s.response_offset[1] + 1);
		CHECK_CONTAINS(err.message, "no whole, good record starts at this offset");
		CHECK(r.problems == 1);

		/* On a boundary, but the request record's. */
		CHECK(make_sample(&s, "offset2"));
		memset(&o, 0, sizeof(o));
		CHECK_OK(archive_warc_each(s.abs, collect, &o, &err));
		CHECK(add_capture(&s, urls[1], 200, good.payload_digest, o.offset[3], o.length[3]));
		CHECK(archive_verify(s.data, NULL, 0, &r, &err) == VIGIL_ERR_CORRUPT);
		CHECK(r.first_offset == (int64_t)o.offset[3]);
		CHECK_CONTAINS(err.message, "a request record, not a response");

		/* Another URL's response. */
		CHECK(make_sample(&s, "offset3"));
		CHECK(add_capture(&s, urls[0], 200, good.payload_digest, s.response_offset[1],
				  s.response_length[1]));
		CHECK(archive_verify(s.data, NULL, 0, &r, &err) == VIGIL_ERR_CORRUPT);
		CHECK(r.first_offset == (int64_t)s.response_offset[1]);
		CHECK_CONTAINS(err.message, "the record here is for https://example.kz/news/2");

		/* Right place, wrong digest. */
		CHECK(make_sample(&s, "offset4"));
		CHECK(add_capture(&s, urls[1], 200, "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
				  s.response_offset[1], s.response_length[1]));
		CHECK(archive_verify(s.data, NULL, 0, &r, &err) == VIGIL_ERR_CORRUPT);
		CHECK_CONTAINS(err.message, "payload digest sha1:AAAA");

		/* A file that is not there. */
		CHECK(make_sample(&s, "offset5"));
		snprintf(s.rel, sizeof(s.rel), "warc/demo/missing.warc.zst");
		CHECK(add_capture(&s, urls[1], 200, good.payload_digest, 0, 100));
		CHECK(archive_verify(s.data, NULL, 0, &r, &err) == VIGIL_ERR_NOT_FOUND);
		CHECK_STR(r.first_file, "warc/demo/missing.warc.zst");
		CHECK_CONTAINS(err.message, "warc/demo/missing.warc.zst: offset 0: capture");
		archive_capture_release(&good);
	}

	/* ---- the index missing, or empty ---- */
	CHECK(make_sample(&s, "noindex"));
	snprintf(index_path, sizeof(index_path), "%s/index.sqlite", s.data);
	CHECK(unlink(index_path) == 0);
	CHECK(archive_verify(s.data, NULL, 0, &r, &err) == VIGIL_ERR_NOT_FOUND);
	CHECK_STR(r.first_file, "index.sqlite");
	CHECK_CONTAINS(err.message, "vigil archive reindex");
	CHECK(r.records == 7);
	write_file(index_path, "", 0);
	CHECK(archive_verify(s.data, NULL, 0, &r, &err) == VIGIL_ERR_DATABASE);
	CHECK_STR(r.first_file, "index.sqlite");
	CHECK_CONTAINS(err.message, "vigil archive reindex");
	{
		struct stat st;

		CHECK(stat(index_path, &st) == 0 && st.st_size == 0); /* still empty */
	}

	/* ---- a redirected, truncated fetch: keyed by the URL asked for ---- */
	{
		static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n";
		struct archive_http_exchange ex = { "https://example.kz/final", NULL, 1713398400, NULL,
						    0, head, sizeof(head) - 1, "<p>cut", 6,
						    "https://example.kz/start", 1 };
		struct archive_warc_location loc = { 0 };
		struct archive_warc_record rec = { 0 };
		struct archive_capture c = { 0 };
		struct archive_store *store = NULL;
		struct archive_warc_writer *w = NULL;
		char data[128], *value;

		snprintf(data, sizeof(data), "%s/redirect", dir);
		CHECK_OK(archive_data_init(data, &err));
		CHECK_OK(archive_warc_open(data, "demo", "vigil-test", &w, &err));
		CHECK_OK(archive_warc_write_exchange(w, &ex, &loc, &err));
		CHECK_OK(archive_warc_close(&w, &err));
		CHECK_OK(archive_warc_read(data, loc.path, loc.offset, loc.length, 0, &rec, &err));
		CHECK_STR(rec.target_uri, "https://example.kz/final");
		value = archive_warc_field(&rec, "vigil-requested-uri"); /* caseless */
		CHECK_STR(value, "https://example.kz/start");
		free(value);
		value = archive_warc_field(&rec, "WARC-Truncated");
		CHECK_STR(value, "length");
		free(value);
		CHECK(archive_warc_field(&rec, "WARC-Nothing") == NULL);
		archive_warc_record_release(&rec);
		c.url = "https://example.kz/start";
		c.fetched_at = 1713398400;
		c.status = 200;
		c.payload_digest = loc.payload_digest;
		c.warc_path = loc.path;
		c.warc_offset = loc.offset;
		c.warc_length = loc.length;
		CHECK_OK(archive_store_open(data, &store, &err));
		CHECK_OK(archive_capture_add(store, &c, &err));
		archive_store_close(&store);
		CHECK_OK(archive_verify(data, NULL, 0, &r, &err));
		CHECK(r.captures == 1 && r.records == 2);
		archive_warc_location_release(&loc);
	}

	/* ---- archive_warc_list, archive_store_create, archive_store_check ---- */
	{
		char **paths = NULL, fresh[300];
		size_t count = 0;
		struct archive_store *store = NULL;
		FILE *f;

		CHECK(make_sample(&s, "good2"));
		CHECK_OK(archive_warc_list(s.data, &paths, &count, &err));
		CHECK(count == 1 && paths && !strcmp(paths[0], s.rel));
		for (size_t i = 0; i < count; i++)
			free(paths[i]);
		free(paths);
		CHECK_OK(archive_warc_list(dir, &paths, &count, &err)); /* no DATA/warc */
		CHECK(count == 0);
		free(paths);

		snprintf(index_path, sizeof(index_path), "%s/index.sqlite", s.data);
		CHECK_OK(archive_store_check(index_path, &err));
		CHECK(archive_store_create(index_path, &store, &err) == VIGIL_ERR_USAGE);
		CHECK(store == NULL);
		snprintf(fresh, sizeof(fresh), "%s/index.sqlite.new", s.data);
		CHECK(archive_store_check(fresh, &err) == VIGIL_ERR_NOT_FOUND);
		write_file(fresh, "", 0);
		CHECK(archive_store_check(fresh, &err) == VIGIL_ERR_DATABASE);
		CHECK_CONTAINS(err.message, "empty");
		CHECK(archive_store_create(fresh, &store, &err) == VIGIL_ERR_USAGE);
		CHECK(unlink(fresh) == 0);
		CHECK_OK(archive_store_create(fresh, &store, &err));
		archive_store_close(&store);
		CHECK_OK(archive_store_check(fresh, &err));
		f = fopen(fresh, "r+b");
		if (f) {
			char junk[4096];

			memset(junk, 0x5A, sizeof(junk));
			fseek(f, 4096, SEEK_SET);
			fwrite(junk, 1, sizeof(junk), f);
			fclose(f);
		}
		CHECK(archive_store_check(fresh, &err) == VIGIL_ERR_DATABASE);
		/* Checking creates nothing beside the file. */
		snprintf(fresh, sizeof(fresh), "%s/index.sqlite.new-wal", s.data);
		CHECK(access(fresh, F_OK) != 0);
	}

	/* ---- revisit records ---- */
	{
		struct archive_warc_location loc = { 0 };

		/* a good one: refers to response 0, its capture to capture 0 */
		CHECK(make_sample(&s, "revisit"));
		CHECK(add_revisit(&s, 0, NULL, 0, &loc));
		CHECK_OK(archive_verify(s.data, NULL, 0, &r, &err));
		/* 7 + the second file's warcinfo and revisit */
		CHECK(r.files == 2 && r.records == 9 && r.captures == 5 && r.problems == 0);
		archive_warc_location_release(&loc);

		/* a revisit claiming another payload than the record it refers to */
		CHECK(make_sample(&s, "revisit_digest"));
		CHECK(add_revisit(&s, 1, "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 1, &loc));
		CHECK(archive_verify(s.data, NULL, 0, &r, &err) == VIGIL_ERR_CORRUPT);
		CHECK_CONTAINS(err.message, "a response record with another payload digest");
		CHECK_STR(r.first_file, loc.path);
		archive_warc_location_release(&loc);

		/* its capture names a payload capture of another digest */
		CHECK(make_sample(&s, "revisit_capture"));
		CHECK(add_revisit(&s, 0, NULL, 2, &loc));
		CHECK(archive_verify(s.data, NULL, 0, &r, &err) == VIGIL_ERR_CORRUPT);
		CHECK_CONTAINS(err.message, "is not an earlier capture with the same payload digest");
		archive_warc_location_release(&loc);
	}

	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	CHECK_DONE();
}
