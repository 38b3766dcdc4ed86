/*
 * archive_warc_fuzzer.c: the WARC reader (archive_warc_each walking a
 * .warc.zst file, archive_warc_read reading one frame) on a file made from
 * the input. The first byte picks the form:
 *   bit 0 clear: the rest is the file as it is (zstd frames, or garbage);
 *   bit 0 set:   the rest is uncompressed WARC text, cut before every
 *                "WARC/1." at a line start, each piece compressed into its
 *                own zstd frame (as the writer does), so the fuzzer works on
 *                record syntax instead of zstd's;
 *   bit 1 set:   a zstd skippable frame goes first (readers must skip it).
 * Checks: every record has a type and a NUL-terminated block; the HTTP
 * head and payload lie inside the block and end where it ends; the status
 * is 100..999; archive_warc_read of the frame gives the same record; a
 * failure has a message.
 */
#include "fuzz_check.h"

#include "../archive/archive.h"

#include <zstd.h>

struct warc_visit {
	const char *path;
	size_t records;
};

static void check_record(const struct archive_warc_record *r)
{
	FUZZ_CHECK(r->type && r->header && r->block && r->block[r->block_len] == '\0');
	if (r->http_head) {
		FUZZ_CHECK(r->http_head == r->block && r->http_head_len <= r->block_len);
		FUZZ_CHECK(r->payload == r->block + r->http_head_len);
		FUZZ_CHECK(r->payload + r->payload_len == r->block + r->block_len);
		FUZZ_CHECK(r->http_status >= 100 && r->http_status <= 999);
	} else {
		FUZZ_CHECK(!r->payload && !r->payload_len && !r->http_status);
	}
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int visit(const struct archive_warc_record *record, uint64_t offset, uint64_t length,
		 void *context)
{
	struct warc_visit *v = context;
	struct archive_warc_record again;
	struct vigil_error err = { 0 };

	check_record(record);
	v->records++;
	FUZZ_CHECK(archive_warc_read(NULL, v->path, offset, length, 0, &again, &err) == VIGIL_OK);
	check_record(&again);
	FUZZ_CHECK(same(again.type, record->type) && same(again.target_uri, record->target_uri) &&
		   same(again.record_id, record->record_id) && same(again.date, record->date) &&
		   same(again.payload_digest, record->payload_digest));
	FUZZ_CHECK(again.block_len == record->block_len &&
		   memcmp(again.block, record->block, record->block_len) == 0);
	FUZZ_CHECK(again.http_status == record->http_status &&
		   again.http_head_len == record->http_head_len);
	archive_warc_record_release(&again);
	FUZZ_CHECK(!again.type && !again.block);
	archive_warc_record_release(&again);
	return 0;
}

static int append(unsigned char **file, size_t *len, size_t *cap, const void *data, size_t n)
{
	if (*len + n > *cap) {
		size_t grown = (*len + n) * 2;
		unsigned char *p = realloc(*file, grown);

		if (!p)
			return 0;
		*file = p;
		*cap = grown;
	}
	memcpy(*file + *len, data, n);
	*len += n;
	return 1;
}

static int append_frame(unsigned char **file, size_t *len, size_t *cap, const void *src, size_t n)
{
	size_t bound = ZSTD_compressBound(n), got;
	void *frame = malloc(bound);
	int ok;

	if (!frame)
		return 0;
	got = ZSTD_compress(frame, bound, src, n, 1);
	ok = !ZSTD_isError(got) && append(file, len, cap, frame, got);
	free(frame);
	return ok;
}

/* The uncompressed text as one zstd frame per record. */
static int compress_records(const unsigned char *data, size_t size, unsigned char **file,
			    size_t *len, size_t *cap)
{
	size_t start = 0;

	for (size_t i = 1; i <= size; i++) {
		if (i < size && !(data[i - 1] == '\n' && size - i >= 7 &&
				  memcmp(data + i, "WARC/1.", 7) == 0))
			continue;
		if (!append_frame(file, len, cap, data + start, i - start))
			return 0;
		start = i;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const unsigned char skippable[] = { 0x50, 0x2A, 0x4D, 0x18, 4, 0, 0, 0,
						   'v', 'i', 'g', 'l' };
	struct warc_visit v = { NULL, 0 };
	struct vigil_error err = { 0 };
	unsigned char *file = NULL, mode;
	size_t len = 0, cap = 0;
	char path[64];
	enum vigil_code code;
	int fd, ok = 1;

	if (size == 0 || size > 1 << 20)
		return 0;
	mode = data[0];
	data++;
	size--;
	if (mode & 2)
		ok = append(&file, &len, &cap, skippable, sizeof(skippable));
	if (ok && (mode & 1) && size)
		ok = compress_records(data, size, &file, &len, &cap);
	else if (ok && size)
		ok = append(&file, &len, &cap, data, size);
	if (!ok) {
		free(file);
		return 0;
	}
	fd = fuzz_memory_file(file, len, path, sizeof(path));
	free(file);
	if (fd < 0)
		return 0;
	v.path = path;
	code = archive_warc_each(path, visit, &v, &err);
	FUZZ_CHECK(code == VIGIL_OK || (err.code == code && err.message[0]));
	close(fd);
	return 0;
}
