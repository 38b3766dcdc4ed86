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

/* Queue a URL whose body is cut at max_body bytes when that is lower than
 * the fetcher's cap (0: the fetcher's cap; robots.txt files are read up to
 * 500 KiB only). With follow_redirects 0 a 3xx answer comes back as it is,
 * with redirect_url set: the crawler follows redirects itself, checking
 * each target against robots.txt first. */
enum vigil_code crawl_fetcher_add_limited(struct crawl_fetcher *fetcher, const char *url,
					  size_t max_body, int follow_redirects, void *user,
					  struct vigil_error *err) VIGIL_WARN_UNUSED;

/*
 * Why the crawler refuses to connect to address (a struct sockaddr_in or
 * sockaddr_in6): "loopback", "private", "link-local", "cloud metadata",
 * "shared (CGNAT)", "multicast", "reserved", "broadcast", "unspecified",
 * "non-IP"; NULL for an address on the public internet. IPv4 addresses
 * inside IPv6 (::ffff:a.b.c.d, 64:ff9b::/96, ::a.b.c.d, 2002::/16) are
 * judged by the IPv4 rules.
 */
struct sockaddr;
const char *crawl_address_refusal(const struct sockaddr *address);

#endif
