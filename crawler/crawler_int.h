/*
 * crawler_int.h: helpers shared by the files of crawler/ and nothing else.
 * Not a published API: the CLI and tests of other modules use crawler.h.
 */
#ifndef VIGIL_CRAWLER_INT_H
#define VIGIL_CRAWLER_INT_H

#include "crawler.h"

/* Hard ceiling for a robots.txt Crawl-delay: a hostile or mistyped value
 * must not stall a pass for hours. */
#define CRAWL_MAX_ORIGIN_DELAY_MS 30000

/*
 * scheme://host[:port] of url: scheme and host lower-cased, the default
 * port dropped, IPv6 hosts in brackets. malloc'd; NULL when url is not an
 * absolute http(s) URL or on OOM. The fetcher queues and the robots cache
 * are keyed by this, so both sides must use the same function.
 */
char *crawl_url_origin(const char *url);

/*
 * Set the delay between two requests to origin (as crawl_url_origin gives
 * it), e.g. from a robots.txt Crawl-delay. Values below the fetcher's
 * delay_ms are raised to it and values above CRAWL_MAX_ORIGIN_DELAY_MS are
 * capped. Applies to transfers that start after the call.
 */
enum vigil_code crawl_fetcher_set_delay(struct crawl_fetcher *fetcher, const char *origin,
					int delay_ms, struct vigil_error *err) VIGIL_WARN_UNUSED;

/*
 * Value of header name (matched case-insensitively) in the raw response
 * head[0..len), the last occurrence, blanks around it trimmed; malloc'd, or
 * NULL when absent, empty, or holding a control byte other than tab (a
 * bare CR could smuggle a header into the conditional request that sends
 * the value back). The head comes from the network: fuzz/
 * crawler_head_fuzzer.c drives this function directly.
 */
char *crawl_head_value(const char *head, size_t len, const char *name);

#endif
