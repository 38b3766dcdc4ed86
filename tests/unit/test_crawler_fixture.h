/*
 * test_crawler_fixture.h: the crawler tests' handle on the fixture web
 * server (tests/server/serve.py): start it with fork/exec, read its ports,
 * switch phases, read requests.log, stop it. Static functions only: a .c
 * file here would be linked into every unit test (see the Makefile).
 * Tests run from the repository root.
 */
#ifndef VIGIL_TEST_CRAWLER_FIXTURE_H
#define VIGIL_TEST_CRAWLER_FIXTURE_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct fixture {
	pid_t pid;
	char dir[64];      /* a temp dir: STATE under it, free for other use */
	char state[96];
};

/* One requests.log line. */
struct fixture_request {
	double when;
	char site[32];
	char method[8];
	char path[256];
	int status;
	char agent[256];
	char if_none_match[128];
	char if_modified_since[64];
};

static inline void fixture_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Start serve.py over root (relative to the repo root). 0 on success. */
static inline int fixture_start(struct fixture *fx, const char *root)
{
	char ready[128];

	memset(fx, 0, sizeof(*fx));
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/vigil-crawl-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->state, sizeof(fx->state), "%s/state", fx->dir);
	if (mkdir(fx->state, 0700) != 0)
		return -1;
	fx->pid = fork();
	if (fx->pid < 0)
		return -1;
	if (fx->pid == 0) {
		char log[128];
		FILE *out;

		/* A test killed before fixture_stop must not leave it behind. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() == 1)
			_exit(127);
		snprintf(log, sizeof(log), "%s/server.log", fx->state);
		out = freopen(log, "a", stderr);
		(void)out;
		/* A long test (the full fault sweep) sets its own lifetime. */
		execlp("python3", "python3", "tests/server/serve.py", "--root", root, "--state",
		       fx->state, "--max-seconds",
		       getenv("VIGIL_FIXTURE_MAX_SECONDS") ? getenv("VIGIL_FIXTURE_MAX_SECONDS")
							  : "600",
		       (char *)NULL);
		_exit(127);
	}
	snprintf(ready, sizeof(ready), "%s/ready", fx->state);
	for (int i = 0; i < 200; i++) {
		int status;

		if (access(ready, F_OK) == 0)
			return 0;
		if (waitpid(fx->pid, &status, WNOHANG) == fx->pid) {
			fx->pid = 0;
			return -1;
		}
		fixture_sleep_ms(50);
	}
	return -1;
}

static inline int fixture_port(const struct fixture *fx, const char *site)
{
	char path[128], name[64];
	int port, found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/ports", fx->state);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fscanf(f, "%63s %d", name, &port) == 2)
		if (strcmp(name, site) == 0) {
			found = port;
			break;
		}
	fclose(f);
	return found;
}

/* "http://127.0.0.1:PORT" + path into out. */
static inline const char *fixture_url(const struct fixture *fx, const char *site, const char *path,
			       char *out, size_t size)
{
	snprintf(out, size, "http://127.0.0.1:%d%s", fixture_port(fx, site), path);
	return out;
}

static inline void fixture_phase(const struct fixture *fx, int phase)
{
	char path[128], tmp[140];
	FILE *f;

	snprintf(path, sizeof(path), "%s/phase", fx->state);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%d\n", phase);
	fclose(f);
	rename(tmp, path);
}

static inline void fixture_copy_field(char *out, size_t size, const char *start, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(out, start, len);
	out[len] = '\0';
}

/* Read requests.log into a malloc'd array (free it); count in *count. */
static inline struct fixture_request *fixture_requests(const struct fixture *fx, size_t *count)
{
	char path[128], line[2048];
	struct fixture_request *items = NULL;
	size_t n = 0, cap = 0;
	FILE *f;

	*count = 0;
	snprintf(path, sizeof(path), "%s/requests.log", fx->state);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		const char *fields[8];
		size_t lens[8];
		const char *p = line;
		struct fixture_request *r;
		int k;

		line[strcspn(line, "\n")] = '\0';
		for (k = 0; k < 8; k++) {
			const char *tab = strchr(p, '\t');

			fields[k] = p;
			lens[k] = tab ? (size_t)(tab - p) : strlen(p);
			if (!tab) {
				k++;
				break;
			}
			p = tab + 1;
		}
		if (k < 8)
			continue;
		if (n == cap) {
			struct fixture_request *grown;

			cap = cap ? cap * 2 : 32;
			grown = realloc(items, cap * sizeof(*items));
			if (!grown)
				break;
			items = grown;
		}
		r = &items[n++];
		r->when = strtod(fields[0], NULL);
		fixture_copy_field(r->site, sizeof(r->site), fields[1], lens[1]);
		fixture_copy_field(r->method, sizeof(r->method), fields[2], lens[2]);
		fixture_copy_field(r->path, sizeof(r->path), fields[3], lens[3]);
		r->status = atoi(fields[4]);
		fixture_copy_field(r->agent, sizeof(r->agent), fields[5], lens[5]);
		fixture_copy_field(r->if_none_match, sizeof(r->if_none_match), fields[6], lens[6]);
		fixture_copy_field(r->if_modified_since, sizeof(r->if_modified_since), fields[7],
				   lens[7]);
	}
	fclose(f);
	*count = n;
	return items;
}

/* How many logged requests to site have exactly this path. */
static inline int fixture_count(const struct fixture *fx, const char *site, const char *path)
{
	size_t n;
	struct fixture_request *r = fixture_requests(fx, &n);
	int hits = 0;

	for (size_t i = 0; i < n; i++)
		if (strcmp(r[i].site, site) == 0 && strcmp(r[i].path, path) == 0)
			hits++;
	free(r);
	return hits;
}

/* How many logged requests to site for path were answered with status
 * (conditional: and carried an If-None-Match or If-Modified-Since; the
 * log writes an absent header as "-"). */
static inline int fixture_count_status(const struct fixture *fx, const char *site,
				       const char *path, int status, int conditional)
{
	size_t n;
	struct fixture_request *r = fixture_requests(fx, &n);
	int hits = 0;

	for (size_t i = 0; i < n; i++)
		if (strcmp(r[i].site, site) == 0 && strcmp(r[i].path, path) == 0 &&
		    r[i].status == status &&
		    (!conditional || strcmp(r[i].if_none_match, "-") != 0 ||
		     strcmp(r[i].if_modified_since, "-") != 0))
			hits++;
	free(r);
	return hits;
}

/* How many logged requests to site have a path starting with prefix. */
static inline int fixture_count_prefix(const struct fixture *fx, const char *site, const char *prefix)
{
	size_t n;
	struct fixture_request *r = fixture_requests(fx, &n);
	int hits = 0;

	for (size_t i = 0; i < n; i++)
		if (strcmp(r[i].site, site) == 0 &&
		    strncmp(r[i].path, prefix, strlen(prefix)) == 0)
			hits++;
	free(r);
	return hits;
}

/* The server logs a request just after writing its answer, so the client
 * can be faster than the log: wait (up to 3 s) for at least want lines.
 * Returns the count seen. */
static inline size_t fixture_wait_log(const struct fixture *fx, size_t want)
{
	size_t n = 0;

	for (int i = 0; i < 60; i++) {
		free(fixture_requests(fx, &n));
		if (n >= want)
			break;
		fixture_sleep_ms(50);
	}
	return n;
}

/* Stop the server and remove the temp dir. */
static inline void fixture_stop(struct fixture *fx)
{
	char cmd[128];

	if (fx->pid > 0) {
		int status;

		kill(fx->pid, SIGTERM);
		waitpid(fx->pid, &status, 0);
		fx->pid = 0;
	}
	if (fx->dir[0] && !getenv("VIGIL_TEST_KEEP")) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", fx->dir);
	}
}

#endif
