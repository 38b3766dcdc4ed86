/*
 * store.c: the public index functions. Each checks what any backend would
 * check, then hands over to the backend's op (archive_int.h). No SQL here.
 * Also the release functions of the returned structs, which do not depend
 * on the backend.
 */
#include "archive_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define NEED(cond, what) \
	do { if (!(cond)) return vigil_error_set(err, VIGIL_ERR_USAGE, "%s: %s", __func__, what); } while (0)

enum vigil_code archive_store_open(const char *data_dir, struct archive_store **out,
				   struct vigil_error *err)
{
	return archive_store_open_mode(data_dir, ARCHIVE_OPEN_WRITE, out, err);
}

enum vigil_code archive_store_open_mode(const char *data_dir, int flags,
					struct archive_store **out, struct vigil_error *err)
{
	struct archive_store *store;
	char path[PATH_MAX];
	enum vigil_code code;

	NEED(out, "no result pointer");
	*out = NULL;
	NEED(data_dir && *data_dir, "no data directory given");
	if (snprintf(path, sizeof(path), "%s/index.sqlite", data_dir) >= (int)sizeof(path))
		return vigil_error_set(err, VIGIL_ERR_USAGE, "data directory '%s': path too long",
				       data_dir);
	store = calloc(1, sizeof(*store));
	if (!store)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory opening %s", path);
	code = archive_sqlite_open(path, flags, &store->ops, &store->backend, err);
	if (code) {
		free(store);
		return code;
	}
	*out = store;
	return VIGIL_OK;
}

enum vigil_code archive_store_create(const char *index_path, struct archive_store **out,
				     struct vigil_error *err)
{
	struct archive_store *store;
	struct stat st;
	enum vigil_code code;

	NEED(out, "no result pointer");
	*out = NULL;
	NEED(index_path && *index_path, "no index path given");
	if (lstat(index_path, &st) == 0)
		return vigil_error_set(err, VIGIL_ERR_USAGE,
				       "cannot create index %s: the file exists", index_path);
	store = calloc(1, sizeof(*store));
	if (!store)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory creating %s", index_path);
	code = archive_sqlite_open(index_path, ARCHIVE_OPEN_CREATE, &store->ops, &store->backend, err);
	if (code) {
		free(store);
		return code;
	}
	*out = store;
	return VIGIL_OK;
}

void archive_store_close(struct archive_store **store)
{
	if (!store || !*store)
		return;
	(*store)->ops->close((*store)->backend);
	free(*store);
	*store = NULL;
}

enum vigil_code archive_begin(struct archive_store *store, struct vigil_error *err)
{
	NEED(store, "no store");
	return store->ops->begin(store->backend, err);
}

enum vigil_code archive_commit(struct archive_store *store, struct vigil_error *err)
{
	NEED(store, "no store");
	return store->ops->commit(store->backend, err);
}

void archive_rollback(struct archive_store *store)
{
	if (store)
		store->ops->rollback(store->backend);
}

/* ---- sources ---- */

enum vigil_code archive_source_sync(struct archive_store *store, const char *name,
				    const char *url, const char *kind, int64_t *source_id,
				    struct vigil_error *err)
{
	NEED(store && source_id, "no store or result");
	NEED(name && *name, "source without a name");
	return store->ops->source_sync(store->backend, name, url, kind, source_id, err);
}

enum vigil_code archive_source_get(struct archive_store *store, const char *name,
				   struct archive_source_info *out, struct vigil_error *err)
{
	NEED(store && out, "no store or result");
	memset(out, 0, sizeof(*out));
	NEED(name, "no source name");
	return store->ops->source_get(store->backend, name, out, err);
}

enum vigil_code archive_source_mark_started(struct archive_store *store, int64_t source_id,
					    int64_t when, struct vigil_error *err)
{
	NEED(store, "no store");
	return store->ops->source_mark_started(store->backend, source_id, when, err);
}

enum vigil_code archive_source_mark_finished(struct archive_store *store, int64_t source_id,
					     int64_t when, const char *status, int64_t errors,
					     struct vigil_error *err)
{
	NEED(store, "no store");
	return store->ops->source_mark_finished(store->backend, source_id, when, status, errors,
						err);
}

enum vigil_code archive_source_list(struct archive_store *store,
				    struct archive_source_list *out, struct vigil_error *err)
{
	NEED(store && out, "no store or result");
	memset(out, 0, sizeof(*out));
	return store->ops->source_list(store->backend, out, err);
}

void archive_source_info_release(struct archive_source_info *info)
{
	if (!info)
		return;
	free(info->name);
	free(info->url);
	free(info->kind);
	free(info->last_status);
	memset(info, 0, sizeof(*info));
}

void archive_source_list_release(struct archive_source_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		archive_source_info_release(&list->items[i]);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

/* ---- frontier ---- */

enum vigil_code archive_frontier_add(struct archive_store *store, int64_t source_id,
				     const char *url, int depth, int kind, int *added,
				     struct vigil_error *err)
{
	int ignored;

	NEED(store, "no store");
	NEED(url && *url, "no URL");
	return store->ops->frontier_add(store->backend, source_id, url, depth, kind,
					added ? added : &ignored, err);
}

enum vigil_code archive_frontier_next(struct archive_store *store, int64_t source_id,
				      struct archive_frontier_entry *out, struct vigil_error *err)
{
	return archive_frontier_next_after(store, source_id, 0, out, err);
}

enum vigil_code archive_frontier_next_after(struct archive_store *store, int64_t source_id,
					    int64_t after_id, struct archive_frontier_entry *out,
					    struct vigil_error *err)
{
	NEED(store && out, "no store or result");
	memset(out, 0, sizeof(*out));
	return store->ops->frontier_next(store->backend, source_id, after_id, out, err);
}

enum vigil_code archive_frontier_finish(struct archive_store *store, int64_t entry_id,
					enum archive_frontier_state state,
					struct vigil_error *err)
{
	NEED(store, "no store");
	NEED(state == ARCHIVE_FRONTIER_PENDING || state == ARCHIVE_FRONTIER_DONE ||
	     state == ARCHIVE_FRONTIER_FAILED || state == ARCHIVE_FRONTIER_DEFERRED,
	     "unknown frontier state");
	return store->ops->frontier_finish(store->backend, entry_id, state, err);
}

enum vigil_code archive_frontier_pending(struct archive_store *store, int64_t source_id,
					 int64_t *count, struct vigil_error *err)
{
	NEED(store && count, "no store or result");
	*count = 0;
	return store->ops->frontier_pending(store->backend, source_id, count, err);
}

enum vigil_code archive_frontier_clear(struct archive_store *store, int64_t source_id,
				       struct vigil_error *err)
{
	NEED(store, "no store");
	return store->ops->frontier_clear(store->backend, source_id, err);
}

enum vigil_code archive_frontier_requeue(struct archive_store *store, int64_t source_id,
					 struct vigil_error *err)
{
	NEED(store, "no store");
	return store->ops->frontier_requeue(store->backend, source_id, err);
}

void archive_frontier_entry_release(struct archive_frontier_entry *entry)
{
	if (!entry)
		return;
	free(entry->url);
	memset(entry, 0, sizeof(*entry));
}

/* ---- hosts ---- */

enum vigil_code archive_host_get(struct archive_store *store, const char *origin,
				 struct archive_host *out, struct vigil_error *err)
{
	NEED(store && out, "no store or result");
	memset(out, 0, sizeof(*out));
	NEED(origin && *origin, "no origin");
	return store->ops->host_get(store->backend, origin, out, err);
}

enum vigil_code archive_host_put(struct archive_store *store, const struct archive_host *host,
				 struct vigil_error *err)
{
	NEED(store && host, "no store or host");
	NEED(host->origin && *host->origin, "host without an origin");
	return store->ops->host_put(store->backend, host, err);
}

enum vigil_code archive_host_put_notfound(struct archive_store *store,
					  const struct archive_host *host,
					  struct vigil_error *err)
{
	NEED(store && host, "no store or host");
	NEED(host->origin && *host->origin, "host without an origin");
	return store->ops->host_put_notfound(store->backend, host, err);
}

enum vigil_code archive_host_politeness(struct archive_store *store, const char *origin,
					int64_t last_fetch_at, int64_t backoff_until,
					int error_streak, struct vigil_error *err)
{
	NEED(store, "no store");
	NEED(origin && *origin, "no origin");
	return store->ops->host_politeness(store->backend, origin, last_fetch_at, backoff_until,
					   error_streak, err);
}

void archive_host_release(struct archive_host *host)
{
	if (!host)
		return;
	free(host->origin);
	free(host->robots);
	free(host->notfound_digest);
	free(host->notfound_text);
	memset(host, 0, sizeof(*host));
}

/* ---- captures ---- */

enum vigil_code archive_capture_add(struct archive_store *store, struct archive_capture *capture,
				    struct vigil_error *err)
{
	NEED(store && capture, "no store or capture");
	NEED(capture->url && *capture->url, "capture without a URL");
	return store->ops->capture_add(store->backend, capture, err);
}

enum vigil_code archive_capture_last(struct archive_store *store, const char *url,
				     struct archive_capture *out, struct vigil_error *err)
{
	NEED(store && out, "no store or result");
	memset(out, 0, sizeof(*out));
	NEED(url, "no URL");
	return store->ops->capture_last(store->backend, url, out, err);
}

enum vigil_code archive_capture_original(struct archive_store *store, const char *url,
					 int status, struct archive_capture *out,
					 struct vigil_error *err)
{
	NEED(store && out, "no store or result");
	memset(out, 0, sizeof(*out));
	NEED(url, "no URL");
	return store->ops->capture_original(store->backend, url, status, out, err);
}

enum vigil_code archive_capture_get(struct archive_store *store, int64_t id,
				    struct archive_capture *out, struct vigil_error *err)
{
	NEED(store && out, "no store or result");
	memset(out, 0, sizeof(*out));
	return store->ops->capture_get(store->backend, id, out, err);
}

void archive_capture_release(struct archive_capture *capture)
{
	if (!capture)
		return;
	free(capture->url);
	free(capture->content_type);
	free(capture->etag);
	free(capture->last_modified);
	free(capture->payload_digest);
	free(capture->warc_path);
	memset(capture, 0, sizeof(*capture));
}

/* ---- materials ---- */

enum vigil_code archive_material_record(struct archive_store *store,
					const struct archive_version_input *input,
					enum archive_change *change, int64_t *material_id,
					struct vigil_error *err)
{
	enum archive_change ignored_change;
	int64_t ignored_id;

	NEED(store && input, "no store or input");
	NEED(input->url && *input->url, "version without a URL");
	NEED(!input->category_count || input->categories, "category count without categories");
	NEED(!input->threat_count || input->threats, "threat count without threats");
	NEED(!input->region_count || input->regions, "region count without regions");
	NEED(!input->hit_count || input->hits, "hit count without hits");
	return store->ops->material_record(store->backend, input,
					   change ? change : &ignored_change,
					   material_id ? material_id : &ignored_id, err);
}

enum vigil_code archive_material_mark_deleted(struct archive_store *store, const char *url,
					      int64_t when, const char *how, int64_t capture_id,
					      const char *detail, int *marked,
					      struct vigil_error *err)
{
	int ignored;

	NEED(store, "no store");
	NEED(url, "no URL");
	return store->ops->material_mark_deleted(store->backend, url, when, how, capture_id,
						 detail, marked ? marked : &ignored, err);
}

enum vigil_code archive_material_touch_unchanged(struct archive_store *store, const char *url,
						 const char *payload_digest, int64_t when,
						 int *unchanged, struct vigil_error *err)
{
	NEED(store && unchanged, "no store or result");
	*unchanged = 0;
	NEED(url && payload_digest, "no URL or digest");
	return store->ops->material_touch_unchanged(store->backend, url, payload_digest, when,
						    unchanged, err);
}

enum vigil_code archive_material_resolve(struct archive_store *store, const char *url,
					 char **material_url, struct vigil_error *err)
{
	NEED(store && material_url, "no store or result");
	*material_url = NULL;
	NEED(url, "no URL");
	return store->ops->material_resolve(store->backend, url, material_url, err);
}

enum vigil_code archive_material_live_urls(struct archive_store *store, int64_t source_id,
					   char ***urls, size_t *count, struct vigil_error *err)
{
	NEED(store && urls && count, "no store or result");
	*urls = NULL;
	*count = 0;
	return store->ops->material_live_urls(store->backend, source_id, urls, count, err);
}

enum vigil_code archive_search(struct archive_store *store, const struct archive_query *query,
			       struct archive_results *out, struct vigil_error *err)
{
	static const struct archive_query any;

	NEED(store && out, "no store or result");
	memset(out, 0, sizeof(*out));
	if (!query)
		query = &any;
	if (query->tone && archive_tone_parse(query->tone) < 0)
		return vigil_error_set(err, VIGIL_ERR_USAGE,
				       "search: tone '%s' is not negative, neutral or supportive",
				       query->tone);
	NEED(query->limit >= 0 && query->offset >= 0, "negative limit or offset");
	return store->ops->search(store->backend, query, out, err);
}

static const char *const count_key_names[] = {
	[ARCHIVE_KEY_REGION] = "region", [ARCHIVE_KEY_MACRO_REGION] = "macro-region",
	[ARCHIVE_KEY_TONE] = "tone", [ARCHIVE_KEY_THREAT] = "threat",
	[ARCHIVE_KEY_CATEGORY] = "category", [ARCHIVE_KEY_SOURCE] = "source",
	[ARCHIVE_KEY_MONTH] = "month", [ARCHIVE_KEY_QUARTER] = "quarter",
};

int archive_count_key_parse(const char *name)
{
	for (size_t i = 0; name && i < sizeof(count_key_names) / sizeof(*count_key_names); i++)
		if (!strcmp(name, count_key_names[i]))
			return (int)i;
	return -1;
}

const char *archive_count_key_name(enum archive_count_key key)
{
	return (size_t)key < sizeof(count_key_names) / sizeof(*count_key_names)
		       ? count_key_names[key] : "?";
}

enum vigil_code archive_search_count(struct archive_store *store, const struct archive_query *query,
				     const enum archive_count_key *keys, size_t key_count,
				     struct archive_counts *out, struct vigil_error *err)
{
	static const struct archive_query any;

	NEED(store && out && key_count <= 2 && (keys || !key_count), "no store, result or keys");
	memset(out, 0, sizeof(*out));
	if (!query)
		query = &any;
	if (query->tone && archive_tone_parse(query->tone) < 0)
		return vigil_error_set(err, VIGIL_ERR_USAGE,
				       "search: tone '%s' is not negative, neutral or supportive",
				       query->tone);
	for (size_t i = 0; i < key_count; i++)
		NEED(archive_count_key_parse(archive_count_key_name(keys[i])) >= 0, "unknown key");
	return store->ops->count(store->backend, query, keys, key_count, out, err);
}

void archive_counts_release(struct archive_counts *counts)
{
	if (!counts)
		return;
	for (size_t i = 0; i < counts->count; i++) {
		free(counts->rows[i].values[0]);
		free(counts->rows[i].values[1]);
	}
	free(counts->rows);
	counts->rows = NULL;
	counts->count = 0;
}

enum vigil_code archive_material_get(struct archive_store *store, const char *key, int version,
				     struct archive_material_detail *out, struct vigil_error *err)
{
	NEED(store && out, "no store or result");
	memset(out, 0, sizeof(*out));
	NEED(key && *key, "no material id or URL");
	NEED(version >= 0, "negative version number");
	return store->ops->material_get(store->backend, key, version, out, err);
}

static void free_strings(char **items, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(items[i]);
	free(items);
}

void archive_material_release(struct archive_material *m)
{
	if (!m)
		return;
	free(m->url);
	free(m->source);
	free(m->title);
	free(m->published);
	free(m->lang);
	free_strings(m->categories, m->category_count);
	free_strings(m->threats, m->threat_count);
	for (size_t i = 0; i < m->region_count; i++) {
		free(m->regions[i].id);
		free(m->regions[i].label);
		free(m->regions[i].macro);
	}
	free(m->regions);
	free(m->snippet);
	free(m->post_key);
	free(m->deleted_how);
	memset(m, 0, sizeof(*m));
}

void archive_results_release(struct archive_results *results)
{
	if (!results)
		return;
	for (size_t i = 0; i < results->count; i++)
		archive_material_release(&results->items[i]);
	free(results->items);
	memset(results, 0, sizeof(*results));
}

void archive_material_detail_release(struct archive_material_detail *d)
{
	if (!d)
		return;
	archive_material_release(&d->material);
	for (size_t i = 0; i < d->version_count; i++) {
		free(d->versions[i].title);
		free(d->versions[i].text_digest);
		free(d->versions[i].final_url);
	}
	for (size_t i = 0; i < d->event_count; i++) {
		free(d->events[i].kind);
		free(d->events[i].how);
		free(d->events[i].detail);
	}
	free(d->events);
	free(d->versions);
	free(d->text);
	free(d->author);
	free(d->canonical_url);
	free(d->channel.key);
	free(d->channel.channel);
	free(d->channel.forwarded_from);
	free(d->channel.forwarded_url);
	free(d->channel.links);
	free(d->channel.album);
	for (size_t i = 0; i < d->hit_count; i++) {
		free(d->hits[i].kind);
		free(d->hits[i].rule_id);
		free(d->hits[i].label);
		free(d->hits[i].matched);
		free(d->hits[i].where);
	}
	free(d->hits);
	for (size_t i = 0; i < d->copy_count; i++) {
		free(d->copies[i].url);
		free(d->copies[i].source);
		free(d->copies[i].published);
	}
	free(d->copies);
	memset(d, 0, sizeof(*d));
}

const char *archive_tone_name(enum archive_tone tone)
{
	switch (tone) {
	case ARCHIVE_TONE_NEUTRAL: return "neutral";
	case ARCHIVE_TONE_NEGATIVE: return "negative";
	case ARCHIVE_TONE_SUPPORTIVE: return "supportive";
	}
	return "neutral";
}

int archive_tone_parse(const char *name)
{
	if (!name)
		return -1;
	if (!strcasecmp(name, "negative"))
		return ARCHIVE_TONE_NEGATIVE;
	if (!strcasecmp(name, "neutral"))
		return ARCHIVE_TONE_NEUTRAL;
	if (!strcasecmp(name, "supportive"))
		return ARCHIVE_TONE_SUPPORTIVE;
	return -1;
}

/* ---- recheck schedule ---- */

enum vigil_code archive_material_recheck_get(struct archive_store *store, const char *url,
					     struct archive_recheck *out,
					     struct vigil_error *err)
{
	NEED(store && out, "no store or result");
	memset(out, 0, sizeof(*out));
	NEED(url, "no URL");
	return store->ops->material_recheck_get(store->backend, url, out, err);
}

enum vigil_code archive_material_recheck_set(struct archive_store *store,
					     const struct archive_recheck *in,
					     struct vigil_error *err)
{
	NEED(store && in, "no store or schedule");
	NEED(in->material_id > 0, "no material id");
	return store->ops->material_recheck_set(store->backend, in, err);
}

enum vigil_code archive_material_due_urls(struct archive_store *store, int64_t source_id,
					  int64_t now, int all, char ***urls, size_t *count,
					  struct vigil_error *err)
{
	NEED(store && urls && count, "no store or result");
	*urls = NULL;
	*count = 0;
	return store->ops->material_due_urls(store->backend, source_id, now, all, urls, count,
					     err);
}

enum vigil_code archive_source_rechecks(struct archive_store *store, int64_t source_id,
					int64_t now, int64_t *due, int64_t *next_at,
					struct vigil_error *err)
{
	NEED(store && due && next_at, "no store or result");
	*due = 0;
	*next_at = 0;
	return store->ops->source_rechecks(store->backend, source_id, now, due, next_at, err);
}
