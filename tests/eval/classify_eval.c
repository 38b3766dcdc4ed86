/* classify_eval.c: measure the classifier on the development set
 * (tests/classify-dev/dev.jsonl, described in tests/classify-dev/README.md)
 * and on the KazNERD Kazakh region sentences; compare with a baseline.
 *
 *   classify_eval [--dev FILE] [--rules DIR] [--kaznerd FILE]
 *                 [--baseline FILE] [--write-baseline FILE]
 *                 [--errors SPLIT] [--explain ID] [--limit N] [--quiet]
 *
 * Prints precision/recall/F1 for relevance, categories and threats (per
 * label, micro and macro), the tone confusion matrix and macro-F1 over
 * negative and supportive, and region accuracy (exact oblast, macro-region,
 * precision of the regions output), and threat-source accuracy (for each
 * labelled threat the classifier also found, is its source the labelled
 * one: police, court, akimat, ... or unknown), for the splits
 * all/tune/holdout. With
 * --baseline, exits 1 when a figure of the baseline file is more than
 * TOLERANCE below it. --errors tune|holdout|all lists the passages of that
 * split that were classified wrongly (look only at "tune" while editing
 * rules). --explain ID prints every hit of one passage. The rules are loaded the way vigil loads them: the config API
 * (config_rules_load_dir) and the parser API (parse_classifier_new). */
#include "../../common/vigil.h"
#include "../../common/utf8.h"
#include "../../config/config.h"
#include "../../parser/parser.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOLERANCE 0.005

/* ---------------------------------------------------------------- JSON
 * Just enough JSON for one object per line: objects, arrays, strings,
 * true/false/null and numbers (kept as text). */

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json {
	enum json_type type;
	int boolean;
	char *string;          /* JSON_STRING and JSON_NUMBER text */
	char *key;             /* member name inside an object */
	struct json *children; /* array items or object members */
	size_t count;
};

struct json_reader {
	const char *p;
	const char *end;
	int depth;
};

static void json_free(struct json *j)
{
	size_t i;

	for (i = 0; i < j->count; i++)
		json_free(&j->children[i]);
	free(j->children);
	free(j->string);
	free(j->key);
	memset(j, 0, sizeof(*j));
}

static void json_skip_space(struct json_reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\r' || *r->p == '\n'))
		r->p++;
}

static int json_hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static char *json_read_string(struct json_reader *r)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;

	r->p++; /* opening quote */
	while (r->p < r->end && *r->p != '"') {
		const char *start = r->p;
		char one[4];
		size_t n = 1;

		if (*r->p != '\\') {
			while (r->p < r->end && *r->p != '"' && *r->p != '\\')
				r->p++;
			if (vigil_buf_append(&buf, start, (size_t)(r->p - start)))
				goto fail;
			continue;
		}
		if (r->end - r->p < 2)
			goto fail;
		switch (r->p[1]) {
		case 'n': one[0] = '\n'; break;
		case 't': one[0] = '\t'; break;
		case 'r': one[0] = '\r'; break;
		case 'b': one[0] = '\b'; break;
		case 'f': one[0] = '\f'; break;
		case '/': one[0] = '/'; break;
		case '\\': one[0] = '\\'; break;
		case '"': one[0] = '"'; break;
		case 'u': {
			unsigned cp, low;

			if (r->end - r->p < 6 || json_hex4(r->p + 2, &cp))
				goto fail;
			r->p += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && r->end - r->p >= 8 && r->p[2] == '\\' &&
			    r->p[3] == 'u' && !json_hex4(r->p + 4, &low) && low >= 0xDC00 && low < 0xE000) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
				r->p += 6;
			}
			n = vigil_utf8_encode(cp, one);
			if (n == 0)
				goto fail;
			break;
		}
		default:
			goto fail;
		}
		r->p += 2;
		if (vigil_buf_append(&buf, one, n))
			goto fail;
	}
	if (r->p >= r->end)
		goto fail;
	r->p++; /* closing quote */
	if (vigil_buf_append(&buf, "", 0))
		goto fail;
	return vigil_buf_detach(&buf);
fail:
	vigil_buf_release(&buf);
	return NULL;
}

static int json_read(struct json_reader *r, struct json *out);

static int json_append_child(struct json *parent, struct json *child)
{
	struct json *grown = realloc(parent->children, (parent->count + 1) * sizeof(*grown));

	if (!grown)
		return -1;
	parent->children = grown;
	parent->children[parent->count++] = *child;
	return 0;
}

static int json_read_container(struct json_reader *r, struct json *out, char close)
{
	int is_object = close == '}';

	out->type = is_object ? JSON_OBJECT : JSON_ARRAY;
	r->p++;
	json_skip_space(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return 0;
	}
	for (;;) {
		struct json child;
		char *key = NULL;

		memset(&child, 0, sizeof(child));
		json_skip_space(r);
		if (is_object) {
			if (r->p >= r->end || *r->p != '"' || !(key = json_read_string(r)))
				return -1;
			json_skip_space(r);
			if (r->p >= r->end || *r->p != ':') {
				free(key);
				return -1;
			}
			r->p++;
		}
		if (json_read(r, &child)) {
			free(key);
			json_free(&child);
			return -1;
		}
		child.key = key;
		if (json_append_child(out, &child)) {
			json_free(&child);
			return -1;
		}
		json_skip_space(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			return 0;
		}
		return -1;
	}
}

static int json_read(struct json_reader *r, struct json *out)
{
	json_skip_space(r);
	if (r->p >= r->end || ++r->depth > 64)
		return -1;
	if (*r->p == '{' || *r->p == '[') {
		int rc = json_read_container(r, out, *r->p == '{' ? '}' : ']');
		r->depth--;
		return rc;
	}
	r->depth--;
	if (*r->p == '"') {
		out->type = JSON_STRING;
		out->string = json_read_string(r);
		return out->string ? 0 : -1;
	}
	if ((size_t)(r->end - r->p) >= 4 && memcmp(r->p, "true", 4) == 0) {
		out->type = JSON_BOOL, out->boolean = 1, r->p += 4;
		return 0;
	}
	if ((size_t)(r->end - r->p) >= 5 && memcmp(r->p, "false", 5) == 0) {
		out->type = JSON_BOOL, r->p += 5;
		return 0;
	}
	if ((size_t)(r->end - r->p) >= 4 && memcmp(r->p, "null", 4) == 0) {
		out->type = JSON_NULL, r->p += 4;
		return 0;
	}
	if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9')) {
		const char *start = r->p;

		while (r->p < r->end && strchr("+-.eE0123456789", *r->p))
			r->p++;
		out->type = JSON_NUMBER;
		out->string = vigil_strndup(start, (size_t)(r->p - start));
		return out->string ? 0 : -1;
	}
	return -1;
}

static const struct json *json_get(const struct json *object, const char *key)
{
	size_t i;

	if (!object || object->type != JSON_OBJECT)
		return NULL;
	for (i = 0; i < object->count; i++) {
		if (strcmp(object->children[i].key, key) == 0)
			return &object->children[i];
	}
	return NULL;
}

static const char *json_string(const struct json *object, const char *key)
{
	const struct json *v = json_get(object, key);

	return v && v->type == JSON_STRING ? v->string : NULL;
}

/* ------------------------------------------------------------ id sets */

#define MAX_IDS 64

struct id_set {
	const char *ids[MAX_IDS];
	size_t count;
};

static int set_has(const struct id_set *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->count; i++) {
		if (strcmp(s->ids[i], id) == 0)
			return 1;
	}
	return 0;
}

static void set_add(struct id_set *s, const char *id)
{
	if (id && !set_has(s, id) && s->count < MAX_IDS)
		s->ids[s->count++] = id;
}

/* Label counts of one multi-label field (categories or threats). */
#define MAX_LABELS 128

struct label_counts {
	const char *label[MAX_LABELS];
	int tp[MAX_LABELS], fp[MAX_LABELS], fn[MAX_LABELS];
	size_t count;
};

static size_t label_slot(struct label_counts *c, const char *label)
{
	size_t i;

	for (i = 0; i < c->count; i++) {
		if (strcmp(c->label[i], label) == 0)
			return i;
	}
	if (c->count == MAX_LABELS)
		return MAX_LABELS - 1;
	c->label[c->count] = label;
	return c->count++;
}

static void label_score(struct label_counts *c, const struct id_set *gold, const struct id_set *pred)
{
	size_t i;

	for (i = 0; i < pred->count; i++) {
		size_t s = label_slot(c, pred->ids[i]);
		if (set_has(gold, pred->ids[i]))
			c->tp[s]++;
		else
			c->fp[s]++;
	}
	for (i = 0; i < gold->count; i++) {
		if (!set_has(pred, gold->ids[i]))
			c->fn[label_slot(c, gold->ids[i])]++;
	}
}

static double ratio(double a, double b)
{
	return b > 0 ? a / b : 0.0;
}

static double f1(double tp, double fp, double fn)
{
	double p = ratio(tp, tp + fp), r = ratio(tp, tp + fn);

	return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

/* ------------------------------------------------------------ passages */

enum { TONE_NEUTRAL = 0, TONE_NEGATIVE = 1, TONE_SUPPORTIVE = 2 };
enum { SPLIT_ALL = 0, SPLIT_TUNE = 1, SPLIT_HOLDOUT = 2, SPLIT_COUNT = 3 };
static const char *const split_names[SPLIT_COUNT] = { "all", "tune", "holdout" };

struct passage {
	struct json doc;
	const char *id, *split, *region_gold;
	int split_id;
	int relevant_gold, tone_gold;
	struct id_set cats_gold, threats_gold;
	const struct json *sources_gold;      /* labels.threat_sources: threat -> source */
	/* predictions */
	int relevant, tone, tone_score;
	struct id_set cats, threats, regions; /* regions: oblast level, in output order */
	struct id_set event_regions;          /* oblasts of regions[0, region_event_count) */
	char *region_first;                   /* oblast of the first region, or NULL */
	struct parse_classification result;
};

static int tone_from_name(const char *name)
{
	if (name && strcmp(name, "negative") == 0)
		return TONE_NEGATIVE;
	if (name && strcmp(name, "supportive") == 0)
		return TONE_SUPPORTIVE;
	return TONE_NEUTRAL;
}

static void read_id_list(const struct json *array, struct id_set *out)
{
	size_t i;

	if (!array || array->type != JSON_ARRAY)
		return;
	for (i = 0; i < array->count; i++) {
		if (array->children[i].type == JSON_STRING)
			set_add(out, array->children[i].string);
	}
}

/* The oblast (or city of republican significance) a region id belongs to:
 * its topmost parent. */
static const char *region_top(const struct parse_classifier *c, const char *id)
{
	const struct config_rule *rule = parse_classifier_region(c, id);
	int guard = 0;

	while (rule && rule->parent && guard++ < 8) {
		const struct config_rule *up = parse_classifier_region(c, rule->parent);
		if (!up)
			break;
		rule = up;
	}
	return rule ? rule->id : id;
}

static const char *region_macro(const struct parse_classifier *c, const char *id)
{
	const struct config_rule *rule = id ? parse_classifier_region(c, id) : NULL;

	return rule && rule->macro ? rule->macro : "none";
}

static char *read_file(const char *path)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;
	char chunk[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (vigil_buf_append(&buf, chunk, n)) {
			vigil_buf_release(&buf);
			fclose(f);
			return NULL;
		}
	}
	fclose(f);
	if (vigil_buf_append(&buf, "", 0)) {
		vigil_buf_release(&buf);
		return NULL;
	}
	return vigil_buf_detach(&buf);
}

/* Parse each non-empty line of text as one JSON object. */
static int read_jsonl(const char *path, struct json **out, size_t *count)
{
	char *text = read_file(path), *line, *next;
	size_t n = 0, cap = 0, line_no = 0;
	struct json *items = NULL;

	if (!text) {
		fprintf(stderr, "classify_eval: cannot read %s\n", path);
		return -1;
	}
	for (line = text; line && *line; line = next) {
		struct json_reader reader;
		struct json doc;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line_no++;
		if (strspn(line, " \t\r") == strlen(line))
			continue;
		memset(&doc, 0, sizeof(doc));
		reader.p = line, reader.end = line + strlen(line), reader.depth = 0;
		if (json_read(&reader, &doc) || doc.type != JSON_OBJECT) {
			fprintf(stderr, "classify_eval: %s:%zu: not a JSON object\n", path, line_no);
			json_free(&doc);
			free(text);
			return -1;
		}
		if (n == cap) {
			struct json *grown = realloc(items, (cap = cap ? cap * 2 : 256) * sizeof(*grown));
			if (!grown) {
				json_free(&doc);
				free(text);
				return -1;
			}
			items = grown;
		}
		items[n++] = doc;
	}
	free(text);
	*out = items;
	*count = n;
	return 0;
}

static int classify_passage(const struct parse_classifier *c, struct passage *p)
{
	const struct json *labels = json_get(&p->doc, "labels");
	const struct json *rel = json_get(labels, "relevant");
	const struct json *region = json_get(labels, "region");
	struct vigil_error err = { 0 };
	size_t i;

	p->id = json_string(&p->doc, "id");
	p->split = json_string(&p->doc, "split");
	p->split_id = p->split && strcmp(p->split, "holdout") == 0 ? SPLIT_HOLDOUT : SPLIT_TUNE;
	p->relevant_gold = rel && rel->type == JSON_BOOL && rel->boolean;
	p->tone_gold = tone_from_name(json_string(labels, "tone"));
	p->region_gold = region && region->type == JSON_STRING ? region->string : NULL;
	read_id_list(json_get(labels, "categories"), &p->cats_gold);
	read_id_list(json_get(labels, "threats"), &p->threats_gold);
	p->sources_gold = json_get(labels, "threat_sources");
	if (!p->id || !labels) {
		fprintf(stderr, "classify_eval: a passage without id or labels\n");
		return -1;
	}
	if (parse_classify(c, json_string(&p->doc, "title"), json_string(&p->doc, "text"),
			   json_string(&p->doc, "source_region_hint"), &p->result, &err)) {
		fprintf(stderr, "classify_eval: %s: %s\n", p->id, err.message);
		return -1;
	}
	p->relevant = p->result.relevant;
	p->tone = p->result.tone == PARSE_TONE_NEGATIVE ? TONE_NEGATIVE
		  : p->result.tone == PARSE_TONE_SUPPORTIVE ? TONE_SUPPORTIVE : TONE_NEUTRAL;
	p->tone_score = p->result.tone_score;
	for (i = 0; i < p->result.category_count; i++)
		set_add(&p->cats, p->result.categories[i]);
	/* Threats count only for materials about defenders (config/README.md). */
	for (i = 0; p->relevant && i < p->result.threat_count; i++)
		set_add(&p->threats, p->result.threats[i]);
	for (i = 0; i < p->result.region_count; i++)
		set_add(&p->regions, region_top(c, p->result.regions[i]));
	for (i = 0; i < p->result.region_event_count && i < p->result.region_count; i++)
		set_add(&p->event_regions, region_top(c, p->result.regions[i]));
	p->region_first = p->regions.count ? (char *)p->regions.ids[0] : NULL;
	return 0;
}

/* ------------------------------------------------------------ figures */

/* The source the classifier gave to a threat it found (threats count only
 * for materials about defenders), or NULL when it did not find it. */
static const char *predicted_source(const struct passage *p, const char *threat)
{
	size_t i;

	for (i = 0; p->relevant && i < p->result.threat_source_count; i++) {
		if (strcmp(p->result.threat_sources[i].threat, threat) == 0)
			return p->result.threat_sources[i].source;
	}
	return NULL;
}

/* Threat sources: compared = labelled threats also found; of them, right
 * ones, and the same for those whose labelled source is named (not
 * "unknown"). */
struct source_counts {
	int labelled, compared, right, named, named_right;
};

static void score_sources(struct source_counts *sc, const struct passage *p)
{
	size_t i;

	if (!p->sources_gold || p->sources_gold->type != JSON_OBJECT)
		return;
	for (i = 0; i < p->sources_gold->count; i++) {
		const struct json *m = &p->sources_gold->children[i];
		const char *pred = predicted_source(p, m->key);
		int named = m->type == JSON_STRING && strcmp(m->string, "unknown") != 0;

		if (m->type != JSON_STRING)
			continue;
		sc->labelled++;
		if (!pred)
			continue;
		sc->compared++;
		sc->right += strcmp(pred, m->string) == 0;
		sc->named += named;
		sc->named_right += named && strcmp(pred, m->string) == 0;
	}
}

#define MAX_FIGURES 64

struct figures {
	char name[MAX_FIGURES][64];
	double value[MAX_FIGURES];
	size_t count;
};

static void figure(struct figures *f, const char *split, const char *name, double value)
{
	if (f->count == MAX_FIGURES)
		return;
	snprintf(f->name[f->count], sizeof(f->name[0]), "%s.%s", split, name);
	f->value[f->count++] = value;
}

static void print_labels(const char *title, struct label_counts *c, int verbose)
{
	double tp = 0, fp = 0, fn = 0, macro = 0;
	size_t i, used = 0;

	if (verbose)
		printf("  %-22s %6s %6s %6s %4s %4s %4s\n", title, "P", "R", "F1", "tp", "fp", "fn");
	for (i = 0; i < c->count; i++) {
		double lf = f1(c->tp[i], c->fp[i], c->fn[i]);

		tp += c->tp[i], fp += c->fp[i], fn += c->fn[i];
		macro += lf, used++;
		if (verbose)
			printf("  %-22s %6.3f %6.3f %6.3f %4d %4d %4d\n", c->label[i],
			       ratio(c->tp[i], c->tp[i] + c->fp[i]), ratio(c->tp[i], c->tp[i] + c->fn[i]),
			       lf, c->tp[i], c->fp[i], c->fn[i]);
	}
	printf("  %s micro P %.3f R %.3f F1 %.3f, macro-F1 %.3f (%zu labels)\n", title,
	       ratio(tp, tp + fp), ratio(tp, tp + fn), f1(tp, fp, fn), used ? macro / (double)used : 0.0,
	       used);
}

static double labels_micro_f1(const struct label_counts *c)
{
	double tp = 0, fp = 0, fn = 0;
	size_t i;

	for (i = 0; i < c->count; i++)
		tp += c->tp[i], fp += c->fp[i], fn += c->fn[i];
	return f1(tp, fp, fn);
}

static double labels_macro_f1(const struct label_counts *c)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < c->count; i++)
		sum += f1(c->tp[i], c->fp[i], c->fn[i]);
	return c->count ? sum / (double)c->count : 0.0;
}

static void evaluate_split(const struct parse_classifier *c, struct passage *ps, size_t n, int split,
			   int verbose, struct figures *figs)
{
	struct label_counts cats, threats;
	struct source_counts sources = { 0, 0, 0, 0, 0 };
	int rel_tp = 0, rel_fp = 0, rel_fn = 0, confusion[3][3], total = 0;
	int region_n = 0, region_exact = 0, region_macro_ok = 0, region_hits = 0, region_out = 0;
	int region_gold_n = 0, event_exact = 0, event_hits = 0, event_out = 0;
	double tone_f1[3];
	size_t i;
	int t, u;
	static const char *const tone_names[3] = { "neutral", "negative", "supportive" };

	memset(&cats, 0, sizeof(cats));
	memset(&threats, 0, sizeof(threats));
	memset(confusion, 0, sizeof(confusion));
	for (i = 0; i < n; i++) {
		struct passage *p = &ps[i];

		if (split != SPLIT_ALL && p->split_id != split)
			continue;
		total++;
		rel_tp += p->relevant && p->relevant_gold;
		rel_fp += p->relevant && !p->relevant_gold;
		rel_fn += !p->relevant && p->relevant_gold;
		label_score(&cats, &p->cats_gold, &p->cats);
		label_score(&threats, &p->threats_gold, &p->threats);
		score_sources(&sources, p);
		confusion[p->tone_gold][p->tone]++;
		if (!p->relevant_gold)
			continue;
		/* Region figures: materials about defenders, where the place matters. */
		region_n++;
		if ((!p->region_gold && !p->region_first) ||
		    (p->region_gold && p->region_first && strcmp(p->region_gold, p->region_first) == 0))
			region_exact++;
		if (strcmp(region_macro(c, p->region_gold), region_macro(c, p->region_first)) == 0)
			region_macro_ok++;
		region_out += (int)p->regions.count;
		event_out += (int)p->event_regions.count;
		/* The event place alone: exact when its oblasts are the label
		 * (none = none). */
		if (p->region_gold ? p->event_regions.count == 1 &&
					     set_has(&p->event_regions, p->region_gold)
				   : p->event_regions.count == 0)
			event_exact++;
		if (p->region_gold) {
			region_gold_n++;
			region_hits += set_has(&p->regions, p->region_gold);
			event_hits += set_has(&p->event_regions, p->region_gold);
		}
	}
	for (t = 0; t < 3; t++) {
		int tp = confusion[t][t], fp = 0, fn = 0;
		for (u = 0; u < 3; u++) {
			if (u != t)
				fp += confusion[u][t], fn += confusion[t][u];
		}
		tone_f1[t] = f1(tp, fp, fn);
	}
	printf("== %s: %d passages ==\n", split_names[split], total);
	printf("  relevance P %.3f R %.3f F1 %.3f (tp %d fp %d fn %d)\n", ratio(rel_tp, rel_tp + rel_fp),
	       ratio(rel_tp, rel_tp + rel_fn), f1(rel_tp, rel_fp, rel_fn), rel_tp, rel_fp, rel_fn);
	print_labels("categories", &cats, verbose);
	print_labels("threats", &threats, verbose);
	printf("  threat sources: accuracy %.3f (%d of %d labelled threats found), named %.3f (%d), "
	       "unknown %.3f (%d)\n",
	       ratio(sources.right, sources.compared), sources.compared, sources.labelled,
	       ratio(sources.named_right, sources.named), sources.named,
	       ratio(sources.right - sources.named_right, sources.compared - sources.named),
	       sources.compared - sources.named);
	printf("  tone (rows gold, columns predicted)  neutral negative supportive\n");
	for (t = 0; t < 3; t++)
		printf("  %-36s %7d %8d %10d\n", tone_names[t], confusion[t][0], confusion[t][1],
		       confusion[t][2]);
	printf("  tone F1 negative %.3f supportive %.3f neutral %.3f, macro-F1(neg,sup) %.3f\n",
	       tone_f1[1], tone_f1[2], tone_f1[0], (tone_f1[1] + tone_f1[2]) / 2);
	printf("  region (%d relevant) exact %.3f macro-region %.3f precision %.3f recall %.3f "
	       "(%.2f regions per material)\n",
	       region_n, ratio(region_exact, region_n), ratio(region_macro_ok, region_n),
	       ratio(region_hits, region_out), ratio(region_hits, region_gold_n),
	       ratio(region_out, region_n));
	printf("  event region alone: exact %.3f precision %.3f recall %.3f (%.2f oblasts per "
	       "material); also mentioned: %d oblasts, %d of them the label\n",
	       ratio(event_exact, region_n), ratio(event_hits, event_out),
	       ratio(event_hits, region_gold_n), ratio(event_out, region_n), region_out - event_out,
	       region_hits - event_hits);
	figure(figs, split_names[split], "relevance_f1", f1(rel_tp, rel_fp, rel_fn));
	figure(figs, split_names[split], "categories_micro_f1", labels_micro_f1(&cats));
	figure(figs, split_names[split], "categories_macro_f1", labels_macro_f1(&cats));
	figure(figs, split_names[split], "threats_micro_f1", labels_micro_f1(&threats));
	figure(figs, split_names[split], "threats_macro_f1", labels_macro_f1(&threats));
	figure(figs, split_names[split], "threat_source_accuracy",
	       ratio(sources.right, sources.compared));
	figure(figs, split_names[split], "tone_macro_f1_neg_sup", (tone_f1[1] + tone_f1[2]) / 2);
	figure(figs, split_names[split], "region_exact", ratio(region_exact, region_n));
	figure(figs, split_names[split], "region_macro", ratio(region_macro_ok, region_n));
	figure(figs, split_names[split], "region_precision", ratio(region_hits, region_out));
	figure(figs, split_names[split], "region_event_exact", ratio(event_exact, region_n));
	figure(figs, split_names[split], "region_event_precision", ratio(event_hits, event_out));
}

static void print_set(const char *name, const struct id_set *s)
{
	size_t i;

	printf(" %s=", name);
	for (i = 0; i < s->count; i++)
		printf("%s%s", i ? "," : "", s->ids[i]);
	if (!s->count)
		printf("-");
}

static void print_errors(struct passage *ps, size_t n, const char *split)
{
	static const char *const tone_names[3] = { "neu", "neg", "sup" };
	size_t i, j;

	for (i = 0; i < n; i++) {
		struct passage *p = &ps[i];
		int region_ok = !p->relevant_gold ||
				((!p->region_gold && !p->region_first) ||
				 (p->region_gold && p->region_first && strcmp(p->region_gold, p->region_first) == 0));
		int sets_ok = p->cats.count == p->cats_gold.count && p->threats.count == p->threats_gold.count;
		int sources_ok = 1;

		for (j = 0; sets_ok && j < p->cats.count; j++)
			sets_ok = set_has(&p->cats_gold, p->cats.ids[j]);
		for (j = 0; sets_ok && j < p->threats.count; j++)
			sets_ok = set_has(&p->threats_gold, p->threats.ids[j]);
		for (j = 0; p->sources_gold && j < p->sources_gold->count; j++) {
			const struct json *m = &p->sources_gold->children[j];
			const char *pred = predicted_source(p, m->key);

			sources_ok &= !pred || m->type != JSON_STRING || strcmp(pred, m->string) == 0;
		}
		if (strcmp(split, "all") != 0 && strcmp(split_names[p->split_id], split) != 0)
			continue;
		if (p->relevant == p->relevant_gold && p->tone == p->tone_gold && region_ok && sets_ok &&
		    sources_ok)
			continue;
		printf("%s rel %d/%d tone %s/%s(%+d) region %s/%s", p->id, p->relevant_gold, p->relevant,
		       tone_names[p->tone_gold], tone_names[p->tone], p->tone_score,
		       p->region_gold ? p->region_gold : "-", p->region_first ? p->region_first : "-");
		print_set("regions", &p->regions);
		if (!sets_ok) {
			print_set("\n    cats gold", &p->cats_gold);
			print_set("pred", &p->cats);
			print_set("\n    threats gold", &p->threats_gold);
			print_set("pred", &p->threats);
		}
		if (!sources_ok) {
			printf("\n    sources");
			for (j = 0; j < p->sources_gold->count; j++) {
				const struct json *m = &p->sources_gold->children[j];
				const char *pred = predicted_source(p, m->key);

				if (pred && m->type == JSON_STRING)
					printf(" %s=%s/%s", m->key, m->string, pred);
			}
		}
		printf("\n");
		for (j = 0; j < p->result.hit_count; j++) {
			const struct parse_rule_hit *h = &p->result.hits[j];
			if (h->kind == CONFIG_RULE_TONE)
				printf("    tone %+d %s \"%s\"\n", h->weight, h->rule_id, h->matched);
		}
	}
}

static void print_hits(const struct passage *ps, size_t n, const char *id)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (strcmp(ps[i].id, id) != 0)
			continue;
		printf("%s: relevant %d, tone score %+d\n", id, ps[i].relevant, ps[i].tone_score);
		for (j = 0; j < ps[i].result.hit_count; j++) {
			const struct parse_rule_hit *h = &ps[i].result.hits[j];
			printf("  %-9s %-22s %+d \"%s\" (%s%s%s%s%s)\n", config_rule_kind_name(h->kind),
			       h->rule_id, h->weight, h->matched, h->where, h->field ? ", " : "",
			       h->field ? h->field : "", h->reported ? ", reported" : "",
			       h->negated ? ", negated" : "");
		}
		if (ps[i].result.explanation)
			printf("%s", ps[i].result.explanation);
		return;
	}
	printf("%s: no such passage\n", id);
}

/* ------------------------------------------------------------ KazNERD */

/* The Kazakh region lexicon on KazNERD sentences: a sentence is right when
 * the set of oblasts found equals the label set ("none" = empty). */
static int evaluate_kaznerd(const struct parse_classifier *c, const char *path, struct figures *figs)
{
	struct json *docs = NULL;
	size_t n = 0, i, exact = 0, tp = 0, fp = 0, fn = 0;

	if (read_jsonl(path, &docs, &n))
		return -1;
	for (i = 0; i < n; i++) {
		struct parse_classification out;
		struct vigil_error err = { 0 };
		struct id_set gold, pred;
		const char *label = json_string(&docs[i], "label");
		char labels[256], *save = NULL, *tok;
		size_t j;

		memset(&gold, 0, sizeof(gold));
		memset(&pred, 0, sizeof(pred));
		snprintf(labels, sizeof(labels), "%s", label ? label : "none");
		for (tok = strtok_r(labels, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
			if (strcmp(tok, "none") != 0)
				set_add(&gold, tok);
		}
		if (parse_classify(c, NULL, json_string(&docs[i], "text"), NULL, &out, &err)) {
			fprintf(stderr, "classify_eval: %s: %s\n", path, err.message);
			continue;
		}
		for (j = 0; j < out.region_count; j++)
			set_add(&pred, region_top(c, out.regions[j]));
		for (j = 0; j < pred.count; j++)
			set_has(&gold, pred.ids[j]) ? tp++ : fp++;
		for (j = 0; j < gold.count; j++)
			fn += !set_has(&pred, gold.ids[j]);
		{
			int same = gold.count == pred.count;

			for (j = 0; same && j < pred.count; j++)
				same = set_has(&gold, pred.ids[j]);
			exact += same;
		}
		parse_classification_release(&out);
	}
	printf("== KazNERD Kazakh region sentences (%s) ==\n", path);
	printf("  %zu sentences: exact %zu (%.3f), region precision %.3f recall %.3f\n", n, exact,
	       ratio((double)exact, (double)n), ratio((double)tp, (double)(tp + fp)),
	       ratio((double)tp, (double)(tp + fn)));
	figure(figs, "kaznerd", "exact", ratio((double)exact, (double)n));
	for (i = 0; i < n; i++)
		json_free(&docs[i]);
	free(docs);
	return 0;
}

/* ------------------------------------------------------------ baseline */

static int check_baseline(const char *path, const struct figures *figs)
{
	char *text = read_file(path), *line, *next;
	int failed = 0, compared = 0;

	if (!text) {
		fprintf(stderr, "classify_eval: cannot read baseline %s\n", path);
		return -1;
	}
	for (line = text; line && *line; line = next) {
		char name[64];
		double want;
		size_t i;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (line[0] == '#' || sscanf(line, "%63s %lf", name, &want) != 2)
			continue;
		for (i = 0; i < figs->count && strcmp(figs->name[i], name) != 0; i++)
			;
		if (i == figs->count) {
			/* e.g. kaznerd.* when the reference file is not there */
			printf("baseline: %s not measured in this run, skipped\n", name);
			continue;
		}
		compared++;
		if (figs->value[i] + TOLERANCE < want) {
			printf("baseline: FAIL %s %.3f < baseline %.3f\n", name, figs->value[i], want);
			failed = 1;
		}
	}
	free(text);
	printf("baseline %s: %d figures compared, %s\n", path, compared, failed ? "DROPPED" : "none dropped");
	return failed;
}

static int write_baseline(const char *path, const struct figures *figs)
{
	FILE *f = fopen(path, "w");
	size_t i;

	if (!f) {
		fprintf(stderr, "classify_eval: cannot write %s\n", path);
		return -1;
	}
	fprintf(f, "# classify_eval baseline: `make eval` fails when a figure drops more than %.3f "
		   "below these.\n# Regenerate with build/eval/classify_eval --kaznerd "
		   "../shared/reference/kaznerd_region_kk.dev.jsonl --write-baseline FILE\n"
		   "# after an improvement (without --kaznerd its figure is left out).\n", TOLERANCE);
	for (i = 0; i < figs->count; i++)
		fprintf(f, "%s %.3f\n", figs->name[i], floor(figs->value[i] * 1000) / 1000);
	return fclose(f) ? -1 : 0;
}

/* ------------------------------------------------------------ main */

int main(int argc, char **argv)
{
	const char *dev = "tests/classify-dev/dev.jsonl", *rules_dir = NULL, *kaznerd = NULL;
	const char *baseline = NULL, *write_to = NULL, *errors = NULL, *explain = NULL;
	struct config_rules rules;
	struct parse_classifier *classifier = NULL;
	struct vigil_error err = { 0 };
	struct passage *ps = NULL;
	struct json *docs = NULL;
	struct figures figs;
	size_t n = 0, total = 0, limit = (size_t)-1, i;
	int verbose = 1, status = 0, s;
	char default_rules[4096];

	for (i = 1; i < (size_t)argc; i++) {
		const char *a = argv[i], *v = i + 1 < (size_t)argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--quiet") == 0) {
			verbose = 0;
			continue;
		}
		if (!v) {
			fprintf(stderr, "classify_eval: %s needs a value (see the comment at the top of tests/eval/classify_eval.c)\n", a);
			return 2;
		}
		i++;
		if (strcmp(a, "--dev") == 0)
			dev = v;
		else if (strcmp(a, "--rules") == 0)
			rules_dir = v;
		else if (strcmp(a, "--kaznerd") == 0)
			kaznerd = v;
		else if (strcmp(a, "--baseline") == 0)
			baseline = v;
		else if (strcmp(a, "--write-baseline") == 0)
			write_to = v;
		else if (strcmp(a, "--errors") == 0)
			errors = v;
		else if (strcmp(a, "--explain") == 0)
			explain = v;
		else if (strcmp(a, "--limit") == 0)
			limit = (size_t)strtoul(v, NULL, 10);
		else {
			fprintf(stderr, "classify_eval: unknown option %s\n", a);
			return 2;
		}
	}
	/* Figures and error messages interleave in the order they happen. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!rules_dir) {
		if (config_shipped_path("rules", default_rules, sizeof(default_rules), &err)) {
			fprintf(stderr, "classify_eval: %s\n", err.message);
			return 1;
		}
		rules_dir = default_rules;
	}
	memset(&rules, 0, sizeof(rules));
	memset(&figs, 0, sizeof(figs));
	if (config_rules_load_dir(rules_dir, &rules, &err) ||
	    parse_classifier_new(&rules, &classifier, &err)) {
		fprintf(stderr, "classify_eval: %s\n", err.message);
		config_rules_release(&rules);
		return 2;
	}
	if (read_jsonl(dev, &docs, &n)) {
		status = 2;
		goto done;
	}
	total = n;
	if (n > limit)
		n = limit;
	ps = calloc(n ? n : 1, sizeof(*ps));
	if (!ps) {
		status = 2;
		goto done;
	}
	for (i = 0; i < n; i++) {
		ps[i].doc = docs[i];
		memset(&docs[i], 0, sizeof(docs[i]));
		if (classify_passage(classifier, &ps[i])) {
			status = 2;
			goto done;
		}
	}
	printf("classify_eval: %zu passages from %s, rules %s\n", n, dev, rules_dir);
	for (s = 0; s < SPLIT_COUNT; s++)
		evaluate_split(classifier, ps, n, s, verbose && s == SPLIT_ALL, &figs);
	if (kaznerd && evaluate_kaznerd(classifier, kaznerd, &figs))
		status = 2;
	if (errors)
		print_errors(ps, n, errors);
	if (explain)
		print_hits(ps, n, explain);
	if (write_to && write_baseline(write_to, &figs))
		status = 2;
	if (baseline && status == 0)
		status = check_baseline(baseline, &figs) ? 1 : 0;
done:
	for (i = 0; ps && i < n; i++) {
		parse_classification_release(&ps[i].result);
		json_free(&ps[i].doc);
	}
	for (i = 0; docs && i < total; i++)
		json_free(&docs[i]);
	free(ps);
	free(docs);
	parse_classifier_free(&classifier);
	config_rules_release(&rules);
	return status;
}
