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
 * The fetcher queues and the robots cache are keyed by origin as
 * vigil_url_origin (common/url.h) gives it, so both sides use it.
 *
 * Set the delay between two requests to origin (as vigil_url_origin gives
 * it), e.g. from a robots.txt Crawl-delay. Values below the fetcher's
 * delay_ms are raised to it and values above CRAWL_MAX_ORIGIN_DELAY_MS are
 * capped. Applies to transfers that start after the call.
 */
enum vigil_code crawl_fetcher_set_delay(struct crawl_fetcher *fetcher, const char *origin,
					int delay_ms, struct vigil_error *err) VIGIL_WARN_UNUSED;

#endif
