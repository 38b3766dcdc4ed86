/*
 * report.h: the figures of the media-monitoring part of a bulletin for a
 * period (`vigil report`), counted over the index. Part of the archive
 * module; formatting is the caller's.
 *
 * What is counted: the relevant materials (they mention defenders) whose
 * date falls in [from, to), the date being the latest version's
 * publication date, else the material's first sight: exactly the materials
 * `vigil search --relevant --since FROM --until TO` returns. Every figure
 * is the number of those materials that also pass one more search filter
 * (--threat, --region, --tone, --category, --source, --deleted, --edited,
 * or a narrower date range), with the same matching rules as search, so
 * each can be traced back with that search (archive/README.md, "Reports").
 *
 * The taxonomy (threat types and their groups, defender categories,
 * regions) comes from the caller, in the order of the rule files: the
 * archive module does not read configuration.
 */
#ifndef VIGIL_ARCHIVE_REPORT_H
#define VIGIL_ARCHIVE_REPORT_H

#include "archive.h"

/* One entry of the taxonomy; every pointer is borrowed for the call. */
struct archive_report_term {
	const char *id;        /* rule id: "police_detention", "journalist", "PAV" */
	const char *label;     /* human label, or NULL */
	const char *group;     /* threats: the group id, or NULL */
	const char *parent;    /* regions: the enclosing region, NULL at the top */
	const char *macro;     /* regions: the macro-region, or NULL */
};

struct archive_report_taxonomy {
	const struct archive_report_term *threats;    size_t threat_count;
	const struct archive_report_term *categories; size_t category_count;
	const struct archive_report_term *regions;    size_t region_count;
};

/* A labelled figure. */
struct archive_report_count {
	char *id;
	char *label;           /* or NULL */
	char *group;           /* threats: the group, or NULL (also for labels
				  the index holds but the rules no longer name);
				  regions: the macro-region, or NULL */
	int64_t count;
};

/* A calendar month ("2024-05") or quarter ("2024-Q2") of the period, cut
 * to [from, to). */
struct archive_report_bucket {
	char key[32];
	int64_t from, to;
	int64_t count;
};

#define ARCHIVE_REPORT_EXAMPLES 3

struct archive_report_example {
	int64_t id;
	char *title;           /* or NULL */
	char *source;
};

struct archive_report_tone {
	int64_t count;
	/* The earliest headlines of this tone, one per story. */
	struct archive_report_example examples[ARCHIVE_REPORT_EXAMPLES];
	size_t example_count;
};

/* A story with more than one copy among the period's materials. */
struct archive_report_story {
	int64_t story_id;
	int64_t first_id;      /* its earliest copy in the period */
	char *title;           /* that copy's title, or NULL */
	int64_t copies;
	char **outlets;        /* distinct source names, in order of first copy */
	size_t outlet_count;
};

/* A deleted or edited material, with what `vigil show` needs. */
struct archive_report_change {
	int64_t id;
	char *url;
	char *title;           /* or NULL */
	char *source;
	int64_t date;          /* publication, else first seen */
	int deleted;
	int64_t deleted_at;
	char *deleted_how;     /* or NULL */
	int edits;             /* substantive edits */
	int versions;
};

struct archive_report {
	int64_t from, to;
	int64_t materials;
	int64_t outlets;       /* distinct sources */
	int64_t regions_covered; /* top-level regions with at least one material */
	int64_t stories;       /* materials with syndicated copies counted once */
	struct archive_report_bucket *months;   size_t month_count;
	struct archive_report_bucket *quarters; size_t quarter_count;
	struct archive_report_tone tones[3];    /* indexed by enum archive_tone */
	/* Matrix rows: every threat type of the taxonomy in its order, then the
	 * threat labels found in the index that it does not name (group NULL).
	 * count: materials with that threat, whatever their region. */
	struct archive_report_count *threats; size_t threat_count;
	/* Matrix columns: the top-level regions of the taxonomy (oblasts,
	 * cities of republican significance) in its order; count: materials
	 * tagged with the region (as `search --region ID` matches). */
	struct archive_report_count *regions; size_t region_count;
	/* matrix[row * region_count + column]: materials with both. */
	int64_t *matrix;
	struct archive_report_count *categories; size_t category_count; /* taxonomy order */
	struct archive_report_count *macros; size_t macro_count; /* macro-regions, first-use order */
	struct archive_report_count *sources; size_t source_count; /* most materials first */
	struct archive_report_story *syndicated; size_t syndicated_count; /* most copies first */
	struct archive_report_change *deleted; size_t deleted_count; /* by date */
	struct archive_report_change *edited; size_t edited_count;   /* by date */
};

/* At most this many materials are counted; a longer period is refused with
 * VIGIL_ERR_TOO_LARGE (the limit of archive_search). */
#define ARCHIVE_REPORT_MAX_MATERIALS 1000000

/* Count the period [from, to) (from < to, seconds since the epoch) into
 * *out, which the caller releases with archive_report_release. */
enum vigil_code archive_report_build(struct archive_store *store,
				     const struct archive_report_taxonomy *taxonomy,
				     int64_t from, int64_t to, struct archive_report *out,
				     struct vigil_error *err) VIGIL_WARN_UNUSED;
void archive_report_release(struct archive_report *report);

#endif
