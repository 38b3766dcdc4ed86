/*
 * reindex.c: `vigil archive reindex`, the index rebuilt from the WARC
 * files alone (crawl_reindex, see crawler.h).
 *
 * Every response record becomes a capture and goes through crawl_ingest,
 * the step a crawl runs on each response, in WARC-Date order across all
 * files (ties: file path, then offset, which is the order a pass wrote
 * them). So extraction and classification rerun with today's rules, and
 * new / changed / unchanged / deleted are decided again from the same
 * sequence of responses.
 *
 * The frontier entry a response answered is not in the WARC; it is told
 * from the URL: the source's start URL is the START entry, a sitemap
 * source's other sitemap documents are FEED entries, a channel's ?before=
 * pages and ?embed=1 checks are CHANNEL_PAGE and CHANNEL_EMBED entries
 * (crawl_channel_entry_kind), anything else is an
 * article (a site's PAGE entries differ from ARTICLE only by following
 * links, and reindex follows none: what a pass found, it fetched, and the
 * fetch is in the WARC). Discovery is switched off by a zero page budget
 * and an empty scope, so the rebuilt frontier is empty, as a finished
 * pass leaves it.
 *
 * A revisit record (an unchanged answer: a 304 or the same payload again)
 * is read through the response it refers to (WARC-Refers-To): its capture
 * points at the revisit record and at that response's capture, and the
 * stored payload is ingested at the revisit's date, as the crawl did, so
 * last_seen and the recheck schedule come back too.
 */
#include "crawler_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Commit this often: one transaction for everything would grow the WAL
 * without bound on a large archive. */
#define REINDEX_COMMIT_EVERY 500

struct reindex_file {
	char *rel;            /* warc/SOURCE/FILE.warc.zst */
	char *source;         /* warcinfo isPartOf, or NULL */
	int64_t opened_at;    /* warcinfo WARC-Date */
	size_t run;           /* index into runs, or (size_t)-1: not configured */
};

struct reindex_entry {
	int64_t date;
	size_t file;
	uint64_t offset, length;
	char *record_id;      /* responses: WARC-Record-ID, for revisits to find */
	int revisit;
	int64_t capture_id;   /* set once indexed */
};

struct reindex {
	const struct crawl_reindex_options *opt;
	struct crawl_reindex_summary *sum;
	struct vigil_error *err;
	struct archive_store *store;
	struct reindex_file *files;
	size_t file_count;
	struct reindex_entry *entries;
	size_t entry_count, entry_cap;
	struct reindex_entry **by_id;    /* responses with a record id, by id */
	size_t by_id_count;
	struct crawl_source_run *runs;   /* one per configured source */
	int64_t *last_capture;           /* per run: newest capture date */
	int64_t *last_opened;            /* per run: newest file's warcinfo date */
	char **start_urls;               /* per run: the start URL as the frontier keys it */
	size_t run_count;
	struct reindex_file *walking;
	int nomem;
};

/* A sitemap document (urlset or sitemapindex) rather than a page. */
static int looks_like_sitemap(const char *body, size_t len)
{
	size_t head = len < 2048 ? len : 2048;

	return memmem(body, head, "<urlset", 7) || memmem(body, head, "<sitemapindex", 13);
}

/* ---------------- pass 1: what the files hold ---------------- */

static int collect(const struct archive_warc_record *r, uint64_t offset, uint64_t length,
		   void *context)
{
	struct reindex *x = context;
	struct reindex_file *f = x->walking;
	int64_t when;

	if (!strcmp(r->type, "warcinfo")) {
		const char *part = r->block ? strstr(r->block, "isPartOf:") : NULL;

		if (part && !f->source) {
			part += 9;
			while (*part == ' ')
				part++;
			f->source = vigil_strndup(part, strcspn(part, "\r\n"));
			if (!f->source)
				x->nomem = 1;
		}
		if (r->date && !f->opened_at && vigil_parse_time(r->date, &when) == 0)
			f->opened_at = when;
		return x->nomem;
	}
	if ((strcmp(r->type, "response") != 0 && strcmp(r->type, "revisit") != 0) || !r->http_head)
		return 0;
	if (x->entry_count == x->entry_cap) {
		size_t cap = x->entry_cap ? x->entry_cap * 2 : 256;
		struct reindex_entry *grown = realloc(x->entries, cap * sizeof(*grown));

		if (!grown) {
			x->nomem = 1;
			return 1;
		}
		x->entries = grown;
		x->entry_cap = cap;
	}
	/* A record without a readable WARC-Date sorts first. */
	if (!r->date || vigil_parse_time(r->date, &when) != 0)
		when = INT64_MIN;
	x->entries[x->entry_count].date = when;
	x->entries[x->entry_count].file = (size_t)(f - x->files);
	x->entries[x->entry_count].offset = offset;
	x->entries[x->entry_count].length = length;
	x->entries[x->entry_count].revisit = r->type[1] == 'e' && r->type[2] == 'v';
	x->entries[x->entry_count].record_id = NULL;
	x->entries[x->entry_count].capture_id = 0;
	if (!x->entries[x->entry_count].revisit && r->record_id &&
	    !(x->entries[x->entry_count].record_id = strdup(r->record_id))) {
		x->nomem = 1;
		return 1;
	}
	x->entry_count++;
	return 0;
}

static int id_order(const void *a, const void *b)
{
	return strcmp((*(struct reindex_entry *const *)a)->record_id,
		      (*(struct reindex_entry *const *)b)->record_id);
}

/* The response record a revisit refers to, or NULL. */
static struct reindex_entry *find_response(const struct reindex *x, const char *record_id)
{
	struct reindex_entry key = { .record_id = (char *)record_id }, *k = &key, **hit;

	if (!record_id || !x->by_id_count)
		return NULL;
	hit = bsearch(&k, x->by_id, x->by_id_count, sizeof(*x->by_id), id_order);
	return hit ? *hit : NULL;
}

static int entry_order(const void *a, const void *b)
{
	const struct reindex_entry *x = a, *y = b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static enum vigil_code read_files(struct reindex *x)
{
	char **paths = NULL;
	size_t count = 0;
	enum vigil_code code;

	code = archive_warc_list(x->opt->data_dir, &paths, &count, x->err);
	if (code)
		return code;
	x->files = calloc(count ? count : 1, sizeof(*x->files));
	if (!x->files) {
		code = vigil_error_set(x->err, VIGIL_ERR_NOMEM, "reindex: out of memory");
		goto done;
	}
	for (size_t i = 0; i < count && !code; i++) {
		char full[PATH_MAX];
		struct vigil_error walk_err = { 0 };
		enum vigil_code walked;

		x->files[i].rel = paths[i];
		x->files[i].run = (size_t)-1;
		paths[i] = NULL;
		x->file_count++;
		x->walking = &x->files[i];
		snprintf(full, sizeof(full), "%s/%s", x->opt->data_dir, x->files[i].rel);
		walked = archive_warc_each(full, collect, x, &walk_err);
		x->sum->files++;
		if (x->nomem || walked == VIGIL_ERR_NOMEM)
			code = vigil_error_set(x->err, VIGIL_ERR_NOMEM, "reindex: out of memory reading %s",
					       x->files[i].rel);
		else if (walked == VIGIL_ERR_CORRUPT) {
			/* The good records of a damaged file still count. */
			x->sum->damaged_files++;
			crawl_report(x->opt->problem, x->opt->context,
				     "%s (its good records are indexed)", walk_err.message);
		} else if (walked) {
			code = vigil_error_set(x->err, walked, "%s", walk_err.message);
		}
	}
	if (!code && x->entry_count)
		qsort(x->entries, x->entry_count, sizeof(*x->entries), entry_order);
	if (!code && !(x->by_id = calloc(x->entry_count ? x->entry_count : 1, sizeof(*x->by_id))))
		code = vigil_error_set(x->err, VIGIL_ERR_NOMEM, "reindex: out of memory");
	for (size_t i = 0; !code && i < x->entry_count; i++)
		if (x->entries[i].record_id)
			x->by_id[x->by_id_count++] = &x->entries[i];
	if (!code && x->by_id_count)
		qsort(x->by_id, x->by_id_count, sizeof(*x->by_id), id_order);
done:
	for (size_t i = 0; i < count; i++)
		free(paths[i]);
	free(paths);
	return code;
}

/* ---------------- sources ---------------- */

static enum vigil_code sync_sources(struct reindex *x)
{
	const struct config_sources *sources = x->opt->sources;
	enum vigil_code code = VIGIL_OK;

	x->run_count = sources->count;
	x->runs = calloc(sources->count ? sources->count : 1, sizeof(*x->runs));
	x->last_capture = calloc(sources->count ? sources->count : 1, sizeof(int64_t));
	x->last_opened = calloc(sources->count ? sources->count : 1, sizeof(int64_t));
	x->start_urls = calloc(sources->count ? sources->count : 1, sizeof(char *));
	if (!x->runs || !x->last_capture || !x->last_opened || !x->start_urls)
		return vigil_error_set(x->err, VIGIL_ERR_NOMEM, "reindex: out of memory");
	/* In config order, as a crawl syncs them. */
	for (size_t i = 0; i < sources->count && !code; i++) {
		const struct config_source *cfg = &sources->items[i];
		struct crawl_source_run *run = &x->runs[i];

		run->config = cfg;
		run->scope = vigil_strdup("");
		/* As the crawl seeds it (seed() in crawl.c): normalised. */
		x->start_urls[i] = vigil_url_normalise(cfg->url, NULL);
		if (!x->start_urls[i])
			x->start_urls[i] = vigil_strdup(cfg->url);
		if (!run->scope || !x->start_urls[i])
			return vigil_error_set(x->err, VIGIL_ERR_NOMEM, "reindex: out of memory");
		code = archive_source_sync(x->store, cfg->name, cfg->url,
					   config_source_kind_name(cfg->kind), &run->source_id, x->err);
	}
	for (size_t f = 0; f < x->file_count && !code; f++) {
		struct reindex_file *file = &x->files[f];
		int64_t ignored = 0;

		for (size_t i = 0; i < sources->count; i++)
			if (file->source && !strcmp(file->source, sources->items[i].name))
				file->run = i;
		if (file->run != (size_t)-1) {
			if (file->opened_at > x->last_opened[file->run])
				x->last_opened[file->run] = file->opened_at;
			continue;
		}
		/* Not configured any more: its captures are indexed, but without
		 * the source's kind its pages cannot be read again. */
		crawl_report(x->opt->problem, x->opt->context,
			     "%s: source %s is not in %s; its captures are indexed, its pages "
			     "are not processed", file->rel,
			     file->source ? file->source : "(unnamed)",
			     sources->path ? sources->path : "the config");
		if (file->source)
			code = archive_source_sync(x->store, file->source, NULL, NULL, &ignored,
						   x->err);
	}
	return code;
}

static enum vigil_code finish_sources(struct reindex *x)
{
	enum vigil_code code = VIGIL_OK;

	for (size_t i = 0; i < x->run_count && !code; i++) {
		if (!x->last_capture[i])
			continue;
		/* The WARC tells when a pass wrote its first new payload (the
		 * file's warcinfo) and its last capture, not when it started. */
		code = archive_source_mark_started(x->store, x->runs[i].source_id,
						   x->last_opened[i] ? x->last_opened[i]
								     : x->last_capture[i], x->err);
		if (!code)
			code = archive_source_mark_finished(x->store, x->runs[i].source_id,
							    x->last_capture[i], "reindexed", 0, x->err);
	}
	return code;
}

/* ---------------- pass 2: each response, in order ---------------- */

static enum vigil_code store_robots(struct reindex *x, const struct crawl_fetch_result *r,
				    const char *origin)
{
	struct archive_host host = { 0 };

	host.origin = (char *)origin;
	host.robots_status = r->status;
	host.robots_fetched_at = r->fetched_at;
	host.last_fetch_at = r->fetched_at * 1000;
	if (r->status >= 200 && r->status < 300)
		host.robots = r->body;
	else if (r->status < 500)
		host.robots = "";
	return archive_host_put(x->store, &host, x->err);
}

static enum vigil_code ingest_entry(struct reindex *x, struct crawl_pass *pass,
				    struct reindex_entry *e)
{
	const struct reindex_file *f = &x->files[e->file];
	struct archive_warc_record rec = { 0 }, stored = { 0 };
	const struct archive_warc_record *payload_rec = &rec;
	struct reindex_entry *original = NULL;
	char *stored_type = NULL, *stored_etag = NULL, *stored_modified = NULL;
	struct crawl_fetch_result r = { 0 };
	struct archive_capture cap = { 0 };
	struct archive_frontier_entry entry = { 0 };
	struct crawl_source_run *run = f->run != (size_t)-1 ? &x->runs[f->run] : NULL;
	struct vigil_error read_err = { 0 };
	char *requested = NULL, *truncated = NULL, *origin = NULL, *robots_url = NULL, *path = NULL;
	enum vigil_code code;
	int failed = 0;

	code = archive_warc_read(x->opt->data_dir, f->rel, e->offset, e->length, 0, &rec, &read_err);
	if (code == VIGIL_ERR_NOMEM)
		return vigil_error_set(x->err, code, "%s", read_err.message);
	if (code) {
		/* The walk read it a moment ago; report and go on. */
		crawl_report(x->opt->problem, x->opt->context, "%s", read_err.message);
		return VIGIL_OK;
	}
	if (e->revisit) {
		char *refers = archive_warc_field(&rec, "WARC-Refers-To");

		original = find_response(x, refers);
		if (!original || !original->capture_id) {
			crawl_report(x->opt->problem, x->opt->context,
				     "%s: offset %llu: revisit record refers to %s, which is not an "
				     "indexed response; skipped", f->rel, (unsigned long long)e->offset,
				     refers ? refers : "nothing");
			free(refers);
			goto done;
		}
		free(refers);
		code = archive_warc_read(x->opt->data_dir, x->files[original->file].rel,
					 original->offset, original->length, 0, &stored, &read_err);
		if (code == VIGIL_ERR_NOMEM) {
			code = vigil_error_set(x->err, code, "%s", read_err.message);
			goto done;
		}
		if (code) {
			crawl_report(x->opt->problem, x->opt->context, "%s", read_err.message);
			code = VIGIL_OK;
			goto done;
		}
		payload_rec = &stored;
		stored_type = crawl_head_value(stored.http_head, stored.http_head_len, "Content-Type");
		stored_etag = crawl_head_value(stored.http_head, stored.http_head_len, "ETag");
		stored_modified = crawl_head_value(stored.http_head, stored.http_head_len,
						   "Last-Modified");
	}
	requested = archive_warc_field(&rec, "Vigil-Requested-URI");
	/* A revisit repeats its response's payload, cut or whole. */
	truncated = archive_warc_field(payload_rec, "WARC-Truncated");
	r.url = requested ? requested : rec.target_uri;
	r.effective_url = rec.target_uri;
	r.status = rec.http_status;
	r.content_type = crawl_head_value(rec.http_head, rec.http_head_len, "Content-Type");
	r.etag = crawl_head_value(rec.http_head, rec.http_head_len, "ETag");
	r.last_modified = crawl_head_value(rec.http_head, rec.http_head_len, "Last-Modified");
	r.body = (char *)payload_rec->payload;
	r.body_len = payload_rec->payload_len;
	r.truncated = truncated != NULL;
	r.fetched_at = e->date;
	if (!r.url) {
		crawl_report(x->opt->problem, x->opt->context,
			     "%s: offset %llu: response without WARC-Target-URI", f->rel,
			     (unsigned long long)e->offset);
		goto done;
	}
	if (r.status == 301 || r.status == 302 || r.status == 303 || r.status == 307 ||
	    r.status == 308) {
		char *location = crawl_head_value(rec.http_head, rec.http_head_len, "Location");
		int hop = location != NULL;

		/* A redirect the crawl followed itself: the hop is in the WARC
		 * for the record of the chain, not in the index (archive_hop in
		 * crawl.c); the answer it led to is. */
		free(location);
		if (hop)
			goto done;
	}

	cap.source_id = run ? run->source_id : 0;
	cap.url = r.url;
	cap.fetched_at = r.fetched_at;
	cap.status = r.status;
	cap.content_type = r.content_type;
	cap.etag = r.etag;
	cap.last_modified = r.last_modified;
	cap.payload_digest = rec.payload_digest;
	cap.warc_path = f->rel;
	cap.warc_offset = e->offset;
	cap.warc_length = e->length;
	cap.truncated = r.truncated;
	if (original) {
		/* As archive_result in crawl.c stores an unchanged answer. */
		cap.payload_capture_id = original->capture_id;
		if (!cap.content_type)
			cap.content_type = stored_type;
		if (!cap.etag && !cap.last_modified) {
			cap.etag = stored_etag;
			cap.last_modified = stored_modified;
		}
	}
	code = archive_capture_add(x->store, &cap, x->err);
	if (code)
		goto done;
	e->capture_id = cap.id;
	if (original && r.status == 304) {
		/* Read as the stored answer it stands for. */
		r.status = stored.http_status;
		free(r.content_type);
		r.content_type = stored_type;
		stored_type = NULL;
	}
	x->sum->records++;
	if (run && r.fetched_at > x->last_capture[f->run])
		x->last_capture[f->run] = r.fetched_at;

	origin = vigil_url_origin(r.url, NULL);
	if (origin && (robots_url = malloc(strlen(origin) + sizeof("/robots.txt"))))
		sprintf(robots_url, "%s/robots.txt", origin);
	if (robots_url && !strcmp(r.url, robots_url)) {
		code = store_robots(x, &r, origin);
		goto done;
	}
	if (!run)
		goto done;
	entry.source_id = run->source_id;
	entry.url = r.url;
	path = vigil_url_path_query(r.url, NULL);
	if (!strcmp(r.url, x->start_urls[f->run]) || !strcmp(r.url, run->config->url)) {
		entry.kind = CRAWL_KIND_START;
		entry.depth = 0;
	} else if (path && !strncmp(path, CRAWL_PROBE_PREFIX, strlen(CRAWL_PROBE_PREFIX))) {
		/* The crawl's probe of the host's not-found page. */
		entry.kind = CRAWL_KIND_PROBE;
	} else if (run->config->kind == CONFIG_SOURCE_CHANNEL) {
		/* Older pages (?before=N) and embed checks (?embed=1); the
		 * depth only steers paging, which reindex does not do. */
		entry.kind = crawl_channel_entry_kind(r.url, x->start_urls[f->run]);
		entry.depth = 1;
	} else {
		entry.kind = run->config->kind == CONFIG_SOURCE_SITEMAP &&
					     looks_like_sitemap(r.body, r.body_len)
				     ? CRAWL_KIND_FEED
				     : CRAWL_KIND_ARTICLE;
		entry.depth = 1;
	}
	code = crawl_ingest(pass, run, &entry, &r, cap.id, &failed);
	if (failed)
		x->sum->pages.errors++;
done:
	free(path);
	free(robots_url);
	free(origin);
	free(requested);
	free(truncated);
	free(r.content_type);
	free(r.etag);
	free(r.last_modified);
	free(stored_type);
	free(stored_etag);
	free(stored_modified);
	archive_warc_record_release(&stored);
	archive_warc_record_release(&rec);
	return code;
}

static enum vigil_code ingest_all(struct reindex *x)
{
	struct crawl_options crawl = { 0 };
	struct crawl_pass pass = { 0 };
	enum vigil_code code;

	crawl.data_dir = x->opt->data_dir;
	crawl.sources = x->opt->sources;
	crawl.classifier = x->opt->classifier;
	crawl.notfound_phrases = x->opt->notfound_phrases;
	crawl.store = x->store;
	crawl.problem = x->opt->problem;
	crawl.context = x->opt->context;
	pass.opt = &crawl;
	pass.settings = &x->opt->sources->settings;
	pass.sum = &x->sum->pages;
	pass.err = x->err;
	code = archive_begin(x->store, x->err);
	for (size_t i = 0; i < x->entry_count && !code; i++) {
		code = ingest_entry(x, &pass, &x->entries[i]);
		if (!code && (i + 1) % REINDEX_COMMIT_EVERY == 0) {
			code = archive_commit(x->store, x->err);
			if (!code)
				code = archive_begin(x->store, x->err);
		}
	}
	if (!code)
		code = finish_sources(x);
	if (!code)
		code = archive_commit(x->store, x->err);
	else
		archive_rollback(x->store);
	return code;
}

/* ---------------- putting the new index in place ---------------- */

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* Remove what an interrupted reindex left: it is ours, not evidence. */
static enum vigil_code remove_stale(const char *fresh, struct vigil_error *err)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s%s", fresh, suffixes[i]);
		if (unlink(path) != 0 && errno != ENOENT)
			return vigil_error_set(err, VIGIL_ERR_IO, "cannot remove %s: %s", path,
					       strerror(errno));
	}
	return VIGIL_OK;
}

/* Keep the old index (and its -wal and -shm, which belong to it) under a
 * new name, then rename the fresh one into place. The old main file is
 * hard-linked first, so index.sqlite never goes missing for a reader. */
static enum vigil_code swap_in(struct reindex *x, const char *index, const char *fresh)
{
	char kept[PATH_MAX + 64], from[PATH_MAX + 8], to[PATH_MAX + 72], stamp[32];
	struct vigil_error check_err = { 0 };
	time_t now = time(NULL);
	struct tm tm;
	const char *kind;
	int fd;

	if (exists(index)) {
		kind = archive_store_check(index, &check_err) == VIGIL_OK ? "old" : "damaged";
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
		for (int n = 0; n < 100; n++) {
			if (n)
				snprintf(kept, sizeof(kept), "%s.%s-%s-%d", index, kind, stamp, n);
			else
				snprintf(kept, sizeof(kept), "%s.%s-%s", index, kind, stamp);
			if (!exists(kept))
				break;
		}
		if (link(index, kept) != 0 && rename(index, kept) != 0)
			return vigil_error_set(x->err, VIGIL_ERR_IO, "cannot keep %s as %s: %s", index,
					       kept, strerror(errno));
		for (int i = 0; i < 2; i++) {
			const char *suffix = i ? "-shm" : "-wal";

			snprintf(from, sizeof(from), "%s%s", index, suffix);
			snprintf(to, sizeof(to), "%s%s", kept, suffix);
			if (exists(from) && rename(from, to) != 0)
				return vigil_error_set(x->err, VIGIL_ERR_IO, "cannot move %s to %s: %s",
						       from, to, strerror(errno));
		}
		snprintf(x->sum->kept, sizeof(x->sum->kept), "%s", strrchr(kept, '/') + 1);
		x->sum->kept_at = (int64_t)now;
	}
	if (rename(fresh, index) != 0)
		return vigil_error_set(x->err, VIGIL_ERR_IO, "cannot rename %s to %s: %s", fresh,
				       index, strerror(errno));
	fd = open(x->opt->data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		if (fsync(fd) != 0 && errno != EINVAL) {
			int saved = errno;

			close(fd);
			return vigil_error_set(x->err, VIGIL_ERR_IO, "cannot sync directory %s: %s",
					       x->opt->data_dir, strerror(saved));
		}
		close(fd);
	}
	return VIGIL_OK;
}

static void reindex_release(struct reindex *x)
{
	archive_store_close(&x->store);
	for (size_t i = 0; i < x->file_count; i++) {
		free(x->files[i].rel);
		free(x->files[i].source);
	}
	free(x->files);
	for (size_t i = 0; i < x->entry_count; i++)
		free(x->entries[i].record_id);
	free(x->entries);
	free(x->by_id);
	for (size_t i = 0; i < x->run_count; i++) {
		free(x->runs[i].scope);
		free(x->start_urls ? x->start_urls[i] : NULL);
	}
	free(x->start_urls);
	free(x->runs);
	free(x->last_capture);
	free(x->last_opened);
}

enum vigil_code crawl_reindex(const struct crawl_reindex_options *options,
			      struct crawl_reindex_summary *summary, struct vigil_error *err)
{
	struct reindex x = { 0 };
	char index[PATH_MAX], fresh[PATH_MAX];
	struct stat st;
	enum vigil_code code;

	memset(summary, 0, sizeof(*summary));
	if (!options || !options->data_dir || !*options->data_dir || !options->sources)
		return vigil_error_set(err, VIGIL_ERR_USAGE, "reindex: data_dir and sources are required");
	if (stat(options->data_dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return vigil_error_set(err, VIGIL_ERR_NOT_FOUND, "data directory %s does not exist",
				       options->data_dir);
	if (snprintf(index, sizeof(index), "%s/index.sqlite", options->data_dir) >=
		    (int)sizeof(index) - 8 ||
	    snprintf(fresh, sizeof(fresh), "%s.new", index) >= (int)sizeof(fresh) - 16)
		return vigil_error_set(err, VIGIL_ERR_USAGE, "data directory '%s': path too long",
				       options->data_dir);
	x.opt = options;
	x.sum = summary;
	x.err = err;
	code = remove_stale(fresh, err);
	if (!code)
		code = read_files(&x);
	if (!code)
		code = archive_store_create(fresh, &x.store, err);
	if (!code)
		code = sync_sources(&x);
	if (!code)
		code = ingest_all(&x);
	/* Closing checkpoints the WAL into the file and removes it, so the
	 * file renamed into place is whole. */
	archive_store_close(&x.store);
	if (!code)
		code = swap_in(&x, index, fresh);
	else
		(void)remove_stale(fresh, NULL);
	reindex_release(&x);
	return code;
}
