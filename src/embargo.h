/*
 * embargo: advisories that must not be published yet.
 *
 * A record is embargoed while
 *   Embargoed-Until: YYYY-MM-DD [HH:MM]   (UTC; the embargo ends at that
 *                                          instant, 00:00 without a time)
 * lies in the future, or while it says
 *   Embargoed: yes                        (anything but no/false/0)
 * A date that does not parse counts as a future one: when in doubt, the
 * advisory stays private.  Embargoed advisories are tracked, applied and
 * shown to the team (list, show, status), and left out of every public
 * output (exports, the report, the Bug links of a series, the changelog)
 * unless the user asks for them (--include-embargoed).
 *
 * "Now" is the clock, or SECPORT_NOW (same syntax as Embargoed-Until) so
 * tests can move time.  Nothing here prints except embargo_now() and
 * embargo_filter() reporting their errors.
 */
#ifndef SECPORT_EMBARGO_H
#define SECPORT_EMBARGO_H

#include "record.h"
#include "repo.h"

#include <stddef.h>
#include <time.h>

/* Is the advisory of r embargoed at now?  1 or 0. */
int embargo_active(const struct record *r, time_t now);

/* Parse "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (also with a 'T'), UTC, into
 * *out.  Returns 0, or -1 (nothing reported) when s is not such a date. */
int embargo_parse_date(const char *s, time_t *out);

/* The current time, or SECPORT_NOW when set.  Returns 0, or -1 having
 * reported a SECPORT_NOW that does not parse. */
int embargo_now(time_t *out);

/*
 * Remove from ids (advisory ids, as advisory_list() gives them) the
 * advisories embargoed at now, keeping the order; *removed (if given)
 * counts them.  Reads advisories/<id>/record of each.  Returns 0, or -1
 * having reported an unreadable record (ids is then unchanged).
 */
int embargo_filter(const struct repo *repo, struct strlist *ids, time_t now,
		   size_t *removed);

/* Is advisory id embargoed at now?  1, 0, or -1 having reported an
 * unreadable record. */
int embargo_check(const struct repo *repo, const char *id, time_t now);

#endif
