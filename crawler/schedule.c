/*
 * schedule.c: when to fetch a known material again (crawl_recheck_next) and
 * how long a host asked to be left alone (crawl_retry_after). Both are
 * pure functions of their arguments, so the crawl pass and
 * `vigil archive reindex` compute the same schedule from the same times.
 */
#include "crawler_int.h"

#include <ctype.h>
#include <stdlib.h>

int64_t crawl_recheck_next(const struct config_settings *settings, int64_t from,
			   int64_t checked_at, int *step)
{
	const int64_t *steps = settings->recheck_steps;
	int n = settings->recheck_step_count;
	int64_t until = settings->recheck_until, last, age;
	int64_t multiple;

	*step = 0;
	if (n <= 0)
		return 0;
	if (checked_at < from)
		checked_at = from;
	for (int k = 0; k < n; k++) {
		if (from + steps[k] > checked_at) {
			if (until > 0 && steps[k] > until)
				return ARCHIVE_RECHECK_NEVER;
			*step = k;
			return from + steps[k];
		}
	}
	/* Past the last step: every last step from then on. */
	last = steps[n - 1];
	multiple = (checked_at - from) / last + 1;
	age = multiple * last;
	if (until > 0 && age > until)
		return ARCHIVE_RECHECK_NEVER;
	*step = n - 1 + (int)(multiple - 1 > 1000000 ? 1000000 : multiple - 1);
	return from + age;
}

int crawl_retry_after(const char *value, int64_t now, int64_t *until)
{
	const char *p = value;
	int64_t seconds = 0, when;

	if (!value)
		return 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (isdigit((unsigned char)*p)) {
		for (; isdigit((unsigned char)*p); p++) {
			if (seconds > CRAWL_RETRY_AFTER_MAX)
				break;
			seconds = seconds * 10 + (*p - '0');
		}
		while (isdigit((unsigned char)*p))
			p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p)
			return 0;
		*until = now + (seconds > CRAWL_RETRY_AFTER_MAX ? CRAWL_RETRY_AFTER_MAX : seconds);
		return 1;
	}
	if (vigil_parse_rfc822_time(p, &when) != 0)
		return 0;
	if (when > now + CRAWL_RETRY_AFTER_MAX)
		when = now + CRAWL_RETRY_AFTER_MAX;
	*until = when;
	return 1;
}
