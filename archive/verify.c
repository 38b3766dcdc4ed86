/*
 * verify.c: `vigil archive verify`, the archive checking itself.
 *
 * Two passes. First every WARC file is walked frame by frame
 * (archive_warc_each decodes each zstd frame, checks its XXH64 checksum,
 * parses the record and checks WARC-Block-Digest); here the payload digest
 * is checked as well and every good record's place is remembered. Then the
 * captures of the index, opened read-only, are matched against those
 * places: a capture must name the offset and length of a whole response
 * record whose target URI, status and payload digest are its own. Nothing
 * is written anywhere: a damaged archive is evidence and stays as found.
 *
 * The index keeps no WARC-Record-ID per capture, so "the right record" is
 * decided by position, target URI, status and payload digest together.
 */
#include "archive_int.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct walked_record {
	uint64_t offset;
	uint64_t length;
	int http_status;
	char *type;
	char *target_uri;
	char *requested_uri; /* Vigil-Requested-URI, after a redirect */
	char *payload_digest;
	char *record_id;
	char *refers_to;     /* revisit records: WARC-Refers-To */
};

struct walked_file {
	char *rel;         /* relative to the data directory when inside it */
	char *path;        /* as opened */
	struct walked_record *records; /* in file order, so sorted by offset */
	size_t count, cap;
};

struct known_capture {
	int64_t id;
	char *payload_digest;
};

/* The first problem of one file: the lowest offset wins, so a digest
 * mismatch seen while walking does not hide an earlier bad frame reported
 * at the end of the walk. */
struct file_problem {
	int set;
	int64_t offset;
	enum vigil_code code;
	char message[VIGIL_ERROR_MAX];
};

struct verify_state {
	const char *data_dir;
	char data_real[PATH_MAX];
	struct archive_verify_result *out;
	struct vigil_error first;
	struct walked_file *files;
	size_t file_count, file_cap;
	int listed_only;            /* FILE arguments were given */
	struct known_capture *known;
	size_t known_count, known_cap;
	struct walked_file *current;
	struct file_problem current_problem;
	int nomem;
};

/* ---------------- problems ---------------- */

/* Keep where and what of the first problem; later ones are only counted. */
static void set_first(struct verify_state *v, const char *file, int64_t offset,
		      enum vigil_code code, const char *what)
{
	if (v->first.code)
		return;
	snprintf(v->out->first_file, sizeof(v->out->first_file), "%s", file);
	v->out->first_offset = offset;
	if (offset >= 0)
		vigil_error_set(&v->first, code, "%s: offset %" PRId64 ": %s", file, offset, what);
	else
		vigil_error_set(&v->first, code, "%s: %s", file, what);
}

static void problem(struct verify_state *v, const char *file, int64_t offset,
		    enum vigil_code code, const char *fmt, ...) VIGIL_PRINTF(5, 6);
static void problem(struct verify_state *v, const char *file, int64_t offset,
		    enum vigil_code code, const char *fmt, ...)
{
	char what[VIGIL_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	v->out->problems++;
	set_first(v, file, offset, code, what);
}

/* A problem inside the file being walked: counted now, and kept as the
 * file's first when its offset is the lowest so far. */
static void file_problem(struct verify_state *v, int64_t offset, enum vigil_code code,
			 const char *what)
{
	struct file_problem *p = &v->current_problem;

	v->out->problems++;
	if (p->set && p->offset <= offset)
		return;
	p->set = 1;
	p->offset = offset;
	p->code = code;
	snprintf(p->message, sizeof(p->message), "%s", what);
}

/* ---------------- helpers ---------------- */

static int is_warc_file(const char *name)
{
	size_t n = strlen(name);

	return n > 9 && strcmp(name + n - 9, ".warc.zst") == 0;
}

static int compare_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The path relative to the data directory when it lies inside it. */
static char *relative_name(const struct verify_state *v, const char *path)
{
	char real[PATH_MAX];
	size_t n = strlen(v->data_real);

	if (n && realpath(path, real) && strncmp(real, v->data_real, n) == 0 && real[n] == '/')
		return strdup(real + n + 1);
	return strdup(path);
}

/* Every *.warc.zst below dir, appended to a growing list. */
static enum vigil_code list_warc_files(const char *dir, char ***list, size_t *count,
				       size_t *cap, struct vigil_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	enum vigil_code code = VIGIL_OK;

	if (!d)
		return errno == ENOENT ? VIGIL_OK
				       : vigil_error_set(err, VIGIL_ERR_IO, "cannot read directory %s: %s",
							 dir, strerror(errno));
	while (!code && (e = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path) ||
		    lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			code = list_warc_files(path, list, count, cap, err);
		} else if (S_ISREG(st.st_mode) && is_warc_file(e->d_name)) {
			if (*count == *cap) {
				size_t grown_cap = *cap ? *cap * 2 : 16;
				char **grown = realloc(*list, grown_cap * sizeof(**list));

				if (!grown) {
					code = vigil_error_set(err, VIGIL_ERR_NOMEM,
							       "out of memory listing %s", dir);
					break;
				}
				*list = grown;
				*cap = grown_cap;
			}
			if (!((*list)[*count] = strdup(path)))
				code = vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory listing %s",
						       dir);
			else
				(*count)++;
		}
	}
	closedir(d);
	return code;
}

enum vigil_code archive_warc_list(const char *data_dir, char ***paths, size_t *count,
				  struct vigil_error *err)
{
	char warc_dir[PATH_MAX];
	size_t cap = 0, skip = strlen(data_dir) + 1;
	enum vigil_code code;

	*paths = NULL;
	*count = 0;
	if (snprintf(warc_dir, sizeof(warc_dir), "%s/warc", data_dir) >= (int)sizeof(warc_dir))
		return vigil_error_set(err, VIGIL_ERR_USAGE, "data directory '%s': path too long",
				       data_dir);
	code = list_warc_files(warc_dir, paths, count, &cap, err);
	for (size_t i = 0; i < *count && !code; i++)
		memmove((*paths)[i], (*paths)[i] + skip, strlen((*paths)[i] + skip) + 1);
	if (code) {
		for (size_t i = 0; i < *count; i++)
			free((*paths)[i]);
		free(*paths);
		*paths = NULL;
		*count = 0;
		return code;
	}
	if (*count)
		qsort(*paths, *count, sizeof(**paths), compare_paths);
	return VIGIL_OK;
}

/* The target URI as the writer puts it in the header: controls, space,
 * DEL and non-ASCII bytes percent-encoded. */
static char *header_uri(const char *url)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(url), o = 0;
	char *out = malloc(3 * n + 1);

	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7F) {
			out[o++] = '%';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		} else {
			out[o++] = (char)*p;
		}
	}
	out[o] = '\0';
	return out;
}

static void walked_file_release(struct walked_file *f)
{
	for (size_t i = 0; i < f->count; i++) {
		free(f->records[i].type);
		free(f->records[i].target_uri);
		free(f->records[i].requested_uri);
		free(f->records[i].payload_digest);
		free(f->records[i].record_id);
		free(f->records[i].refers_to);
	}
	free(f->records);
	free(f->rel);
	free(f->path);
}

/* ---------------- pass 1: the WARC files ---------------- */

static int visit_record(const struct archive_warc_record *r, uint64_t offset, uint64_t length,
			void *context)
{
	struct verify_state *v = context;
	struct walked_file *f = v->current;
	struct walked_record *w;
	const char *payload = NULL;
	size_t payload_len = 0;
	int revisit = !strcmp(r->type, "revisit");

	if (revisit) {
		/* The payload is elsewhere: checked against the record it
		 * refers to once every file has been walked. */
		char *profile = archive_warc_field(r, "WARC-Profile");
		int known = profile && !strcmp(profile, ARCHIVE_REVISIT_PROFILE);

		free(profile);
		if (!known || !r->payload_digest || !r->http_head) {
			file_problem(v, (int64_t)offset, VIGIL_ERR_CORRUPT,
				     "revisit record without the identical-payload-digest profile, "
				     "a payload digest or an HTTP head");
			return 0;
		}
	} else if (r->payload_digest && r->http_head) {
		payload = r->payload;
		payload_len = r->payload_len;
	} else if (r->payload_digest && r->block) {
		/* A request with a body: the payload follows the HTTP head. */
		const char *sep = memmem(r->block, r->block_len, "\r\n\r\n", 4);

		if (sep) {
			payload = sep + 4;
			payload_len = r->block_len - (size_t)(payload - r->block);
		}
	}
	if (!revisit && r->payload_digest && !payload) {
		file_problem(v, (int64_t)offset, VIGIL_ERR_CORRUPT,
			     "WARC-Payload-Digest on a record without an HTTP payload");
		return 0;
	}
	if (payload) {
		char digest[38];

		vigil_sha1_digest(payload_len ? payload : "", payload_len, digest);
		if (strcmp(digest, r->payload_digest) != 0) {
			char what[256];

			snprintf(what, sizeof(what),
				 "WARC-Payload-Digest mismatch (%.60s in the header, %s of the payload)",
				 r->payload_digest, digest);
			file_problem(v, (int64_t)offset, VIGIL_ERR_CORRUPT, what);
			return 0;
		}
	}
	if (f->count == f->cap) {
		size_t grown_cap = f->cap ? f->cap * 2 : 64;
		struct walked_record *grown = realloc(f->records, grown_cap * sizeof(*grown));

		if (!grown) {
			v->nomem = 1;
			return 1;
		}
		f->records = grown;
		f->cap = grown_cap;
	}
	w = &f->records[f->count];
	memset(w, 0, sizeof(*w));
	w->offset = offset;
	w->length = length;
	w->http_status = r->http_status;
	w->type = strdup(r->type);
	w->target_uri = vigil_strdup(r->target_uri);
	w->requested_uri = archive_warc_field(r, "Vigil-Requested-URI");
	w->payload_digest = vigil_strdup(r->payload_digest);
	w->record_id = vigil_strdup(r->record_id);
	w->refers_to = revisit ? archive_warc_field(r, "WARC-Refers-To") : NULL;
	f->count++;
	if (!w->type || (r->target_uri && !w->target_uri) ||
	    (r->payload_digest && !w->payload_digest) || (r->record_id && !w->record_id)) {
		v->nomem = 1;
		return 1;
	}
	v->out->records++;
	return 0;
}

/* archive_warc_each says "[N bad frames, the first: ]PATH: offset N: what";
 * take the offset and the what apart so the message can name the file as
 * the user knows it. */
static void walk_failed(struct verify_state *v, const struct vigil_error *walk_err)
{
	struct walked_file *f = v->current;
	const char *at = strstr(walk_err->message, f->path);
	unsigned long long offset;
	unsigned long bad = 1;
	int used = 0;

	sscanf(walk_err->message, "%lu bad frames", &bad);
	if (at && sscanf(at + strlen(f->path), ": offset %llu: %n", &offset, &used) == 1 && used) {
		file_problem(v, (int64_t)offset, walk_err->code, at + strlen(f->path) + used);
		/* The other bad frames of the walk count too. */
		if (bad > 1)
			v->out->problems += bad - 1;
	} else {
		file_problem(v, -1, walk_err->code, walk_err->message);
	}
}

/* A crawl killed between creating its WARC file and writing the first
 * record leaves 0 bytes: nothing was archived there, so nothing is lost
 * or damaged (a file with bytes but no record is). */
static int empty_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && st.st_size == 0;
}

static enum vigil_code walk_file(struct verify_state *v, const char *path,
				 struct vigil_error *err)
{
	struct walked_file *f;
	struct vigil_error walk_err = { 0 };
	enum vigil_code code;

	if (v->file_count == v->file_cap) {
		size_t grown_cap = v->file_cap ? v->file_cap * 2 : 16;
		struct walked_file *grown = realloc(v->files, grown_cap * sizeof(*grown));

		if (!grown)
			return vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory verifying %s", path);
		v->files = grown;
		v->file_cap = grown_cap;
	}
	f = &v->files[v->file_count];
	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	f->rel = relative_name(v, path);
	if (!f->path || !f->rel) {
		walked_file_release(f);
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory verifying %s", path);
	}
	v->file_count++;
	v->out->files++;
	v->current = f;
	memset(&v->current_problem, 0, sizeof(v->current_problem));
	code = archive_warc_each(path, visit_record, v, &walk_err);
	if (v->nomem)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory verifying %s", path);
	if (code == VIGIL_ERR_NOMEM)
		return vigil_error_set(err, code, "%s", walk_err.message);
	if (code)
		walk_failed(v, &walk_err);
	else if (f->count == 0 && !empty_file(path))
		file_problem(v, -1, VIGIL_ERR_CORRUPT, "no WARC record at all");
	if (v->current_problem.set)
		set_first(v, f->rel, v->current_problem.offset, v->current_problem.code,
			  v->current_problem.message);
	v->current = NULL;
	return VIGIL_OK;
}

/* ---------------- pass 1b: revisit records ---------------- */

struct record_ref {
	const char *id;
	const struct walked_record *record;
	const struct walked_file *file;
};

static int compare_refs(const void *a, const void *b)
{
	return strcmp(((const struct record_ref *)a)->id, ((const struct record_ref *)b)->id);
}

/* Every revisit must refer to a response with the same payload digest. A
 * referred record outside the walked files is not looked for when only
 * some files were given. */
static enum vigil_code check_revisits(struct verify_state *v, struct vigil_error *err)
{
	struct record_ref *refs;
	size_t n = 0;

	for (size_t i = 0; i < v->file_count; i++)
		n += v->files[i].count;
	refs = calloc(n ? n : 1, sizeof(*refs));
	if (!refs)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory checking revisits");
	n = 0;
	for (size_t i = 0; i < v->file_count; i++)
		for (size_t j = 0; j < v->files[i].count; j++)
			if (v->files[i].records[j].record_id) {
				refs[n].id = v->files[i].records[j].record_id;
				refs[n].record = &v->files[i].records[j];
				refs[n].file = &v->files[i];
				n++;
			}
	qsort(refs, n, sizeof(*refs), compare_refs);
	for (size_t i = 0; i < v->file_count; i++) {
		for (size_t j = 0; j < v->files[i].count; j++) {
			const struct walked_record *r = &v->files[i].records[j];
			struct record_ref key = { .id = r->refers_to }, *hit;

			if (strcmp(r->type, "revisit") != 0)
				continue;
			hit = r->refers_to ? bsearch(&key, refs, n, sizeof(*refs), compare_refs) : NULL;
			if (!hit && !v->listed_only)
				problem(v, v->files[i].rel, (int64_t)r->offset, VIGIL_ERR_CORRUPT,
					"revisit record refers to %s, which no WARC file holds",
					r->refers_to ? r->refers_to : "nothing");
			else if (hit && (strcmp(hit->record->type, "response") != 0 ||
					 !hit->record->payload_digest ||
					 strcmp(hit->record->payload_digest, r->payload_digest) != 0))
				problem(v, v->files[i].rel, (int64_t)r->offset, VIGIL_ERR_CORRUPT,
					"revisit record refers to %s (%s: offset %" PRIu64
					"), a %s record with another payload digest", r->refers_to,
					hit->file->rel, hit->record->offset, hit->record->type);
		}
	}
	free(refs);
	return VIGIL_OK;
}

/* ---------------- pass 2: the captures of the index ---------------- */

static struct walked_file *find_file(struct verify_state *v, const char *rel)
{
	for (size_t i = 0; i < v->file_count; i++)
		if (strcmp(v->files[i].rel, rel) == 0)
			return &v->files[i];
	return NULL;
}

static const struct walked_record *find_record(const struct walked_file *f, uint64_t offset)
{
	size_t lo = 0, hi = f->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->records[mid].offset == offset)
			return &f->records[mid];
		if (f->records[mid].offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct known_capture *find_known(const struct verify_state *v, int64_t id)
{
	size_t lo = 0, hi = v->known_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v->known[mid].id == id)
			return &v->known[mid];
		if (v->known[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int remember_capture(struct verify_state *v, const struct archive_capture *c)
{
	if (v->known_count == v->known_cap) {
		size_t grown_cap = v->known_cap ? v->known_cap * 2 : 256;
		struct known_capture *grown = realloc(v->known, grown_cap * sizeof(*grown));

		if (!grown)
			return -1;
		v->known = grown;
		v->known_cap = grown_cap;
	}
	v->known[v->known_count].id = c->id;
	v->known[v->known_count].payload_digest = vigil_strdup(c->payload_digest);
	if (c->payload_digest && !v->known[v->known_count].payload_digest)
		return -1;
	v->known_count++;
	return 0;
}

/* A capture whose file was not walked (outside DATA/warc, or missing):
 * read its frame directly. */
static void check_unwalked(struct verify_state *v, const struct archive_capture *c,
			   struct walked_record *out, int *found)
{
	struct archive_warc_record record;
	struct vigil_error read_err = { 0 };
	enum vigil_code code;

	*found = 0;
	code = archive_warc_read(v->data_dir, c->warc_path, c->warc_offset, c->warc_length, 0,
				 &record, &read_err);
	if (code) {
		problem(v, c->warc_path, (int64_t)c->warc_offset, code, "capture %" PRId64 " (%s): %s",
			c->id, c->url, read_err.message);
		return;
	}
	if (record.payload_digest && record.http_head && strcmp(record.type, "revisit") != 0) {
		char digest[38];

		vigil_sha1_digest(record.payload_len ? record.payload : "", record.payload_len,
				  digest);
		if (strcmp(digest, record.payload_digest) != 0) {
			problem(v, c->warc_path, (int64_t)c->warc_offset, VIGIL_ERR_CORRUPT,
				"capture %" PRId64 " (%s): WARC-Payload-Digest mismatch", c->id,
				c->url);
			archive_warc_record_release(&record);
			return;
		}
	}
	out->offset = c->warc_offset;
	out->length = c->warc_length;
	out->http_status = record.http_status;
	out->type = record.type;
	out->target_uri = record.target_uri;
	out->payload_digest = record.payload_digest;
	out->requested_uri = archive_warc_field(&record, "Vigil-Requested-URI");
	record.type = record.target_uri = record.payload_digest = NULL;
	archive_warc_record_release(&record);
	*found = 1;
}

static void check_location(struct verify_state *v, const struct archive_capture *c,
			   const struct walked_record *r)
{
	char *uri = header_uri(c->url);
	const char *at = c->warc_path;
	int64_t offset = (int64_t)c->warc_offset;

	if (!uri) {
		v->nomem = 1;
		return;
	}
	if (r->length != c->warc_length)
		problem(v, at, offset, VIGIL_ERR_CORRUPT,
			"capture %" PRId64 " (%s): frame length %" PRIu64 " in the index, %" PRIu64
			" in the file", c->id, c->url, c->warc_length, r->length);
	else if (strcmp(r->type, c->payload_capture_id > 0 ? "revisit" : "response") != 0)
		problem(v, at, offset, VIGIL_ERR_CORRUPT,
			"capture %" PRId64 " (%s): the record here is a %s record, not a %s", c->id,
			c->url, r->type, c->payload_capture_id > 0 ? "revisit" : "response");
	else if ((!r->target_uri || strcmp(r->target_uri, uri) != 0) &&
		 (!r->requested_uri || strcmp(r->requested_uri, uri) != 0))
		problem(v, at, offset, VIGIL_ERR_CORRUPT,
			"capture %" PRId64 " (%s): the record here is for %s", c->id, c->url,
			r->target_uri ? r->target_uri : "no WARC-Target-URI");
	else if (r->http_status != c->status)
		problem(v, at, offset, VIGIL_ERR_CORRUPT,
			"capture %" PRId64 " (%s): status %d in the index, %d in the record", c->id,
			c->url, c->status, r->http_status);
	else if (!c->payload_digest || !r->payload_digest ||
		 strcmp(r->payload_digest, c->payload_digest) != 0)
		problem(v, at, offset, VIGIL_ERR_CORRUPT,
			"capture %" PRId64 " (%s): payload digest %s in the index, %s in the record",
			c->id, c->url, c->payload_digest ? c->payload_digest : "(none)",
			r->payload_digest ? r->payload_digest : "(none)");
	free(uri);
}

static int visit_capture(const struct archive_capture *c, void *context)
{
	struct verify_state *v = context;
	struct walked_file *f;
	const struct walked_record *r;

	if (remember_capture(v, c) != 0) {
		v->nomem = 1;
		return 1;
	}
	if (c->warc_path && c->payload_capture_id > 0 && !v->listed_only) {
		/* A revisit's capture: its payload lives in an earlier capture. */
		const struct known_capture *k = find_known(v, c->payload_capture_id);

		if (!k || !k->payload_digest || !c->payload_digest ||
		    strcmp(k->payload_digest, c->payload_digest) != 0)
			problem(v, "index.sqlite", -1, VIGIL_ERR_CORRUPT,
				"capture %" PRId64 " (%s): payload capture %" PRId64
				" is not an earlier capture with the same payload digest", c->id, c->url,
				c->payload_capture_id);
	}
	if (!c->warc_path) {
		const struct known_capture *k;

		if (v->listed_only)
			return 0;
		v->out->captures++;
		k = c->payload_capture_id > 0 ? find_known(v, c->payload_capture_id) : NULL;
		if (!k)
			problem(v, "index.sqlite", -1, VIGIL_ERR_CORRUPT,
				"capture %" PRId64 " (%s) has no WARC location and %s", c->id, c->url,
				c->payload_capture_id > 0 ? "its payload capture is not an earlier capture"
							  : "no capture holding its payload");
		else if (!k->payload_digest || !c->payload_digest ||
			 strcmp(k->payload_digest, c->payload_digest) != 0)
			problem(v, "index.sqlite", -1, VIGIL_ERR_CORRUPT,
				"capture %" PRId64 " (%s): payload capture %" PRId64
				" has another payload digest", c->id, c->url, k->id);
		return 0;
	}
	f = find_file(v, c->warc_path);
	if (!f && v->listed_only)
		return 0;
	v->out->captures++;
	if (f) {
		r = find_record(f, c->warc_offset);
		if (!r)
			problem(v, c->warc_path, (int64_t)c->warc_offset, VIGIL_ERR_CORRUPT,
				"capture %" PRId64 " (%s): no whole, good record starts at this offset",
				c->id, c->url);
		else
			check_location(v, c, r);
	} else {
		struct walked_record direct = { 0 };
		int found;

		check_unwalked(v, c, &direct, &found);
		if (found)
			check_location(v, c, &direct);
		free(direct.type);
		free(direct.target_uri);
		free(direct.payload_digest);
		free(direct.requested_uri);
		free(direct.record_id);
		free(direct.refers_to);
	}
	return v->nomem;
}

/* ---------------- the whole check ---------------- */

static void state_release(struct verify_state *v)
{
	for (size_t i = 0; i < v->file_count; i++)
		walked_file_release(&v->files[i]);
	free(v->files);
	for (size_t i = 0; i < v->known_count; i++)
		free(v->known[i].payload_digest);
	free(v->known);
}

enum vigil_code archive_verify(const char *data_dir, const char *const *files, size_t file_count,
			       struct archive_verify_result *out, struct vigil_error *err)
{
	struct verify_state v;
	char **paths = NULL, index_path[PATH_MAX], warc_dir[PATH_MAX];
	size_t path_count = 0, path_cap = 0;
	struct vigil_error scan_err = { 0 };
	enum vigil_code code = VIGIL_OK;
	struct stat st;

	if (!out)
		return vigil_error_set(err, VIGIL_ERR_USAGE, "archive_verify: no result");
	memset(out, 0, sizeof(*out));
	out->first_offset = -1;
	if (!data_dir || !*data_dir)
		return vigil_error_set(err, VIGIL_ERR_USAGE, "no data directory given");
	if (snprintf(index_path, sizeof(index_path), "%s/index.sqlite", data_dir) >=
		    (int)sizeof(index_path) ||
	    snprintf(warc_dir, sizeof(warc_dir), "%s/warc", data_dir) >= (int)sizeof(warc_dir))
		return vigil_error_set(err, VIGIL_ERR_USAGE, "data directory '%s': path too long",
				       data_dir);
	if (stat(data_dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return vigil_error_set(err, VIGIL_ERR_NOT_FOUND, "data directory %s does not exist",
				       data_dir);
	memset(&v, 0, sizeof(v));
	v.data_dir = data_dir;
	v.out = out;
	v.listed_only = files && file_count;
	if (!realpath(data_dir, v.data_real))
		v.data_real[0] = '\0';

	if (v.listed_only) {
		for (size_t i = 0; i < file_count && !code; i++) {
			char joined[PATH_MAX];
			const char *path = files[i];

			if (stat(path, &st) != 0 && path[0] != '/' &&
			    snprintf(joined, sizeof(joined), "%s/%s", data_dir, path) <
				    (int)sizeof(joined) &&
			    stat(joined, &st) == 0)
				path = joined;
			if (stat(path, &st) != 0) {
				problem(&v, files[i], -1, VIGIL_ERR_NOT_FOUND, "cannot open: %s",
					strerror(errno));
				continue;
			}
			code = walk_file(&v, path, err);
		}
	} else {
		code = list_warc_files(warc_dir, &paths, &path_count, &path_cap, err);
		if (!code && path_count)
			qsort(paths, path_count, sizeof(*paths), compare_paths);
		for (size_t i = 0; i < path_count && !code; i++)
			code = walk_file(&v, paths[i], err);
	}

	if (!code)
		code = check_revisits(&v, err);
	if (!code && stat(index_path, &st) != 0) {
		if (!v.listed_only)
			problem(&v, "index.sqlite", -1, VIGIL_ERR_NOT_FOUND,
				"missing (`vigil archive reindex` rebuilds it from the WARC files)");
	} else if (!code) {
		enum vigil_code scan = archive_sqlite_scan_captures(index_path, visit_capture, &v,
								    &scan_err);

		if (v.nomem)
			code = vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory checking %s",
					       index_path);
		else if (scan)
			problem(&v, "index.sqlite", -1, scan,
				"cannot read the captures (%s); `vigil archive reindex` rebuilds the "
				"index from the WARC files", scan_err.message);
	}

	for (size_t i = 0; i < path_count; i++)
		free(paths[i]);
	free(paths);
	state_release(&v);
	if (code)
		return code;
	if (out->problems) {
		if (err)
			*err = v.first;
		return v.first.code;
	}
	return VIGIL_OK;
}
