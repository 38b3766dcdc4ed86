/*
 * crawl.c: one crawl pass (crawl_run). See crawler/README.md for the whole
 * story; in short:
 *
 *   - sources are taken in file order; up to parallel_hosts of them are
 *     active at once, each with at most one fetch in the shared fetcher
 *     (the fetcher serialises per origin anyway);
 *   - the frontier lives in the index, so every page's writes (capture,
 *     materials, new frontier entries, the entry's state) are one
 *     transaction: kill -9 leaves a consistent index and the next pass
 *     resumes the pending entries;
 *   - robots.txt is fetched (and archived) once per origin and pass unless
 *     the index holds a copy younger than 24 hours;
 *   - a URL with a stored 2xx answer is fetched with its validators; a 304
 *     or the same payload again is archived as a revisit record and read
 *     (ingested) from the stored answer;
 *   - known materials are rechecked when their schedule says so, start
 *     pages and feeds on the source's interval;
 *   - per-host politeness (the last request, back-off after 429/503 and
 *     error streaks) is kept in the index's hosts table across passes.
 */
#include "crawler_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#ifndef VIGIL_VERSION
#define VIGIL_VERSION "0"
#endif

#define CRAWL_SOFTWARE "vigil/" VIGIL_VERSION
#define CRAWL_ROBOTS_TOKEN "vigil"
#define CRAWL_ROBOTS_MAX_AGE (24 * 3600)
#define CRAWL_DEFAULT_MAX_PAGES 200
/* RFC 9309 2.5: a crawler may stop reading robots.txt after 500 KiB. */
#define CRAWL_ROBOTS_MAX_BYTES ((size_t)500 * 1024)
/* Redirects followed for one frontier entry (each hop is archived). */
#define CRAWL_MAX_REDIRECTS 5
/* A host's not-found page is learnt again after this long. */
#define CRAWL_NOTFOUND_MAX_AGE (24 * 3600)
/* Index writes are grouped: one transaction per this many answers or this
 * long, whichever comes first. A commit per page cost a WAL append (and an
 * FTS segment) per page; a kill -9 now loses at most one batch of index
 * rows, whose WARC records are already written and whose frontier entries
 * are still pending, so the next pass fetches them again. */
#define CRAWL_BATCH_ANSWERS 64
/* More analysis threads than this help no pass: the main thread's
 * fetching and writing is the limit well before. */
#define CRAWL_MAX_WORKERS 16
#define CRAWL_BATCH_MS 1000

static int64_t pass_now(const struct crawl_pass *p)
{
	return p->opt->now ? p->opt->now : vigil_now();
}

/* The real clock in milliseconds, for hosts.last_fetch_at: politeness is
 * about real time even when a test fixes the pass clock. */
static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void crawl_report(void (*problem)(const char *message, void *context), void *context,
		  const char *fmt, ...)
{
	char message[VIGIL_ERROR_MAX];
	va_list args;

	if (!problem)
		return;
	va_start(args, fmt);
	vsnprintf(message, sizeof(message), fmt, args);
	va_end(args);
	problem(message, context);
}

/* Open the batch transaction if none is open: every write of the pass
 * nests in it (archive_begin inside it is a savepoint). */
static enum vigil_code batch_open(struct crawl_pass *p)
{
	enum vigil_code code;

	if (p->batch_open)
		return VIGIL_OK;
	code = archive_begin(p->opt->store, p->err);
	if (code != VIGIL_OK)
		return code;
	p->batch_open = 1;
	p->batch_answers = 0;
	p->batch_started_ms = wall_ms();
	return VIGIL_OK;
}

/* Commit the batch (force, or when it is full or old enough). */
static enum vigil_code batch_commit(struct crawl_pass *p, int force)
{
	enum vigil_code code;

	if (!p->batch_open)
		return VIGIL_OK;
	if (!force && p->batch_answers < CRAWL_BATCH_ANSWERS &&
	    wall_ms() - p->batch_started_ms < CRAWL_BATCH_MS)
		return VIGIL_OK;
	p->batch_open = 0;
	code = archive_commit(p->opt->store, p->err);
	if (code != VIGIL_OK)
		archive_rollback(p->opt->store);
	return code;
}

static void page_error(struct crawl_pass *p, struct crawl_source_run *src)
{
	p->sum->errors++;
	src->errors++;
}

static void job_free(struct crawl_job *job)
{
	if (!job)
		return;
	archive_frontier_entry_release(&job->entry);
	free(job->redirect_to);
	free(job);
}

/* ---------------- robots.txt ---------------- */

static struct crawl_robots *robots_find(struct crawl_pass *p, const char *origin)
{
	for (size_t i = 0; i < p->robots_count; i++)
		if (strcmp(p->robots[i]->origin, origin) == 0)
			return p->robots[i];
	return NULL;
}

/* Find or create; takes origin. NULL on OOM. */
static struct crawl_robots *robots_get(struct crawl_pass *p, char *origin)
{
	struct crawl_robots *r = robots_find(p, origin);

	if (r) {
		free(origin);
		return r;
	}
	if (p->robots_count == p->robots_cap) {
		size_t cap = p->robots_cap ? p->robots_cap * 2 : 8;
		struct crawl_robots **grown = realloc(p->robots, cap * sizeof(*grown));

		if (!grown) {
			free(origin);
			return NULL;
		}
		p->robots = grown;
		p->robots_cap = cap;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		free(origin);
		return NULL;
	}
	r->origin = origin;
	p->robots[p->robots_count++] = r;
	return r;
}

/* Parse a robots body into r and apply its Crawl-delay; r becomes READY. */
static enum vigil_code robots_apply(struct crawl_pass *p, struct crawl_robots *r,
				    const char *body, size_t len)
{
	struct vigil_error perr = { 0 };
	enum vigil_code code;
	int delay;

	parse_robots_free(&r->rules);
	r->state = ROBOTS_READY;
	code = parse_robots(body, len, CRAWL_ROBOTS_TOKEN, &r->rules, &perr);
	if (code == VIGIL_ERR_NOMEM)
		return vigil_error_set(p->err, code, "%s/robots.txt: %s", r->origin, perr.message);
	if (code != VIGIL_OK) {
		/* An unreadable robots.txt is treated like a missing one. */
		crawl_pass_problem(p, "%s/robots.txt: %s (allowing all)", r->origin, perr.message);
		r->rules = NULL;
		return VIGIL_OK;
	}
	delay = parse_robots_crawl_delay_ms(r->rules);
	if (delay > 0)
		return crawl_fetcher_set_delay(p->fetcher, r->origin, delay, p->err);
	return VIGIL_OK;
}

/* Use the index's copy when it is fresh and was a real answer. Sets
 * *ready when r could be filled from it. */
static enum vigil_code robots_from_cache(struct crawl_pass *p, struct crawl_robots *r,
					 int *ready)
{
	struct archive_host host = { 0 };
	enum vigil_code code;
	int64_t now = pass_now(p);

	*ready = 0;
	code = archive_host_get(p->opt->store, r->origin, &host, p->err);
	if (code == VIGIL_ERR_NOT_FOUND)
		return VIGIL_OK;
	if (code != VIGIL_OK)
		return code;
	/* 5xx and transport failures are never reused: they block only the
	 * pass that saw them. */
	if (host.robots && host.robots_status >= 200 && host.robots_status < 500 &&
	    host.robots_fetched_at <= now && now - host.robots_fetched_at < CRAWL_ROBOTS_MAX_AGE) {
		code = robots_apply(p, r, host.robots, strlen(host.robots));
		*ready = code == VIGIL_OK;
	}
	archive_host_release(&host);
	return code;
}

/* ---------------- archiving one exchange ---------------- */

/* Whether redirects led r somewhere else than the URL asked for. */
static int redirected(const struct crawl_fetch_result *r)
{
	return r->effective_url && strcmp(r->effective_url, r->url) != 0;
}

/* The WARC exchange of a fetch result, recorded as target_url (where the
 * answer came from) and requested_url (the frontier URL it answers). */
static struct archive_http_exchange exchange_of(const struct crawl_fetch_result *r,
						const char *target_url, const char *requested_url)
{
	return (struct archive_http_exchange){
		.url = target_url,
		.ip = r->ip,
		.fetched_at = r->fetched_at,
		.request = r->request_head,
		.request_len = r->request_head_len,
		.response_head = r->response_head,
		.response_head_len = r->response_head_len,
		.body = r->body,
		.body_len = r->body_len,
		.requested_url = requested_url,
		.truncated = r->truncated,
	};
}

/* What archive_result made of an answer: its capture, and the answer as
 * the rest of the pass reads it. For a 304 that is the stored answer it
 * refers to (status, Content-Type and payload read back from the WARC), so
 * an unchanged page is ingested exactly like a page fetched in full. */
struct crawl_archived {
	int64_t capture_id;
	struct crawl_fetch_result view;    /* borrows from r and stored */
	struct archive_warc_record stored; /* the referred response, when read */
	char *stored_content_type;         /* its Content-Type, from the index */
	int revisit;
};

static void archived_release(struct crawl_archived *a)
{
	archive_warc_record_release(&a->stored);
	free(a->stored_content_type);
}

/* Read back the response record of capture orig into a->stored. 0 when it
 * cannot be read (reported; the answer is then archived in full). */
static enum vigil_code read_stored(struct crawl_pass *p, const struct crawl_fetch_result *r,
				   const struct archive_capture *orig, struct crawl_archived *a,
				   int *readable)
{
	struct vigil_error read_err = { 0 };
	enum vigil_code code = archive_warc_read(p->opt->data_dir, orig->warc_path,
						 orig->warc_offset, orig->warc_length, 0,
						 &a->stored, &read_err);

	*readable = 0;
	if (code == VIGIL_ERR_NOMEM)
		return vigil_error_set(p->err, code, "%s", read_err.message);
	if (code == VIGIL_OK && a->stored.record_id && a->stored.target_uri && a->stored.date &&
	    a->stored.payload_digest && a->stored.http_head) {
		*readable = 1;
		return VIGIL_OK;
	}
	crawl_pass_problem(p, "%s: the stored answer it repeats cannot be read (%s); archived in full",
		r->url, code ? read_err.message : "record without id, date or payload digest");
	archive_warc_record_release(&a->stored);
	return VIGIL_OK;
}

/* Store the exchange: in full, or, when it repeats the URL's last stored
 * answer of that status (a 304 repeats the last 2xx), as a revisit record
 * pointing at that answer's response record; the capture row then has
 * payload_capture_id set. A status change with the same payload (a 410
 * that serves the old page) is new evidence and written in full. */
static enum vigil_code archive_result(struct crawl_pass *p, struct crawl_source_run *src,
				      const struct crawl_fetch_result *r, struct crawl_archived *a)
{
	struct archive_capture orig = { 0 }, cap = { 0 };
	struct archive_warc_location loc = { 0 };
	char digest[38];
	int not_modified = r->status == 304, readable = 0;
	enum vigil_code code;
	struct archive_http_exchange ex = exchange_of(r, r->effective_url ? r->effective_url : r->url,
						  r->url);

	memset(a, 0, sizeof(*a));
	a->view = *r;
	vigil_sha1_digest(r->body, r->body_len, digest);
	code = archive_capture_original(p->opt->store, r->url, not_modified ? 0 : r->status, &orig,
					p->err);
	if (code == VIGIL_ERR_NOT_FOUND) {
		/* First fetch at the address a material moved to: the answer it
		 * may repeat is the one last stored under the material's own URL. */
		char *material_url = NULL;

		vigil_error_clear(p->err);
		code = archive_material_resolve(p->opt->store, r->url, &material_url, p->err);
		if (code == VIGIL_OK && strcmp(material_url, r->url) != 0)
			code = archive_capture_original(p->opt->store, material_url,
							not_modified ? 0 : r->status, &orig, p->err);
		else if (code == VIGIL_OK)
			code = VIGIL_ERR_NOT_FOUND;
		free(material_url);
		if (code == VIGIL_ERR_NOT_FOUND) {
			vigil_error_clear(p->err);
			code = VIGIL_OK;
		}
	}
	if (code != VIGIL_OK)
		return code;
	if (orig.id && orig.warc_path && orig.payload_digest &&
	    (not_modified || (strcmp(orig.payload_digest, digest) == 0 && !redirected(r))))
		code = read_stored(p, r, &orig, a, &readable);
	if (code != VIGIL_OK)
		goto done;
	if (!src->warc) {
		code = archive_warc_open(p->opt->data_dir, src->config->name, CRAWL_SOFTWARE,
					 &src->warc, p->err);
		if (code != VIGIL_OK)
			goto done;
	}
	cap.source_id = src->source_id;
	cap.url = r->url;
	cap.fetched_at = r->fetched_at;
	cap.status = r->status;
	cap.content_type = r->content_type;
	cap.etag = r->etag;
	cap.last_modified = r->last_modified;
	cap.payload_digest = digest;
	cap.truncated = r->truncated;
	/* A redirected answer is always written in full (unless it is a 304):
	 * where the redirects ended (a moved article, a home page standing in
	 * for a deleted one) is in its record only, and a reindex must see it. */
	if (readable) {
		struct archive_http_revisit rv = {
			.exchange = &ex,
			.refers_to = a->stored.record_id,
			.refers_to_uri = a->stored.target_uri,
			.refers_to_date = a->stored.date,
			.payload_digest = orig.payload_digest,
		};

		code = archive_warc_write_revisit(src->warc, &rv, &loc, p->err);
		if (code != VIGIL_OK)
			goto done;
		a->revisit = 1;
		p->sum->revisits++;
		cap.payload_digest = orig.payload_digest;
		cap.payload_capture_id = orig.id;
		/* A 304 may omit what did not change. */
		if (!cap.content_type)
			cap.content_type = orig.content_type;
		if (!cap.etag && !cap.last_modified) {
			cap.etag = orig.etag;
			cap.last_modified = orig.last_modified;
		}
		if (not_modified) {
			/* a body cut at max_body stays cut: never a version */
			cap.truncated = orig.truncated;
			a->view.truncated = orig.truncated;
			a->view.status = a->stored.http_status;
			a->view.content_type = orig.content_type;
			a->view.body = (char *)a->stored.payload;
			a->view.body_len = a->stored.payload_len;
		}
	} else {
		code = archive_warc_write_exchange(src->warc, &ex, &loc, p->err);
		if (code != VIGIL_OK)
			goto done;
	}
	cap.warc_path = loc.path;
	cap.warc_offset = loc.offset;
	cap.warc_length = loc.length;
	code = archive_capture_add(p->opt->store, &cap, p->err);
	if (code == VIGIL_OK)
		a->capture_id = cap.id;
done:
	/* The view of a 304 outlives orig: its Content-Type moves into a. */
	if (code == VIGIL_OK && a->view.content_type && a->view.content_type == orig.content_type) {
		a->stored_content_type = orig.content_type;
		orig.content_type = NULL;
	}
	archive_warc_location_release(&loc);
	archive_capture_release(&orig);
	return code;
}

/* A redirect hop of the frontier URL requested_url: its exchange goes to
 * the WARC (a later deletion check can read the chain there), but no
 * capture row is made: the captures of a URL stay the answers that ended
 * its redirects, so the payload deduplication above keeps working. */
static enum vigil_code archive_hop(struct crawl_pass *p, struct crawl_source_run *src,
				   const struct crawl_fetch_result *r, const char *requested_url)
{
	struct archive_warc_location loc = { 0 };
	struct archive_http_exchange ex = exchange_of(r, r->url, requested_url);
	enum vigil_code code = VIGIL_OK;

	if (!src->warc)
		code = archive_warc_open(p->opt->data_dir, src->config->name, CRAWL_SOFTWARE,
					 &src->warc, p->err);
	if (code == VIGIL_OK)
		code = archive_warc_write_exchange(src->warc, &ex, &loc, p->err);
	archive_warc_location_release(&loc);
	return code;
}

/* ---------------- one result ---------------- */

static enum vigil_code handle_robots_result(struct crawl_pass *p, struct crawl_source_run *src,
					    struct crawl_job *job, const struct crawl_fetch_result *r)
{
	struct crawl_robots *rb = job->robots;
	struct archive_host host = { 0 };
	struct crawl_archived arch = { 0 };
	char *cut = NULL;
	enum vigil_code code;

	code = archive_begin(p->opt->store, p->err);
	if (code != VIGIL_OK)
		return code;
	if (r->status > 0) {
		code = archive_result(p, src, r, &arch);
		r = &arch.view;
	}
	host.origin = rb->origin;
	host.robots_status = r->status;
	host.robots_fetched_at = pass_now(p);
	host.last_fetch_at = wall_ms();
	if (code == VIGIL_OK) {
		if (r->status == 0 || r->status >= 500) {
			/* RFC 9309 2.3.1.4: unreachable means complete disallow. */
			rb->state = ROBOTS_READY;
			rb->disallow_all = 1;
			page_error(p, src);
			if (r->status)
				crawl_pass_problem(p, "%s: HTTP %d, nothing of %s is fetched in this pass",
					r->url, r->status, rb->origin);
			else
				crawl_pass_problem(p, "%s: %s; nothing of %s is fetched in this pass", r->url,
					r->error ? r->error : "transport error", rb->origin);
		} else if (r->status >= 200 && r->status < 300 && r->truncated) {
			/* Rules from the part read; the last line may be cut in
			 * the middle of a path, so it is dropped. */
			const char *end = memrchr(r->body, '\n', r->body_len);

			crawl_pass_problem(p, "%s: robots.txt cut at %zu bytes; rules read from the first %zu",
				r->url, r->body_len, end ? (size_t)(end - r->body) + 1 : 0);
			cut = strndup(r->body, end ? (size_t)(end - r->body) + 1 : 0);
			if (!cut)
				code = vigil_error_set(p->err, VIGIL_ERR_NOMEM, "crawl: out of memory");
			else
				code = robots_apply(p, rb, cut, strlen(cut));
			host.robots = cut;
		} else if (r->status >= 200 && r->status < 300) {
			host.robots = r->body;
			code = robots_apply(p, rb, r->body, r->body_len);
		} else {
			/* 4xx (and a redirect chain that did not end): no rules. */
			host.robots = "";
			code = robots_apply(p, rb, "", 0);
		}
	}
	if (code == VIGIL_OK)
		code = archive_host_put(p->opt->store, &host, p->err);
	if (code == VIGIL_OK)
		code = archive_commit(p->opt->store, p->err);
	else
		archive_rollback(p->opt->store);
	free(cut);
	archived_release(&arch);
	return code;
}

/* Whether a 503 answer carries a Retry-After: only then is it the host
 * asking for a pause rather than one page failing. */
static int asks_pause(const struct crawl_fetch_result *r)
{
	char *retry = r->response_head ? crawl_head_value(r->response_head, r->response_head_len,
							   "Retry-After")
				       : NULL;
	int found = retry != NULL;

	free(retry);
	return found;
}

/* A page answer on its way through the pass: received (archived, its
 * capture stored), analysed on a worker, then applied in the order the
 * answers came. Owns the job, the fetch result and what was archived. */
struct crawl_pending {
	struct crawl_work work; /* first: the pool hands it back */
	const struct crawl_options *opt;
	struct crawl_source_run *src;
	struct crawl_job *job;
	struct crawl_fetch_result result;
	struct crawl_fetch_result redirected; /* the view of a followed redirect */
	struct crawl_archived arch;
	struct crawl_analysis analysis;
	struct crawl_pending *next;
};

static void pending_free(struct crawl_pending *pd)
{
	if (!pd)
		return;
	crawl_analysis_release(&pd->analysis);
	archived_release(&pd->arch);
	crawl_fetch_result_release(&pd->result);
	job_free(pd->job);
	free(pd);
}

/* On a worker: the parser's part of the answer (no index). */
static void pending_analyse(struct crawl_work *work)
{
	struct crawl_pending *pd = (struct crawl_pending *)work;

	crawl_analyse(pd->opt, pd->src->config, &pd->job->entry, &pd->arch.view, pd->arch.revisit,
		      &pd->analysis);
}

/* Apply an analysed answer: materials, discoveries and the entry's state,
 * in one savepoint. Takes pd. */
static enum vigil_code pending_apply(struct crawl_pass *p, struct crawl_pending *pd)
{
	struct crawl_source_run *src = pd->src;
	const struct archive_frontier_entry *e = &pd->job->entry;
	int failed = 0;
	enum vigil_code code = archive_begin(p->opt->store, p->err);

	if (code == VIGIL_OK)
		code = crawl_ingest_analysed(p, src, e, &pd->arch.view, pd->arch.capture_id,
					     &pd->analysis, &failed);
	if (failed)
		page_error(p, src);
	if (code == VIGIL_OK)
		code = archive_frontier_finish(p->opt->store, e->id,
					       failed ? ARCHIVE_FRONTIER_FAILED : ARCHIVE_FRONTIER_DONE,
					       p->err);
	if (code == VIGIL_OK)
		code = archive_commit(p->opt->store, p->err);
	else
		archive_rollback(p->opt->store);
	src->in_flight--;
	pending_free(pd);
	return code;
}

/* Apply the answers at the head of the queue whose analysis is done (with
 * wait, at least the first, waiting for it). */
static enum vigil_code apply_ready(struct crawl_pass *p, int wait)
{
	enum vigil_code code = VIGIL_OK;

	while (code == VIGIL_OK && p->pending_head &&
	       crawl_pool_done(p->pool, &p->pending_head->work, wait)) {
		struct crawl_pending *pd = p->pending_head;

		p->pending_head = pd->next;
		if (!p->pending_head)
			p->pending_tail = NULL;
		code = pending_apply(p, pd);
		wait = 0;
	}
	return code;
}

/* A page answer: archived at once (the WARC record, then its capture, in
 * a savepoint); a transport error or a host's request for a pause settles
 * the entry here; anything else goes to the workers and is applied later.
 * Takes job and the contents of *r. */
static enum vigil_code handle_page_result(struct crawl_pass *p, struct crawl_source_run *src,
					  struct crawl_job *job, struct crawl_fetch_result *r)
{
	struct crawl_pending *pd = calloc(1, sizeof(*pd));
	const struct archive_frontier_entry *e;
	const struct crawl_fetch_result *view;
	int failed = 0, deferred = 0;
	enum vigil_code code;

	if (!pd) {
		job_free(job);
		return vigil_error_set(p->err, VIGIL_ERR_NOMEM, "crawl: out of memory");
	}
	pd->opt = p->opt;
	pd->src = src;
	pd->job = job;
	pd->result = *r;
	memset(r, 0, sizeof(*r));
	e = &job->entry;
	view = &pd->result;
	code = archive_begin(p->opt->store, p->err);
	if (code != VIGIL_OK) {
		pending_free(pd);
		return code;
	}
	if (job->hops) {
		/* The end of redirects the crawler followed: captured and
		 * ingested under the frontier URL that led here, the WARC record
		 * naming both (Vigil-Requested-URI), as after curl's redirects. */
		pd->redirected = pd->result;
		pd->redirected.url = e->url;
		pd->redirected.effective_url = pd->result.url;
		view = &pd->redirected;
	}
	if (view->status == 0) {
		/* The fetcher's message names no URL it was given: name the
		 * hop that failed when it is not the frontier URL. */
		if (job->hops)
			crawl_pass_problem(p, "%s: %s for URL %s", view->url,
				view->error ? view->error : "transport error", view->effective_url);
		else
			crawl_pass_problem(p, "%s: %s", view->url,
				view->error ? view->error : "transport error");
		failed = 1;
		goto settle;
	}
	code = archive_result(p, src, view, &pd->arch);
	if (code != VIGIL_OK)
		goto out;
	if (view->status == 429 || (view->status == 503 && asks_pause(view))) {
		/* The host asked for a pause (handle_result starts its
		 * back-off): the entry waits for a later pass. Never a
		 * deletion, never an edit. A 503 without Retry-After is a
		 * page error like any 5xx (host_note). */
		crawl_pass_problem(p, "%s: HTTP %d; deferred to a later pass", view->url, view->status);
		deferred = 1;
		p->sum->deferred++;
		goto settle;
	}
	code = archive_commit(p->opt->store, p->err);
	if (code != VIGIL_OK) {
		archive_rollback(p->opt->store);
		pending_free(pd);
		return code;
	}
	src->in_flight++;
	if (p->pending_tail)
		p->pending_tail->next = pd;
	else
		p->pending_head = pd;
	p->pending_tail = pd;
	crawl_pool_submit(p->pool, &pd->work);
	return VIGIL_OK;
settle:
	if (failed)
		page_error(p, src);
	code = archive_frontier_finish(p->opt->store, e->id,
				       failed ? ARCHIVE_FRONTIER_FAILED
				       : deferred ? ARCHIVE_FRONTIER_DEFERRED
						  : ARCHIVE_FRONTIER_DONE, p->err);
out:
	if (code == VIGIL_OK)
		code = archive_commit(p->opt->store, p->err);
	else
		archive_rollback(p->opt->store);
	pending_free(pd);
	return code;
}

/* A 3xx of a page: archive this hop and park the job on its source until
 * the target may be fetched (source_feed checks the target's robots.txt
 * first). Takes job. */
static enum vigil_code handle_redirect(struct crawl_pass *p, struct crawl_source_run *src,
				       struct crawl_job *job, const struct crawl_fetch_result *r)
{
	const char *refusal = NULL;
	struct vigil_error url_err = { 0 };
	/* In key form, as every frontier and capture URL; NULL for file:,
	 * gopher:, data: ... which are never fetched. */
	char *target = vigil_url_normalise(r->redirect_url, &url_err);
	enum vigil_code code;

	if (!target && url_err.code == VIGIL_ERR_NOMEM) {
		job_free(job);
		return vigil_error_set(p->err, VIGIL_ERR_NOMEM, "crawl: out of memory");
	}
	if (job->hops >= CRAWL_MAX_REDIRECTS)
		refusal = "more than 5 redirects";
	else if (!target)
		refusal = "not a valid http(s) URL";
	code = archive_begin(p->opt->store, p->err);
	if (code == VIGIL_OK)
		code = archive_hop(p, src, r, job->entry.url);
	if (code == VIGIL_OK && refusal) {
		crawl_pass_problem(p, "%s: redirect to %s not followed: %s", job->entry.url, r->redirect_url,
			refusal);
		page_error(p, src);
		code = archive_frontier_finish(p->opt->store, job->entry.id, ARCHIVE_FRONTIER_FAILED,
					       p->err);
	}
	if (code == VIGIL_OK)
		code = archive_commit(p->opt->store, p->err);
	else
		archive_rollback(p->opt->store);
	if (code != VIGIL_OK || refusal) {
		free(target);
		job_free(job);
		return code;
	}
	free(job->redirect_to);
	job->redirect_to = target;
	job->hops++;
	src->redirect = job;
	return VIGIL_OK;
}

/* ---------------- per-host politeness ---------------- */

/* The pass's state of origin (taken), loaded from the index on first use;
 * a request of an earlier pass that ended less than delay_ms ago holds
 * the origin in the fetcher for the rest of that delay. */
static enum vigil_code host_state(struct crawl_pass *p, char *origin, struct crawl_host **out)
{
	struct archive_host row = { 0 };
	struct crawl_host *h;
	enum vigil_code code;

	*out = NULL;
	for (size_t i = 0; i < p->host_count; i++)
		if (strcmp(p->hosts[i]->origin, origin) == 0) {
			free(origin);
			*out = p->hosts[i];
			return VIGIL_OK;
		}
	if (p->host_count == p->host_cap) {
		size_t cap = p->host_cap ? p->host_cap * 2 : 8;
		struct crawl_host **grown = realloc(p->hosts, cap * sizeof(*grown));

		if (!grown) {
			free(origin);
			return vigil_error_set(p->err, VIGIL_ERR_NOMEM, "crawl: out of memory");
		}
		p->hosts = grown;
		p->host_cap = cap;
	}
	h = calloc(1, sizeof(*h));
	if (!h) {
		free(origin);
		return vigil_error_set(p->err, VIGIL_ERR_NOMEM, "crawl: out of memory");
	}
	h->origin = origin;
	p->hosts[p->host_count++] = h;
	code = archive_host_get(p->opt->store, origin, &row, p->err);
	if (code == VIGIL_ERR_NOT_FOUND) {
		vigil_error_clear(p->err);
		*out = h;
		return VIGIL_OK;
	}
	if (code != VIGIL_OK)
		return code;
	h->backoff_until = row.backoff_until;
	h->error_streak = row.error_streak;
	if (row.last_fetch_at > 0) {
		int64_t wait = row.last_fetch_at + p->settings->delay_ms - wall_ms();

		if (wait > 0)
			code = crawl_fetcher_hold(p->fetcher, origin,
						  wait > CRAWL_MAX_ORIGIN_DELAY_MS
							  ? CRAWL_MAX_ORIGIN_DELAY_MS : (int)wait,
						  p->err);
	}
	archive_host_release(&row);
	*out = h;
	return code;
}

/* After an answer from url's origin: a 429 starts a back-off (its
 * Retry-After, else 60 s doubled per failure in the streak), and so does a
 * 503 that carries a Retry-After; 5xx (a 503 without Retry-After too: one
 * broken page must not hold off the rest of a site) and transport errors
 * do once CRAWL_ERROR_STREAK of them come in a row; any other answer ends
 * the streak. Written to the index at once, so the
 * next pass honours it too. */
static enum vigil_code host_note(struct crawl_pass *p, const struct crawl_fetch_result *r,
				 int robots)
{
	struct crawl_host *h;
	char *origin = vigil_url_origin(r->url, NULL);
	int64_t now = pass_now(p);
	enum vigil_code code;

	if (!origin)
		return VIGIL_OK; /* not an http(s) URL: it was never fetched */
	code = host_state(p, origin, &h);
	if (code != VIGIL_OK)
		return code;
	if (robots) {
		/* A 5xx robots.txt already keeps the pass off the origin and is
		 * asked again next pass (RFC 9309); only an explicit
		 * Retry-After of a 429/503 starts a back-off from it. */
		char *retry = (r->status == 429 || r->status == 503) && r->response_head
				      ? crawl_head_value(r->response_head, r->response_head_len,
							 "Retry-After")
				      : NULL;
		int64_t until = 0;

		if (retry && crawl_retry_after(retry, now, &until) && until > h->backoff_until) {
			h->backoff_until = until;
			h->reported = 0;
		}
		free(retry);
	} else if (r->status == 429 || r->status == 503 || r->status == 0 || r->status >= 500) {
		int64_t until = 0;
		char *retry = r->response_head
				      ? crawl_head_value(r->response_head, r->response_head_len,
							 "Retry-After")
				      : NULL;

		h->error_streak++;
		if ((r->status == 429 || r->status == 503) && retry &&
		    crawl_retry_after(retry, now, &until)) {
			/* as the server asked */
		} else if (r->status == 429 || h->error_streak >= CRAWL_ERROR_STREAK) {
			int64_t wait = CRAWL_BACKOFF_BASE;

			for (int i = 1; i < h->error_streak && wait < CRAWL_BACKOFF_MAX; i++)
				wait *= 2;
			until = now + (wait < CRAWL_BACKOFF_MAX ? wait : CRAWL_BACKOFF_MAX);
		}
		free(retry);
		if (until > h->backoff_until) {
			h->backoff_until = until;
			h->reported = 0;
		}
	} else {
		h->error_streak = 0;
	}
	return archive_host_politeness(p->opt->store, h->origin, wall_ms(), h->backoff_until,
				       h->error_streak, p->err);
}

static int followed_redirect(const struct crawl_fetch_result *r)
{
	return r->redirect_url && (r->status == 301 || r->status == 302 || r->status == 303 ||
				   r->status == 307 || r->status == 308);
}

static enum vigil_code handle_result(struct crawl_pass *p, struct crawl_fetch_result *r)
{
	struct crawl_job *job = r->user;
	struct crawl_source_run *src = job->src;
	int robots;
	enum vigil_code code;

	src->job = NULL;
	/* A fixed pass clock is the time of every answer of the pass too, so
	 * captures, WARC dates and recheck schedules agree with it. */
	if (p->opt->now)
		r->fetched_at = p->opt->now;
	if (r->status > 0)
		p->sum->fetched++;
	robots = job->robots != NULL;
	if (job->robots) {
		code = handle_robots_result(p, src, job, r);
	} else if (followed_redirect(r)) {
		code = handle_redirect(p, src, job, r);
		job = NULL;
	} else {
		/* The page's result moves to the pipeline: note its host and
		 * report it first. */
		code = host_note(p, r, robots);
		if (code == VIGIL_OK && p->opt->progress)
			p->opt->progress(r->url, r->status, p->sum, p->opt->context);
		if (code == VIGIL_OK)
			return handle_page_result(p, src, job, r);
		job_free(job);
		return code;
	}
	if (code == VIGIL_OK)
		code = host_note(p, r, robots);
	if (code == VIGIL_OK && p->opt->progress)
		p->opt->progress(r->url, r->status, p->sum, p->opt->context);
	job_free(job);
	return code;
}

/* ---------------- sources ---------------- */

static void source_run_release(struct crawl_source_run *src)
{
	job_free(src->job);
	src->job = NULL;
	job_free(src->redirect);
	src->redirect = NULL;
	free(src->scope);
	free(src->scope_origin);
	src->scope = src->scope_origin = NULL;
}

/* Queue a probe of a random URL of url's origin when none was queued in
 * this pass and the index holds no not-found page of the host younger
 * than CRAWL_NOTFOUND_MAX_AGE. The answer (crawl_ingest, kind PROBE) is
 * what the host shows for a missing page: a rechecked article that shows
 * it is a soft 404. */
static enum vigil_code queue_probe(struct crawl_pass *p, struct crawl_source_run *src,
				   const char *url)
{
	struct archive_host host = { 0 };
	struct crawl_robots *rb;
	unsigned char random[8];
	char probe[64 + sizeof(CRAWL_PROBE_PREFIX)], *origin = vigil_url_origin(url, NULL);
	struct vigil_buf probe_url = VIGIL_BUF_INIT;
	int added = 0, fresh = 0;
	enum vigil_code code;
	int64_t now = pass_now(p);

	if (!origin)
		return VIGIL_OK; /* not an http(s) URL: never fetched anyway */
	rb = robots_get(p, origin);
	if (!rb)
		return vigil_error_set(p->err, VIGIL_ERR_NOMEM, "crawl: out of memory");
	if (rb->probed)
		return VIGIL_OK;
	rb->probed = 1;
	code = archive_host_get(p->opt->store, rb->origin, &host, p->err);
	if (code == VIGIL_ERR_NOT_FOUND) {
		vigil_error_clear(p->err);
		code = VIGIL_OK;
	}
	fresh = code == VIGIL_OK && host.notfound_status > 0 && host.notfound_at <= now &&
		now - host.notfound_at < CRAWL_NOTFOUND_MAX_AGE;
	archive_host_release(&host);
	if (code != VIGIL_OK || fresh)
		return code;
	if (getrandom(random, sizeof(random), 0) != (ssize_t)sizeof(random))
		for (size_t i = 0; i < sizeof(random); i++)
			random[i] = (unsigned char)((uint64_t)now >> (i * 4)) ^ (unsigned char)i;
	snprintf(probe, sizeof(probe), CRAWL_PROBE_PREFIX "%02x%02x%02x%02x%02x%02x%02x%02x",
		 random[0], random[1], random[2], random[3], random[4], random[5], random[6],
		 random[7]);
	if (vigil_buf_printf(&probe_url, "%s%s", rb->origin, probe))
		return vigil_error_set(p->err, VIGIL_ERR_NOMEM, "crawl: out of memory");
	code = archive_frontier_add(p->opt->store, src->source_id, probe_url.data, 1,
				    CRAWL_KIND_PROBE, &added, p->err);
	vigil_buf_release(&probe_url);
	return code;
}

/* Is the start URL (the listing, feed or channel page) due? */
static int start_due(const struct crawl_pass *p, const struct config_source *cfg,
		     const struct archive_source_info *info)
{
	int64_t now = pass_now(p);

	if (p->opt->force || cfg->interval_hours <= 0 || info->last_crawl_start <= 0)
		return 1;
	return now - info->last_crawl_start >= (int64_t)cfg->interval_hours * 3600;
}

/* Does the source recheck its materials by schedule (rather than all of
 * them with the start page)? Channel posts are rechecked through the
 * channel page. */
static int scheduled_rechecks(const struct crawl_pass *p, const struct config_source *cfg)
{
	return cfg->kind != CONFIG_SOURCE_CHANNEL && p->settings->recheck_step_count > 0;
}

/* A fresh pass: the start URL when with_start, and the known materials
 * that are due (all live ones with --force, or with the start page when
 * there is no schedule). */
static enum vigil_code seed(struct crawl_pass *p, struct crawl_source_run *src, int with_start)
{
	char **live = NULL, *start;
	size_t count = 0;
	int added = 0;
	enum vigil_code code;
	struct vigil_error url_err = { 0 };

	code = archive_begin(p->opt->store, p->err);
	if (code != VIGIL_OK)
		return code;
	/* Done entries of a pass killed after its last page would hide the
	 * start URL from archive_frontier_add. */
	code = archive_frontier_clear(p->opt->store, src->source_id, p->err);
	/* The start page gets the key its links to it get. */
	start = vigil_url_normalise(src->config->url, &url_err);
	/* the raw URL would be a second key for the start page */
	if (code == VIGIL_OK && !start && url_err.code == VIGIL_ERR_NOMEM)
		code = vigil_error_set(p->err, VIGIL_ERR_NOMEM,
				       "source %s: start URL: out of memory", src->config->name);
	if (code == VIGIL_OK && with_start)
		code = archive_frontier_add(p->opt->store, src->source_id,
					    start ? start : src->config->url, 0,
					    CRAWL_KIND_START, &added, p->err);
	free(start);
	/* Known materials are fetched again directly: a deleted article
	 * vanishes from its feed, so only a recheck can notice it. Channel
	 * posts are rechecked through the channel page itself. */
	if (code == VIGIL_OK && scheduled_rechecks(p, src->config))
		code = archive_material_due_urls(p->opt->store, src->source_id, pass_now(p),
						 p->opt->force, &live, &count, p->err);
	else if (code == VIGIL_OK && with_start && src->config->kind != CONFIG_SOURCE_CHANNEL)
		code = archive_material_live_urls(p->opt->store, src->source_id, &live, &count,
						  p->err);
	/* The probes go first, so the rechecks of their hosts can use them. */
	for (size_t i = 0; i < count && code == VIGIL_OK && p->opt->probe_notfound; i++)
		code = queue_probe(p, src, live[i]);
	for (size_t i = 0; i < count; i++) {
		if (code == VIGIL_OK)
			code = archive_frontier_add(p->opt->store, src->source_id, live[i], 1,
						    CRAWL_KIND_ARTICLE, &added, p->err);
		free(live[i]);
	}
	free(live);
	if (code == VIGIL_OK)
		code = archive_commit(p->opt->store, p->err);
	else
		archive_rollback(p->opt->store);
	return code;
}

/* Start source number i if it is due: sync it, seed or resume its frontier
 * and add it to the active set. */
static enum vigil_code source_start(struct crawl_pass *p, size_t i)
{
	const struct config_source *cfg = &p->opt->sources->items[i];
	struct archive_source_info info = { 0 };
	struct crawl_source_run src = { 0 }, *run;
	int64_t pending = 0, rechecks = 0, next_recheck = 0;
	int with_start;
	enum vigil_code code;
	struct vigil_error url_err = { 0 };

	if (p->opt->only_source && strcmp(p->opt->only_source, cfg->name) != 0)
		return VIGIL_OK;
	src.config = cfg;
	src.max_pages = cfg->max_pages > 0 ? cfg->max_pages : CRAWL_DEFAULT_MAX_PAGES;
	code = archive_source_sync(p->opt->store, cfg->name, cfg->url,
				   config_source_kind_name(cfg->kind), &src.source_id, p->err);
	if (code == VIGIL_OK)
		code = archive_source_get(p->opt->store, cfg->name, &info, p->err);
	/* Entries deferred by a host's back-off are tried again. */
	if (code == VIGIL_OK)
		code = archive_frontier_requeue(p->opt->store, src.source_id, p->err);
	if (code == VIGIL_OK)
		code = archive_frontier_pending(p->opt->store, src.source_id, &pending, p->err);
	if (code == VIGIL_OK && scheduled_rechecks(p, cfg))
		code = archive_source_rechecks(p->opt->store, src.source_id, pass_now(p), &rechecks,
					       &next_recheck, p->err);
	if (code != VIGIL_OK)
		goto out;
	with_start = start_due(p, cfg, &info);
	if (!with_start && pending == 0 && rechecks == 0)
		goto out;
	if (cfg->scope && cfg->scope[0]) {
		src.scope = vigil_url_resolve(cfg->url, cfg->scope, &url_err);
	} else {
		char *origin = vigil_url_origin(cfg->url, &url_err);

		if (origin && (src.scope = malloc(strlen(origin) + 2)))
			sprintf(src.scope, "%s/", origin);
		else if (origin)
			url_err.code = VIGIL_ERR_NOMEM;
		free(origin);
	}
	src.scope_origin = src.scope ? vigil_url_origin(src.scope, &url_err) : NULL;
	/* Out of memory is not the user's configuration error. */
	if ((!src.scope || !src.scope_origin) && url_err.code == VIGIL_ERR_NOMEM) {
		code = vigil_error_set(p->err, VIGIL_ERR_NOMEM, "source %s: out of memory",
				       cfg->name);
		goto out;
	}
	if (!src.scope || !src.scope_origin) {
		code = vigil_error_set(p->err, VIGIL_ERR_CONFIG, "%s:%d: source %s: bad url or scope",
				       p->opt->sources->path ? p->opt->sources->path : "sources",
				       cfg->line, cfg->name);
		goto out;
	}
	/* Only a pass that fetches the start URL restarts the source's
	 * interval: not one of rechecks alone, nor a resumed one. */
	if (with_start && pending == 0)
		code = archive_source_mark_started(p->opt->store, src.source_id, pass_now(p), p->err);
	if (code == VIGIL_OK && pending == 0)
		code = seed(p, &src, with_start);
	if (code != VIGIL_OK)
		goto out;
	run = malloc(sizeof(*run));
	if (!run) {
		code = vigil_error_set(p->err, VIGIL_ERR_NOMEM, "crawl: out of memory");
		goto out;
	}
	*run = src;
	memset(&src, 0, sizeof(src));
	p->sum->sources++;
	p->active[p->active_count++] = run;
out:
	archive_source_info_release(&info);
	source_run_release(&src);
	return code;
}

static enum vigil_code source_finish(struct crawl_pass *p, struct crawl_source_run *src)
{
	char status[64];
	enum vigil_code code = VIGIL_OK;

	if (src->warc)
		code = archive_warc_close(&src->warc, p->err);
	if (code != VIGIL_OK)
		return code;
	if (src->errors)
		snprintf(status, sizeof(status), "errors: %d", src->errors);
	else
		snprintf(status, sizeof(status), "ok");
	code = archive_begin(p->opt->store, p->err);
	if (code != VIGIL_OK)
		return code;
	code = archive_frontier_clear(p->opt->store, src->source_id, p->err);
	if (code == VIGIL_OK)
		code = archive_source_mark_finished(p->opt->store, src->source_id, pass_now(p),
						    status, src->errors, p->err);
	if (code == VIGIL_OK)
		code = archive_commit(p->opt->store, p->err);
	else
		archive_rollback(p->opt->store);
	return code;
}

static enum vigil_code queue_job(struct crawl_pass *p, struct crawl_source_run *src,
				 struct crawl_job *job, const char *url)
{
	struct archive_capture last = { 0 };
	enum vigil_code code = VIGIL_OK;

	/* A URL answered before is asked conditionally, with the validators
	 * of its last stored 2xx answer (not a redirect's target: the
	 * capture of the frontier URL answers for the whole chain). */
	if (!job->robots && !job->hops) {
		code = archive_capture_original(p->opt->store, url, 0, &last, p->err);
		if (code == VIGIL_ERR_NOT_FOUND) {
			vigil_error_clear(p->err);
			code = VIGIL_OK;
		}
		if (code != VIGIL_OK) {
			job_free(job);
			return code;
		}
	}
	/* Pages: redirects come back to the crawler (robots.txt of each
	 * target first); robots.txt itself: curl follows (RFC 9309 2.3.1.2). */
	code = job->robots ? crawl_fetcher_add_limited(p->fetcher, url, CRAWL_ROBOTS_MAX_BYTES, 1,
						       job, p->err)
			   : crawl_fetcher_add_validated(p->fetcher, url, 0, 0, last.etag,
							 last.last_modified, job, p->err);
	archive_capture_release(&last);

	if (code != VIGIL_OK) {
		job_free(job);
		return code;
	}
	src->job = job;
	return VIGIL_OK;
}

/* May url, a redirect target, be fetched? *verdict: 1 yes, 0 no (robots.txt
 * of its origin disallows it), -1 not known yet: its robots.txt is being
 * fetched (queued here as src's job when nobody fetches it yet). */
static enum vigil_code redirect_verdict(struct crawl_pass *p, struct crawl_source_run *src,
					const char *url, int *verdict)
{
	struct crawl_robots *rb;
	struct vigil_error url_err = { 0 };
	char *origin;
	int ready;
	enum vigil_code code;

	*verdict = 1;
	if (!p->settings->obey_robots)
		return VIGIL_OK;
	origin = vigil_url_origin(url, NULL);
	rb = origin ? robots_get(p, origin) : NULL;
	if (!rb)
		return vigil_error_set(p->err, VIGIL_ERR_NOMEM, "crawl: out of memory");
	if (rb->state == ROBOTS_NEEDED) {
		code = robots_from_cache(p, rb, &ready);
		if (code != VIGIL_OK)
			return code;
		if (!ready) {
			struct crawl_job *job = calloc(1, sizeof(*job));
			struct vigil_buf robots_url = VIGIL_BUF_INIT;

			if (!job || vigil_buf_printf(&robots_url, "%s/robots.txt", rb->origin)) {
				free(job);
				vigil_buf_release(&robots_url);
				return vigil_error_set(p->err, VIGIL_ERR_NOMEM, "crawl: out of memory");
			}
			job->src = src;
			job->robots = rb;
			rb->state = ROBOTS_FETCHING;
			code = queue_job(p, src, job, robots_url.data);
			vigil_buf_release(&robots_url);
			*verdict = -1;
			return code;
		}
	}
	if (rb->state == ROBOTS_FETCHING) {
		*verdict = -1;
		return VIGIL_OK;
	}
	if (rb->disallow_all) {
		*verdict = 0;
	} else if (rb->rules) {
		/* Not allowed when the URL cannot be matched. */
		*verdict = parse_robots_allowed(rb->rules, url, &url_err);
		if (!*verdict && url_err.code)
			crawl_pass_problem(p, "%s", url_err.message);
	}
	return VIGIL_OK;
}

/* Fetch the target of a parked redirect if robots.txt allows it, settle
 * the entry if not; leave it parked while the target's robots.txt is on
 * its way. */
static enum vigil_code feed_redirect(struct crawl_pass *p, struct crawl_source_run *src)
{
	struct crawl_job *job = src->redirect;
	int verdict;
	enum vigil_code code = redirect_verdict(p, src, job->redirect_to, &verdict);

	if (code != VIGIL_OK || verdict < 0)
		return code;
	src->redirect = NULL;
	if (verdict)
		return queue_job(p, src, job, job->redirect_to);
	p->sum->skipped_robots++;
	crawl_pass_problem(p, "%s: redirect to %s not followed: disallowed by robots.txt", job->entry.url,
		job->redirect_to);
	code = archive_frontier_finish(p->opt->store, job->entry.id, ARCHIVE_FRONTIER_FAILED,
				       p->err);
	job_free(job);
	return code;
}

/* Give an idle source its next fetch. *finished = 1 when its frontier has
 * nothing pending. Disallowed entries are settled here without a fetch. */
static enum vigil_code source_feed(struct crawl_pass *p, struct crawl_source_run *src,
				   int *finished)
{
	*finished = 0;
	/* Enough of its answers wait for analysis: the next fetch can wait. */
	if (src->in_flight >= p->lookahead)
		return VIGIL_OK;
	if (src->redirect) {
		enum vigil_code code = feed_redirect(p, src);

		if (code != VIGIL_OK || src->redirect || src->job)
			return code;
	}
	for (;;) {
		struct crawl_job *job = calloc(1, sizeof(*job));
		struct crawl_robots *rb = NULL;
		enum vigil_code code;
		int disallowed = 0, ready;
		struct vigil_error url_err = { 0 };
		char *origin;

		if (!job)
			return vigil_error_set(p->err, VIGIL_ERR_NOMEM, "crawl: out of memory");
		job->src = src;
		/* Entries up to the last one handed out are fetched or being
		 * processed; the ones after it were added in the order of the
		 * answers applied, so the order of fetches does not depend on
		 * how fast the workers are. */
		code = archive_frontier_next_after(p->opt->store, src->source_id,
						   src->in_flight ? src->last_entry_id : 0,
						   &job->entry, p->err);
		if (code == VIGIL_ERR_NOT_FOUND) {
			job_free(job);
			vigil_error_clear(p->err);
			/* answers still on their way may add entries */
			*finished = src->in_flight == 0;
			return VIGIL_OK;
		}
		if (code != VIGIL_OK) {
			job_free(job);
			return code;
		}
		origin = vigil_url_origin(job->entry.url, &url_err);
		if (!origin) {
			crawl_pass_problem(p, "%s", url_err.message);
			page_error(p, src);
			code = archive_frontier_finish(p->opt->store, job->entry.id,
						       ARCHIVE_FRONTIER_FAILED, p->err);
			job_free(job);
			if (code != VIGIL_OK)
				return code;
			continue;
		}
		{
			struct crawl_host *host;
			char *copy = strdup(origin);

			if (!copy) {
				free(origin);
				job_free(job);
				return vigil_error_set(p->err, VIGIL_ERR_NOMEM, "crawl: out of memory");
			}
			code = host_state(p, copy, &host);
			if (code == VIGIL_OK && host->backoff_until > pass_now(p)) {
				/* Not a failure and not a deletion: the entry
				 * waits in the frontier for a later pass. */
				if (!host->reported) {
					char until[32];

					vigil_format_time(host->backoff_until, until);
					crawl_pass_problem(p, "%s: in back-off until %s; its URLs are deferred",
						host->origin, until);
					host->reported = 1;
				}
				p->sum->deferred++;
				code = archive_frontier_finish(p->opt->store, job->entry.id,
							       ARCHIVE_FRONTIER_DEFERRED, p->err);
				free(origin);
				job_free(job);
				if (code != VIGIL_OK)
					return code;
				continue;
			}
			if (code != VIGIL_OK) {
				free(origin);
				job_free(job);
				return code;
			}
		}
		if (p->settings->obey_robots) {
			rb = robots_get(p, origin);
			origin = NULL;
			if (!rb) {
				job_free(job);
				return vigil_error_set(p->err, VIGIL_ERR_NOMEM, "crawl: out of memory");
			}
			if (rb->state == ROBOTS_NEEDED) {
				code = robots_from_cache(p, rb, &ready);
				if (code != VIGIL_OK) {
					job_free(job);
					return code;
				}
				if (!ready) {
					char *url = malloc(strlen(rb->origin) + sizeof("/robots.txt"));

					archive_frontier_entry_release(&job->entry);
					if (!url) {
						job_free(job);
						return vigil_error_set(p->err, VIGIL_ERR_NOMEM,
								       "crawl: out of memory");
					}
					sprintf(url, "%s/robots.txt", rb->origin);
					job->robots = rb;
					rb->state = ROBOTS_FETCHING;
					code = queue_job(p, src, job, url);
					free(url);
					return code;
				}
			}
			if (rb->state == ROBOTS_FETCHING) {
				/* Another source is fetching it: wait for it. */
				job_free(job);
				return VIGIL_OK;
			}
			if (rb->disallow_all) {
				disallowed = 1;
			} else if (rb->rules) {
				/* Not allowed when the URL cannot be matched. */
				disallowed = !parse_robots_allowed(rb->rules, job->entry.url, &url_err);
				if (disallowed && url_err.code)
					crawl_pass_problem(p, "%s", url_err.message);
			}
		}
		free(origin);
		if (!disallowed) {
			char *url = job->entry.url;

			src->last_entry_id = job->entry.id;
			return queue_job(p, src, job, url);
		}
		p->sum->skipped_robots++;
		code = archive_frontier_finish(p->opt->store, job->entry.id,
					       ARCHIVE_FRONTIER_FAILED, p->err);
		job_free(job);
		if (code != VIGIL_OK)
			return code;
	}
}

/* Activate sources up to the limit and give every idle one work; retire
 * the finished ones. Repeats while a retirement frees a slot. */
static enum vigil_code schedule(struct crawl_pass *p)
{
	int retired;

	do {
		retired = 0;
		while (p->active_count < p->active_cap &&
		       p->next_source < p->opt->sources->count) {
			enum vigil_code code = source_start(p, p->next_source++);

			if (code != VIGIL_OK)
				return code;
		}
		for (size_t i = 0; i < p->active_count; i++) {
			struct crawl_source_run *src = p->active[i];
			int finished = 0;
			enum vigil_code code;

			if (src->job)
				continue;
			code = source_feed(p, src, &finished);
			if (code == VIGIL_OK && finished)
				code = source_finish(p, src);
			if (code != VIGIL_OK)
				return code;
			if (finished) {
				source_run_release(src);
				free(src);
				p->active[i] = p->active[--p->active_count];
				i--;
				retired = 1;
			}
		}
	} while (retired);
	return VIGIL_OK;
}

enum vigil_code crawl_run(const struct crawl_options *options, struct crawl_summary *summary,
			  struct vigil_error *err)
{
	struct crawl_pass pass = { 0 };
	struct crawl_fetcher_options fo = { 0 };
	enum vigil_code code;
	int workers;

	memset(summary, 0, sizeof(*summary));
	if (!options || !options->sources || !options->store || !options->data_dir)
		return vigil_error_set(err, VIGIL_ERR_USAGE,
				       "crawl: sources, store and data_dir are required");
	if (options->only_source) {
		size_t i;

		for (i = 0; i < options->sources->count; i++)
			if (strcmp(options->sources->items[i].name, options->only_source) == 0)
				break;
		if (i == options->sources->count)
			return vigil_error_set(err, VIGIL_ERR_USAGE, "%s: no source named \"%s\"",
					       options->sources->path ? options->sources->path
								      : "sources",
					       options->only_source);
	}
	pass.opt = options;
	pass.settings = &options->sources->settings;
	pass.sum = summary;
	pass.err = err;
	fo.user_agent = pass.settings->user_agent && pass.settings->user_agent[0]
				? pass.settings->user_agent : CRAWL_SOFTWARE;
	fo.delay_ms = pass.settings->delay_ms;
	fo.timeout_seconds = pass.settings->timeout_seconds;
	fo.max_body_bytes = pass.settings->max_body_bytes;
	fo.parallel_hosts = pass.settings->parallel_hosts;
	fo.allow_private = pass.settings->allow_private;
	fo.private_endpoints = pass.settings->private_endpoints;
	pass.active_cap = pass.settings->parallel_hosts > 0 ? (size_t)pass.settings->parallel_hosts : 8;
	pass.active = calloc(pass.active_cap, sizeof(*pass.active));
	if (!pass.active)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "crawl: out of memory");
	workers = options->workers > 0 ? options->workers : (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (workers < 1)
		workers = 1;
	if (workers > CRAWL_MAX_WORKERS)
		workers = CRAWL_MAX_WORKERS;
	/* Two answers per worker keep the workers busy while the main thread
	 * fetches and writes. */
	pass.lookahead = 2 * workers;
	parse_init();
	code = crawl_fetcher_new(&fo, &pass.fetcher, err);
	if (code == VIGIL_OK)
		code = crawl_pool_start(workers, pending_analyse, &pass.pool, err);
	while (code == VIGIL_OK) {
		struct crawl_fetch_result r;

		code = batch_open(&pass);
		if (code == VIGIL_OK)
			code = apply_ready(&pass, 0);
		if (code == VIGIL_OK)
			code = schedule(&pass);
		if (code != VIGIL_OK)
			break;
		if (crawl_fetcher_pending(pass.fetcher) == 0) {
			if (pass.pending_head) {
				/* nothing to fetch until an answer is applied */
				code = apply_ready(&pass, 1);
				if (code == VIGIL_OK)
					code = batch_commit(&pass, 0);
				continue;
			}
			if (pass.active_count == 0)
				break;
			code = vigil_error_set(err, VIGIL_ERR_USAGE,
					       "crawl: %zu sources wait with nothing to fetch",
					       pass.active_count);
			break;
		}
		code = crawl_fetcher_next(pass.fetcher, &r, err);
		if (code != VIGIL_OK)
			break;
		code = handle_result(&pass, &r);
		crawl_fetch_result_release(&r);
		pass.batch_answers++;
		if (code == VIGIL_OK)
			code = batch_commit(&pass, 0);
	}
	/* The answers still in the pipeline are applied; after a failure they
	 * are dropped (their entries stay pending, so the next pass fetches
	 * them again). Then the workers stop. */
	while (pass.pending_head) {
		struct crawl_pending *pd = pass.pending_head;

		if (code == VIGIL_OK) {
			code = apply_ready(&pass, 1);
			continue;
		}
		crawl_pool_done(pass.pool, &pd->work, 1);
		pass.pending_head = pd->next;
		pd->src->in_flight--;
		pending_free(pd);
	}
	pass.pending_tail = NULL;
	crawl_pool_stop(&pass.pool);
	/* What the answers before a failure wrote is whole (a failed answer
	 * rolled back its own savepoint): keep it, as a commit per page did. */
	if (code == VIGIL_OK) {
		code = batch_commit(&pass, 1);
	} else {
		struct vigil_error commit_err = { 0 };

		pass.err = &commit_err;
		(void)batch_commit(&pass, 1);
		pass.err = err;
	}
	/* Stop cleanly: close what is open so every record already written
	 * stays readable; unfinished frontier entries resume next pass. */
	for (size_t i = 0; i < pass.active_count; i++) {
		struct vigil_error close_err = { 0 };

		if (pass.active[i]->warc &&
		    archive_warc_close(&pass.active[i]->warc, &close_err) != VIGIL_OK &&
		    code == VIGIL_OK)
			code = vigil_error_set(err, close_err.code, "%s", close_err.message);
		source_run_release(pass.active[i]);
		free(pass.active[i]);
	}
	crawl_fetcher_free(&pass.fetcher);
	for (size_t i = 0; i < pass.robots_count; i++) {
		parse_robots_free(&pass.robots[i]->rules);
		free(pass.robots[i]->origin);
		free(pass.robots[i]);
	}
	free(pass.robots);
	for (size_t i = 0; i < pass.host_count; i++) {
		free(pass.hosts[i]->origin);
		free(pass.hosts[i]);
	}
	free(pass.hosts);
	free(pass.active);
	return code;
}
