/* embargo: which advisories stay private, and until when (embargo.h). */
#include "embargo.h"
#include "strbuf.h"
#include "usage.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* n digits at s, as a number; -1 if they are not all digits. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int embargo_parse_date(const char *s, time_t *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };
	struct tm tm = { 0 };
	int y, m, d, hh = 0, mm = 0;
	time_t t;

	if (!s)
		return -1;
	while (*s == ' ' || *s == '\t')
		s++;
	y = digits(s, 4);
	m = y >= 0 && s[4] == '-' ? digits(s + 5, 2) : -1;
	d = m >= 0 && s[7] == '-' ? digits(s + 8, 2) : -1;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	s += 10;
	if (*s == ' ' || *s == 'T') {
		hh = digits(s + 1, 2);
		mm = hh >= 0 && s[3] == ':' ? digits(s + 4, 2) : -1;
		if (hh < 0 || hh > 23 || mm < 0 || mm > 59)
			return -1;
		s += 6;
		if (*s == ':' && digits(s + 1, 2) >= 0)
			s += 3;
		if (*s == 'Z')
			s++;
		else if (!strncasecmp(s, " UTC", 4))
			s += 4;
	}
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (*s)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	t = timegm(&tm);
	if (t == (time_t)-1 || tm.tm_mday != d) /* 29 February, not leap */
		return -1;
	*out = t;
	return 0;
}

int embargo_now(time_t *out)
{
	const char *v = getenv("SECPORT_NOW");

	if (!v || !*v) {
		*out = time(NULL);
		return 0;
	}
	if (embargo_parse_date(v, out))
		return error("SECPORT_NOW '%s' is not a date (YYYY-MM-DD)", v);
	return 0;
}

int embargo_active(const struct record *r, time_t now)
{
	const char *flag = record_get(r, "Embargoed");
	const char *until = record_get(r, "Embargoed-Until");
	time_t t;

	if (flag) {
		while (*flag == ' ' || *flag == '\t')
			flag++;
		if (*flag && strcasecmp(flag, "no") && strcasecmp(flag, "false") &&
		    strcmp(flag, "0"))
			return 1;
	}
	if (!until)
		return 0;
	while (*until == ' ' || *until == '\t')
		until++;
	if (!*until)
		return 0;
	if (embargo_parse_date(until, &t))
		return 1; /* unreadable: stay private */
	return now < t;
}

int embargo_check(const struct repo *repo, const char *id, time_t now)
{
	struct record r = RECORD_INIT;
	struct strbuf path = STRBUF_INIT;
	int ret;

	strbuf_addf(&path, "%s/advisories/%s/record", repo->root, id);
	ret = record_read(&r, path.buf) ? -1 : embargo_active(&r, now);
	record_release(&r);
	strbuf_release(&path);
	return ret;
}

int embargo_filter(const struct repo *repo, struct strlist *ids, time_t now,
		   size_t *removed)
{
	unsigned char *drop = xcalloc(ids->nr ? ids->nr : 1, 1);
	size_t k = 0, n = 0;

	for (size_t i = 0; i < ids->nr; i++) {
		int e = embargo_check(repo, ids->items[i], now);

		if (e < 0) {
			free(drop);
			return -1;
		}
		drop[i] = (unsigned char)e;
	}
	for (size_t i = 0; i < ids->nr; i++) {
		if (drop[i]) {
			free(ids->items[i]);
			n++;
		} else {
			ids->items[k++] = ids->items[i];
		}
	}
	ids->nr = k;
	free(drop);
	if (removed)
		*removed = n;
	return 0;
}
