/*
 * fetch.c: the fetcher. One libcurl multi handle; a FIFO queue per origin
 * (scheme://host:port); at most one transfer in flight per origin and at
 * most parallel_hosts transfers overall; after a transfer to an origin ends,
 * the next one to it starts no earlier than the origin's delay later.
 *
 * Bodies are stored as the payload: only "identity" is offered, and a body
 * compressed anyway is decoded by curl (the archive renames the
 * Content-Encoding header of such a response when it writes the WARC). Only the last response's head is
 * kept (redirects and 100-continue heads are dropped), and the request head
 * is captured from curl's debug stream so the WARC request record is what
 * went over the wire.
 *
 * Every socket curl opens passes on_open_socket, which refuses loopback,
 * private, link-local, metadata and other non-public addresses (unless the
 * options allow them) on the resolved address: see crawl_address_refusal.
 */
#include "crawler_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <curl/curl.h>

#define FETCH_DEFAULT_TIMEOUT 30
#define FETCH_DEFAULT_PARALLEL 8
#define FETCH_DEFAULT_MAX_BODY (10L * 1024 * 1024)
#define FETCH_CONNECT_TIMEOUT 10L
#define FETCH_MAX_REDIRECTS 5L
/* Heads are small; a server streaming headers forever is cut off here. */
#define FETCH_MAX_HEAD ((size_t)256 * 1024)
/* Upper bound for one curl_multi_poll, so a stalled multi never sleeps long. */
#define FETCH_MAX_POLL_MS 1000

struct fetch_origin;

struct fetch_job {
	const struct crawl_fetcher *fetcher;
	char *url;
	void *user;
	struct curl_slist *headers; /* extra request headers, or NULL */
	struct fetch_origin *origin;
	struct fetch_job *next;     /* in the origin's queue */
	struct fetch_job *active_next; /* in the fetcher's running list */
	CURL *easy;
	struct vigil_buf body;
	struct vigil_buf response_head;
	struct vigil_buf request_head;
	size_t max_body;
	int follow_redirects;
	int truncated;
	int head_too_large;
	char refused[128];          /* why a connection was refused, or "" */
	char errbuf[CURL_ERROR_SIZE];
};

struct fetch_origin {
	char *origin;
	struct fetch_job *head, *tail;
	size_t queued;
	int busy;                   /* a transfer is in flight */
	int delay_ms;
	int64_t last_done_ms;       /* monotonic; 0 = nothing fetched yet */
	int64_t next_allowed_ms;    /* monotonic */
};

/* One "ADDRESS[:PORT]" of crawl_fetcher_options.private_endpoints. */
struct fetch_endpoint {
	int family;                 /* AF_INET or AF_INET6 */
	unsigned char addr[16];
	unsigned port;              /* 0: any port */
};

struct crawl_fetcher {
	CURLM *multi;
	char *user_agent;
	int allow_private;
	struct fetch_endpoint *endpoints;
	size_t endpoint_count;
	int delay_ms;
	int timeout_seconds;
	size_t max_body;
	int parallel;
	struct fetch_origin **origins;
	size_t origin_count, origin_cap;
	size_t next_origin;         /* round-robin start for fairness */
	size_t queued;
	int running;
	struct fetch_job *active;   /* running transfers, freed with the fetcher */
};

static int64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---------------- addresses a crawler must not reach ---------------- */

static const char *ipv4_refusal(const unsigned char a[4])
{
	uint32_t v = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];

	if (v == 0xA9FEA9FEu)                    /* 169.254.169.254 */
		return "cloud metadata";
	if (v == 0xFFFFFFFFu)
		return "broadcast";
	if ((v & 0xFF000000u) == 0x00000000u)    /* 0/8 */
		return "unspecified";
	if ((v & 0xFF000000u) == 0x7F000000u)    /* 127/8 */
		return "loopback";
	if ((v & 0xFF000000u) == 0x0A000000u ||  /* 10/8 */
	    (v & 0xFFF00000u) == 0xAC100000u ||  /* 172.16/12 */
	    (v & 0xFFFF0000u) == 0xC0A80000u)    /* 192.168/16 */
		return "private";
	if ((v & 0xFFFF0000u) == 0xA9FE0000u)    /* 169.254/16 */
		return "link-local";
	if ((v & 0xFFC00000u) == 0x64400000u)    /* 100.64/10 */
		return "shared (CGNAT)";
	if ((v & 0xF0000000u) == 0xE0000000u)    /* 224/4 */
		return "multicast";
	if ((v & 0xF0000000u) == 0xF0000000u)    /* 240/4 */
		return "reserved";
	return NULL;
}

const char *crawl_address_refusal(const struct sockaddr *address)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF };
	static const unsigned char nat64[12] = { 0, 0x64, 0xFF, 0x9B };
	static const unsigned char zero[16] = { 0 };
	static const unsigned char ec2[16] = { 0xFD, 0, 0x0E, 0xC2, [14] = 0x02, [15] = 0x54 };
	const unsigned char *b;

	if (!address)
		return "unknown";
	if (address->sa_family == AF_INET)
		return ipv4_refusal((const unsigned char *)&((const struct sockaddr_in *)
							     (const void *)address)->sin_addr);
	if (address->sa_family != AF_INET6)
		return "non-IP";
	b = ((const struct sockaddr_in6 *)(const void *)address)->sin6_addr.s6_addr;
	if (memcmp(b, zero, 16) == 0)
		return "unspecified";
	if (memcmp(b, zero, 15) == 0 && b[15] == 1)
		return "loopback";
	/* An IPv4 address inside IPv6 (mapped, NAT64, the old compatible
	 * form, 6to4) reaches that IPv4 host: judge it by the IPv4 rules. */
	if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0 || memcmp(b, zero, 12) == 0)
		return ipv4_refusal(b + 12);
	if (b[0] == 0x20 && b[1] == 0x02)
		return ipv4_refusal(b + 2);
	if (memcmp(b, ec2, 16) == 0)
		return "cloud metadata";
	if ((b[0] & 0xFE) == 0xFC)               /* fc00::/7 */
		return "private";
	if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) /* fe80::/10 */
		return "link-local";
	if (b[0] == 0xFF)
		return "multicast";
	return NULL;
}

/* Parse "ADDRESS[:PORT] ..." (IPv6 in brackets when a port is given;
 * spaces or commas between). VIGIL_ERR_USAGE with *bad at the first bad
 * item. */
static enum vigil_code parse_endpoints(const char *list, struct fetch_endpoint **out,
				       size_t *count, const char **bad)
{
	const char *p = list;

	*out = NULL;
	*count = 0;
	*bad = NULL;
	while (p && *p) {
		char token[80], host[80];
		size_t len;
		const char *port_text = NULL;
		struct fetch_endpoint e = { 0 }, *grown;

		p += strspn(p, " \t,");
		len = strcspn(p, " \t,");
		if (!len)
			break;
		if (len >= sizeof(token))
			goto bad;
		memcpy(token, p, len);
		token[len] = '\0';
		if (token[0] == '[') {
			char *close = strchr(token, ']');

			if (!close || (close[1] && close[1] != ':'))
				goto bad;
			*close = '\0';
			snprintf(host, sizeof(host), "%s", token + 1);
			port_text = close[1] ? close + 2 : NULL;
		} else {
			char *colon = strchr(token, ':');

			if (colon && strchr(colon + 1, ':'))
				colon = NULL; /* bare IPv6: no port */
			if (colon) {
				*colon = '\0';
				port_text = colon + 1;
			}
			snprintf(host, sizeof(host), "%s", token);
		}
		if (inet_pton(AF_INET, host, e.addr) == 1)
			e.family = AF_INET;
		else if (inet_pton(AF_INET6, host, e.addr) == 1)
			e.family = AF_INET6;
		else
			goto bad;
		if (port_text) {
			char *end;
			long port = strtol(port_text, &end, 10);

			if (!*port_text || *end || port < 1 || port > 65535)
				goto bad;
			e.port = (unsigned)port;
		}
		grown = realloc(*out, (*count + 1) * sizeof(**out));
		if (!grown) {
			free(*out);
			*out = NULL;
			*count = 0;
			return VIGIL_ERR_NOMEM;
		}
		*out = grown;
		(*out)[(*count)++] = e;
		p += len;
		continue;
bad:
		free(*out);
		*out = NULL;
		*count = 0;
		*bad = p;
		return VIGIL_ERR_USAGE;
	}
	return VIGIL_OK;
}

static int endpoint_listed(const struct crawl_fetcher *f, const struct sockaddr *address)
{
	const unsigned char *addr;
	unsigned port;
	int family = address->sa_family;

	if (family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)address;

		addr = (const unsigned char *)&in->sin_addr;
		port = ntohs(in->sin_port);
	} else if (family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)address;

		addr = in6->sin6_addr.s6_addr;
		port = ntohs(in6->sin6_port);
	} else {
		return 0;
	}
	for (size_t i = 0; i < f->endpoint_count; i++) {
		const struct fetch_endpoint *e = &f->endpoints[i];

		if (e->family == family && memcmp(e->addr, addr, family == AF_INET ? 4 : 16) == 0 &&
		    (!e->port || e->port == port))
			return 1;
	}
	return 0;
}

/* curl calls this for every connection it opens, redirects included, with
 * the address it resolved: the check sees what will really be reached, so
 * a host name that resolves to 10.0.0.1 (or rebinds to it) is caught. */
static curl_socket_t on_open_socket(void *context, curlsocktype purpose,
				    struct curl_sockaddr *address)
{
	struct fetch_job *job = context;
	const struct crawl_fetcher *f = job->fetcher;
	const struct sockaddr *sa = &address->addr;
	const char *why;

	(void)purpose;
	if (!f->allow_private && (why = crawl_address_refusal(sa)) && !endpoint_listed(f, sa)) {
		char ip[INET6_ADDRSTRLEN] = "?";

		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				  ip, sizeof(ip));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, ip,
				  sizeof(ip));
		snprintf(job->refused, sizeof(job->refused), "refused to connect to %s (%s address)",
			 ip, why);
		return CURL_SOCKET_BAD;
	}
	return socket(address->family, address->socktype, address->protocol);
}

static void job_free(struct fetch_job *job)
{
	if (!job)
		return;
	if (job->easy)
		curl_easy_cleanup(job->easy);
	curl_slist_free_all(job->headers);
	vigil_buf_release(&job->body);
	vigil_buf_release(&job->response_head);
	vigil_buf_release(&job->request_head);
	free(job->url);
	free(job);
}

enum vigil_code crawl_fetcher_new(const struct crawl_fetcher_options *options,
				  struct crawl_fetcher **out, struct vigil_error *err)
{
	struct crawl_fetcher *f;

	*out = NULL;
	if (!options || !options->user_agent || !options->user_agent[0])
		return vigil_error_set(err, VIGIL_ERR_USAGE, "fetcher: a user agent is required");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return vigil_error_set(err, VIGIL_ERR_NETWORK, "fetcher: libcurl failed to initialise");
	f = calloc(1, sizeof(*f));
	if (!f)
		goto nomem;
	f->user_agent = strdup(options->user_agent);
	f->multi = curl_multi_init();
	if (!f->user_agent || !f->multi) {
		crawl_fetcher_free(&f);
		/* crawl_fetcher_free dropped the global reference already. */
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "fetcher: out of memory");
	}
	f->allow_private = options->allow_private;
	if (options->private_endpoints) {
		const char *bad = NULL;
		enum vigil_code code = parse_endpoints(options->private_endpoints, &f->endpoints,
						       &f->endpoint_count, &bad);

		if (code != VIGIL_OK) {
			crawl_fetcher_free(&f);
			if (code == VIGIL_ERR_NOMEM)
				return vigil_error_set(err, code, "fetcher: out of memory");
			return vigil_error_set(err, code,
					       "fetcher: private endpoint '%.60s' is not "
					       "ADDRESS[:PORT]", bad);
		}
	}
	f->delay_ms = options->delay_ms > 0 ? options->delay_ms : 0;
	f->timeout_seconds = options->timeout_seconds > 0 ? options->timeout_seconds
							  : FETCH_DEFAULT_TIMEOUT;
	f->max_body = (size_t)(options->max_body_bytes > 0 ? options->max_body_bytes
							   : FETCH_DEFAULT_MAX_BODY);
	f->parallel = options->parallel_hosts > 0 ? options->parallel_hosts
						  : FETCH_DEFAULT_PARALLEL;
	*out = f;
	return VIGIL_OK;
nomem:
	curl_global_cleanup();
	return vigil_error_set(err, VIGIL_ERR_NOMEM, "fetcher: out of memory");
}

static struct fetch_origin *origin_find(struct crawl_fetcher *f, const char *origin)
{
	for (size_t i = 0; i < f->origin_count; i++)
		if (strcmp(f->origins[i]->origin, origin) == 0)
			return f->origins[i];
	return NULL;
}

/* Find or create; takes ownership of origin either way. NULL on OOM. */
static struct fetch_origin *origin_get(struct crawl_fetcher *f, char *origin)
{
	struct fetch_origin *o = origin_find(f, origin);

	if (o) {
		free(origin);
		return o;
	}
	if (f->origin_count == f->origin_cap) {
		size_t cap = f->origin_cap ? f->origin_cap * 2 : 8;
		struct fetch_origin **grown = realloc(f->origins, cap * sizeof(*grown));

		if (!grown) {
			free(origin);
			return NULL;
		}
		f->origins = grown;
		f->origin_cap = cap;
	}
	o = calloc(1, sizeof(*o));
	if (!o) {
		free(origin);
		return NULL;
	}
	o->origin = origin;
	o->delay_ms = f->delay_ms;
	f->origins[f->origin_count++] = o;
	return o;
}

enum vigil_code crawl_fetcher_set_delay(struct crawl_fetcher *fetcher, const char *origin,
					int delay_ms, struct vigil_error *err)
{
	struct fetch_origin *o;
	char *copy = strdup(origin);

	if (!copy)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "fetcher: out of memory");
	o = origin_get(fetcher, copy);
	if (!o)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "fetcher: out of memory");
	if (delay_ms > CRAWL_MAX_ORIGIN_DELAY_MS)
		delay_ms = CRAWL_MAX_ORIGIN_DELAY_MS;
	o->delay_ms = delay_ms > fetcher->delay_ms ? delay_ms : fetcher->delay_ms;
	/* The new delay also counts from the transfer that just ended (the
	 * robots.txt fetch that announced it, typically). */
	if (o->last_done_ms)
		o->next_allowed_ms = o->last_done_ms + o->delay_ms;
	return VIGIL_OK;
}

enum vigil_code crawl_fetcher_hold(struct crawl_fetcher *fetcher, const char *origin, int wait_ms,
				   struct vigil_error *err)
{
	struct fetch_origin *o;
	char *copy = strdup(origin);
	int64_t until;

	if (!copy)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "fetcher: out of memory");
	o = origin_get(fetcher, copy);
	if (!o)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "fetcher: out of memory");
	if (wait_ms > CRAWL_MAX_ORIGIN_DELAY_MS)
		wait_ms = CRAWL_MAX_ORIGIN_DELAY_MS;
	until = monotonic_ms() + (wait_ms > 0 ? wait_ms : 0);
	if (o->next_allowed_ms < until)
		o->next_allowed_ms = until;
	return VIGIL_OK;
}

static enum vigil_code add_header(struct curl_slist **list, const char *name, const char *value)
{
	struct vigil_buf line = VIGIL_BUF_INIT;
	struct curl_slist *grown;

	/* A value with a line break would smuggle another header in. */
	if (strpbrk(value, "\r\n"))
		return VIGIL_ERR_USAGE;
	if (vigil_buf_printf(&line, "%s: %s", name, value) != VIGIL_OK) {
		vigil_buf_release(&line);
		return VIGIL_ERR_NOMEM;
	}
	grown = curl_slist_append(*list, line.data);
	vigil_buf_release(&line);
	if (!grown)
		return VIGIL_ERR_NOMEM;
	*list = grown;
	return VIGIL_OK;
}

static enum vigil_code add_job(struct crawl_fetcher *fetcher, const char *url,
			       const char *etag, const char *last_modified, size_t max_body,
			       int follow_redirects, void *user, struct vigil_error *err)
{
	struct fetch_job *job;
	struct fetch_origin *o;
	char *origin;
	enum vigil_code code = VIGIL_OK;

	if (!url)
		return vigil_error_set(err, VIGIL_ERR_USAGE, "fetcher: no URL given");
	origin = vigil_url_origin(url, err);
	if (!origin && err && err->code == VIGIL_ERR_NOMEM)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory", url);
	if (!origin)
		return vigil_error_set(err, VIGIL_ERR_USAGE, "%s: not an http(s) URL", url);
	job = calloc(1, sizeof(*job));
	if (!job || !(job->url = strdup(url))) {
		free(origin);
		job_free(job);
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory", url);
	}
	job->fetcher = fetcher;
	job->follow_redirects = follow_redirects;
	job->user = user;
	job->max_body = max_body && max_body < fetcher->max_body ? max_body : fetcher->max_body;
	if (etag && etag[0])
		code = add_header(&job->headers, "If-None-Match", etag);
	if (code == VIGIL_OK && last_modified && last_modified[0])
		code = add_header(&job->headers, "If-Modified-Since", last_modified);
	if (code != VIGIL_OK) {
		free(origin);
		job_free(job);
		return vigil_error_set(err, code, "%s: %s", url,
				       code == VIGIL_ERR_USAGE ? "line break in a validator"
							       : "out of memory");
	}
	o = origin_get(fetcher, origin);
	if (!o) {
		job_free(job);
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory", url);
	}
	job->origin = o;
	if (o->tail)
		o->tail->next = job;
	else
		o->head = job;
	o->tail = job;
	o->queued++;
	fetcher->queued++;
	return VIGIL_OK;
}

enum vigil_code crawl_fetcher_add_conditional(struct crawl_fetcher *fetcher, const char *url,
					      const char *etag, const char *last_modified,
					      void *user, struct vigil_error *err)
{
	return add_job(fetcher, url, etag, last_modified, 0, 1, user, err);
}

enum vigil_code crawl_fetcher_add(struct crawl_fetcher *fetcher, const char *url, void *user,
				  struct vigil_error *err)
{
	return add_job(fetcher, url, NULL, NULL, 0, 1, user, err);
}

enum vigil_code crawl_fetcher_add_limited(struct crawl_fetcher *fetcher, const char *url,
					  size_t max_body, int follow_redirects, void *user,
					  struct vigil_error *err)
{
	return add_job(fetcher, url, NULL, NULL, max_body, follow_redirects, user, err);
}

enum vigil_code crawl_fetcher_add_validated(struct crawl_fetcher *fetcher, const char *url,
					    size_t max_body, int follow_redirects,
					    const char *etag, const char *last_modified, void *user,
					    struct vigil_error *err)
{
	return add_job(fetcher, url, etag, last_modified, max_body, follow_redirects, user, err);
}

size_t crawl_fetcher_pending(const struct crawl_fetcher *fetcher)
{
	return fetcher ? fetcher->queued + (size_t)fetcher->running : 0;
}

static size_t on_body(char *data, size_t size, size_t count, void *context)
{
	struct fetch_job *job = context;
	size_t len = size * count, room = job->max_body - job->body.len;

	if (len > room) {
		/* Keep what fits so the archived prefix is still useful. */
		if (room && vigil_buf_append(&job->body, data, room) != VIGIL_OK)
			return 0;
		job->truncated = 1;
		return 0; /* != len: curl aborts with CURLE_WRITE_ERROR */
	}
	if (vigil_buf_append(&job->body, data, len) != VIGIL_OK)
		return 0;
	return len;
}

static size_t on_header(char *data, size_t size, size_t count, void *context)
{
	struct fetch_job *job = context;
	size_t len = size * count;

	/* A new status line starts a new response (after a redirect or a
	 * 100 Continue): only the last one describes the body we keep. */
	if (len >= 5 && memcmp(data, "HTTP/", 5) == 0)
		vigil_buf_reset(&job->response_head);
	if (job->response_head.len + len > FETCH_MAX_HEAD) {
		job->head_too_large = 1;
		return 0;
	}
	if (vigil_buf_append(&job->response_head, data, len) != VIGIL_OK)
		return 0;
	return len;
}

static int on_debug(CURL *easy, curl_infotype type, char *data, size_t size, void *context)
{
	struct fetch_job *job = context;
	struct vigil_buf *req = &job->request_head;

	(void)easy;
	if (type != CURLINFO_HEADER_OUT)
		return 0;
	/* A complete head already there means this is the next request of a
	 * redirect chain: keep only the last one. */
	if (req->len >= 4 && memcmp(req->data + req->len - 4, "\r\n\r\n", 4) == 0)
		vigil_buf_reset(req);
	if (req->len + size <= FETCH_MAX_HEAD)
		(void)!vigil_buf_append(req, data, size);
	return 0;
}

static enum vigil_code job_start(struct crawl_fetcher *f, struct fetch_job *job,
				 struct vigil_error *err)
{
	CURL *e = curl_easy_init();
	CURLcode c = CURLE_OK;

	if (!e)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: libcurl could not create a handle",
				       job->url);
	job->easy = e;
	job->errbuf[0] = '\0';
#define SET(opt, val) do { if (c == CURLE_OK) c = curl_easy_setopt(e, opt, val); } while (0)
	SET(CURLOPT_URL, job->url);
	SET(CURLOPT_PRIVATE, job);
	SET(CURLOPT_USERAGENT, f->user_agent);
	SET(CURLOPT_FOLLOWLOCATION, job->follow_redirects ? 1L : 0L);
	SET(CURLOPT_MAXREDIRS, FETCH_MAX_REDIRECTS);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_CONNECTTIMEOUT, FETCH_CONNECT_TIMEOUT);
	SET(CURLOPT_TIMEOUT, (long)f->timeout_seconds);
	SET(CURLOPT_NOSIGNAL, 1L);
	/* "identity" asks for plain bodies, as no header would, but also lets
	 * curl decode a body a server compresses unasked: the stored body is
	 * then always the decoded payload the archive expects. */
	SET(CURLOPT_ACCEPT_ENCODING, "identity");
	/* HTTP/1.1 keeps the archived request and response heads in the form
	 * WARC readers expect (an HTTP/2 head has no such wire form). */
	SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, job);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, job);
	SET(CURLOPT_DEBUGFUNCTION, on_debug);
	SET(CURLOPT_DEBUGDATA, job);
	SET(CURLOPT_VERBOSE, 1L); /* needed for the debug callback only */
	SET(CURLOPT_ERRORBUFFER, job->errbuf);
	SET(CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
	SET(CURLOPT_OPENSOCKETDATA, job);
	/* No proxy from the environment (http_proxy, ALL_PROXY...): it would
	 * reach hosts the address check never sees, and vigil has no proxy
	 * setting that could ask for one. */
	SET(CURLOPT_PROXY, "");
	if (job->headers)
		SET(CURLOPT_HTTPHEADER, job->headers);
#undef SET
	if (c != CURLE_OK)
		return vigil_error_set(err, VIGIL_ERR_NETWORK, "%s: libcurl option refused: %s",
				       job->url, curl_easy_strerror(c));
	if (curl_multi_add_handle(f->multi, e) != CURLM_OK)
		return vigil_error_set(err, VIGIL_ERR_NETWORK, "%s: libcurl could not start it",
				       job->url);
	job->origin->busy = 1;
	job->active_next = f->active;
	f->active = job;
	f->running++;
	return VIGIL_OK;
}

/* Start every transfer that may start now. *wait_ms: how long until a
 * queued origin's delay runs out (-1 when none is waiting on a delay). */
static enum vigil_code start_ready(struct crawl_fetcher *f, int64_t now, int64_t *wait_ms,
				   struct vigil_error *err)
{
	size_t n = f->origin_count;

	*wait_ms = -1;
	for (size_t k = 0; k < n; k++) {
		size_t i = (f->next_origin + k) % n;
		struct fetch_origin *o = f->origins[i];
		struct fetch_job *job;
		enum vigil_code code;

		if (o->busy || !o->head)
			continue;
		if (o->next_allowed_ms > now) {
			int64_t wait = o->next_allowed_ms - now;

			if (*wait_ms < 0 || wait < *wait_ms)
				*wait_ms = wait;
			continue;
		}
		if (f->running >= f->parallel)
			continue;
		job = o->head;
		o->head = job->next;
		if (!o->head)
			o->tail = NULL;
		job->next = NULL;
		o->queued--;
		f->queued--;
		code = job_start(f, job, err);
		if (code != VIGIL_OK) {
			job_free(job);
			return code;
		}
		f->next_origin = (i + 1) % n;
	}
	return VIGIL_OK;
}

char *crawl_head_value(const char *head, size_t len, const char *name)
{
	size_t name_len = strlen(name);
	const char *p = head, *end = head + len, *found = NULL, *found_end = NULL;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = eol ? eol : end;

		if ((size_t)(line_end - p) > name_len && p[name_len] == ':' &&
		    strncasecmp(p, name, name_len) == 0) {
			found = p + name_len + 1;
			found_end = line_end;
		}
		p = eol ? eol + 1 : end;
	}
	if (!found)
		return NULL;
	while (found < found_end && (*found == ' ' || *found == '\t'))
		found++;
	while (found_end > found && isspace((unsigned char)found_end[-1]))
		found_end--;
	/* A bare CR, NUL or other control byte: the value may go back to the
	 * server in a conditional request, so treat it as absent. */
	for (const char *c = found; c < found_end; c++)
		if (iscntrl((unsigned char)*c) && *c != '\t')
			return NULL;
	return found_end > found ? strndup(found, (size_t)(found_end - found)) : NULL;
}

static char *info_string(CURL *e, CURLINFO what)
{
	char *value = NULL;

	if (curl_easy_getinfo(e, what, &value) != CURLE_OK || !value || !value[0])
		return NULL;
	return strdup(value);
}

static enum vigil_code job_finish(struct crawl_fetcher *f, struct fetch_job *job,
				  CURLcode done, struct crawl_fetch_result *r,
				  struct vigil_error *err)
{
	CURL *e = job->easy;
	long status = 0;
	struct fetch_origin *o = job->origin;

	curl_multi_remove_handle(f->multi, e);
	for (struct fetch_job **p = &f->active; *p; p = &(*p)->active_next)
		if (*p == job) {
			*p = job->active_next;
			break;
		}
	f->running--;
	o->busy = 0;
	o->last_done_ms = monotonic_ms();
	o->next_allowed_ms = o->last_done_ms + o->delay_ms;

	memset(r, 0, sizeof(*r));
	r->user = job->user;
	r->fetched_at = vigil_now();
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	r->effective_url = info_string(e, CURLINFO_EFFECTIVE_URL);
	r->content_type = info_string(e, CURLINFO_CONTENT_TYPE);
	r->ip = info_string(e, CURLINFO_PRIMARY_IP);
	if (!job->follow_redirects && status >= 300 && status < 400)
		r->redirect_url = info_string(e, CURLINFO_REDIRECT_URL);
	if (done == CURLE_OK || job->truncated) {
		r->status = (int)status;
	} else if (job->refused[0]) {
		struct vigil_buf msg = VIGIL_BUF_INIT;
		const char *hop = r->effective_url ? r->effective_url : job->url;

		/* Callers put the requested URL in front: name only a
		 * redirect's target, which is another. */
		if ((strcmp(hop, job->url) == 0
			     ? vigil_buf_append_str(&msg, job->refused)
			     : vigil_buf_printf(&msg, "%s for URL %s", job->refused, hop)) == VIGIL_OK)
			r->error = vigil_buf_detach(&msg);
		vigil_buf_release(&msg);
		r->status = 0;
	} else {
		struct vigil_buf msg = VIGIL_BUF_INIT;
		enum vigil_code code;

		if (job->head_too_large)
			code = vigil_buf_printf(&msg, "response head over %zu bytes",
						FETCH_MAX_HEAD);
		else if (job->errbuf[0] && strcmp(job->errbuf, curl_easy_strerror(done)) != 0)
			code = vigil_buf_printf(&msg, "%s: %s", curl_easy_strerror(done),
						job->errbuf);
		else
			code = vigil_buf_append_str(&msg, curl_easy_strerror(done));
		r->status = 0;
		r->error = code == VIGIL_OK ? vigil_buf_detach(&msg) : NULL;
		vigil_buf_release(&msg);
	}
	if (job->truncated) {
		struct vigil_buf msg = VIGIL_BUF_INIT;

		if (vigil_buf_printf(&msg, "body over %zu bytes", job->max_body) == VIGIL_OK)
			r->error = vigil_buf_detach(&msg);
		vigil_buf_release(&msg);
		r->truncated = 1;
	}
	r->response_head_len = job->response_head.len;
	r->response_head = vigil_buf_detach(&job->response_head);
	r->request_head_len = job->request_head.len;
	r->request_head = vigil_buf_detach(&job->request_head);
	r->body_len = job->body.len;
	r->body = vigil_buf_detach(&job->body);
	if (r->response_head) {
		r->etag = crawl_head_value(r->response_head, r->response_head_len, "ETag");
		r->last_modified = crawl_head_value(r->response_head, r->response_head_len,
					      "Last-Modified");
	}
	r->url = job->url;
	job->url = NULL;
	job_free(job);
	if (!r->response_head || !r->request_head || !r->body ||
	    (r->status == 0 && !r->error) || (r->truncated && !r->error)) {
		crawl_fetch_result_release(r);
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "fetcher: out of memory");
	}
	return VIGIL_OK;
}

/* A finished transfer, or NULL. Messages not read stay in curl's queue. */
static struct fetch_job *take_done(struct crawl_fetcher *f, CURLcode *done)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(f->multi, &left))) {
		struct fetch_job *job = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&job);
		*done = msg->data.result;
		return job;
	}
	return NULL;
}

enum vigil_code crawl_fetcher_next(struct crawl_fetcher *fetcher,
				   struct crawl_fetch_result *result,
				   struct vigil_error *err)
{
	memset(result, 0, sizeof(*result));
	for (;;) {
		struct fetch_job *job;
		CURLcode done = CURLE_OK;
		int64_t wait_ms;
		int still;
		CURLMcode mc;
		enum vigil_code code;

		if ((job = take_done(fetcher, &done)))
			return job_finish(fetcher, job, done, result, err);
		code = start_ready(fetcher, monotonic_ms(), &wait_ms, err);
		if (code != VIGIL_OK)
			return code;
		if (fetcher->running == 0 && fetcher->queued == 0)
			return vigil_error_set(err, VIGIL_ERR_NOT_FOUND, "fetcher: nothing queued");
		mc = curl_multi_perform(fetcher->multi, &still);
		if (mc != CURLM_OK)
			return vigil_error_set(err, VIGIL_ERR_NETWORK, "fetcher: %s",
					       curl_multi_strerror(mc));
		if ((job = take_done(fetcher, &done)))
			return job_finish(fetcher, job, done, result, err);
		/* Sleep until socket activity, a curl timer, or the end of the
		 * shortest per-origin delay: waiting for a delay never spins. */
		if (wait_ms < 0 || wait_ms > FETCH_MAX_POLL_MS)
			wait_ms = FETCH_MAX_POLL_MS;
		mc = curl_multi_poll(fetcher->multi, NULL, 0, (int)wait_ms, NULL);
		if (mc != CURLM_OK)
			return vigil_error_set(err, VIGIL_ERR_NETWORK, "fetcher: %s",
					       curl_multi_strerror(mc));
	}
}

void crawl_fetcher_free(struct crawl_fetcher **fetcher)
{
	struct crawl_fetcher *f = fetcher ? *fetcher : NULL;

	if (!f)
		return;
	for (size_t i = 0; i < f->origin_count; i++) {
		struct fetch_origin *o = f->origins[i];

		while (o->head) {
			struct fetch_job *job = o->head;

			o->head = job->next;
			job_free(job);
		}
		free(o->origin);
		free(o);
	}
	while (f->active) {
		struct fetch_job *job = f->active;

		f->active = job->active_next;
		curl_multi_remove_handle(f->multi, job->easy);
		job_free(job);
	}
	if (f->multi)
		curl_multi_cleanup(f->multi);
	free(f->origins);
	free(f->endpoints);
	free(f->user_agent);
	free(f);
	*fetcher = NULL;
	curl_global_cleanup();
}

void crawl_fetch_result_release(struct crawl_fetch_result *result)
{
	if (!result)
		return;
	free(result->url);
	free(result->effective_url);
	free(result->redirect_url);
	free(result->error);
	free(result->content_type);
	free(result->etag);
	free(result->last_modified);
	free(result->ip);
	free(result->request_head);
	free(result->response_head);
	free(result->body);
	memset(result, 0, sizeof(*result));
}
