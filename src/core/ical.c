/*
 * ical.c — see ical.h. libical builds the components and writes them: it
 * escapes TEXT values; its folding is undone and done again here (refold:
 * libical 3.0 can fold between CR and LF), at 75 octets on UTF-8 character
 * boundaries (checked in tests/unit/test_ical.c and fuzz/fuzz_ical.c).
 * The VTIMEZONE is written by hand rather than taken from libical's built-in
 * zones, whose TZIDs carry a "/freeassociation.sourceforge.net/" prefix and
 * which depend on the system's zoneinfo; China has had no DST since 1991.
 */
#include "core/ical.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>

#include "core/timefmt.h"
#include "core/validate.h"

#define TZID "Asia/Shanghai"
#define CST_OFFSET (8 * 3600)

/* Local wall-clock time in China for t, as a floating icaltime. */
static struct icaltimetype local_time(int64_t t)
{
	int64_t l = t + CST_OFFSET;
	int64_t days = l / 86400, sec = l % 86400;
	if (sec < 0) {
		sec += 86400;
		days--;
	}
	int y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	struct icaltimetype it = icaltime_null_time();
	it.year = y;
	it.month = (int)m;
	it.day = (int)d;
	it.hour = (int)(sec / 3600);
	it.minute = (int)(sec / 60 % 60);
	it.second = (int)(sec % 60);
	it.is_date = 0;
	return it;
}

static icalproperty *with_tzid(icalproperty *p)
{
	icalproperty_add_parameter(p, icalparameter_new_tzid(TZID));
	return p;
}

/* Appends one content line of len octets, folded: at most 75 octets a line,
 * the leading space included, and never inside a UTF-8 sequence
 * (continuation bytes are 10xxxxxx). */
static int fold_line(buf_t *out, const char *l, size_t len)
{
	size_t i = 0, max = 75;
	int rc = 0;
	while (!rc && i < len) {
		size_t n = len - i;
		if (n > max) {
			n = max;
			while (n > 1 && ((unsigned char)l[i + n] & 0xC0) == 0x80)
				n--;
		}
		rc = (i ? buf_append(out, " ", 1) : 0) || buf_append(out, l + i, n) || buf_append(out, "\r\n", 2);
		i += n;
		max = 74;
	}
	return rc ? -1 : 0;
}

/*
 * Appends libical's text s, unfolded and folded again with fold_line.
 * libical 3.0 counts a line's CRLF in its 75 octets and can fold between the
 * CR and the LF, leaving a bare CR and a line holding only LF
 * ("…\r\r\n \n"; found by fuzz/fuzz_ical.c): unfolding removes its CRLF+space
 * wherever it put it, so the logical lines come back whole.
 */
static int refold(buf_t *out, const char *s)
{
	buf_t u;
	buf_init(&u, out->max);
	int rc = 0;
	for (const char *p = s; *p && !rc; p++) {
		if (p[0] == '\r' && p[1] == '\n' && (p[2] == ' ' || p[2] == '\t'))
			p += 2;
		else
			rc = buf_append(&u, p, 1);
	}
	for (size_t i = 0; !rc && i < u.len;) {
		const char *e = memmem(u.data + i, u.len - i, "\r\n", 2);
		size_t n = e ? (size_t)(e - (u.data + i)) : u.len - i;
		rc = fold_line(out, u.data + i, n);
		i += n + (e ? 2 : 0);
	}
	buf_free(&u);
	return rc ? -1 : 0;
}

/*
 * Appends "name:value" as a TEXT content line, escaped and folded like
 * libical does for standard properties. Needed for X-WR-CALNAME: libical
 * leaves ',' and ';' unescaped in X- properties, but RFC 5545 §3.8.8.2 gives
 * unknown properties the TEXT type.
 */
static int put_text_line(buf_t *out, const char *name, const char *value)
{
	buf_t l;
	buf_init(&l, out->max);
	int rc = buf_printf(&l, "%s:", name);
	for (const char *p = value; *p && !rc; p++) {
		if (*p == '\\' || *p == ';' || *p == ',')
			rc = buf_printf(&l, "\\%c", *p);
		else if (*p == '\n')
			rc = buf_puts(&l, "\\n");
		else if (*p != '\r')
			rc = buf_append(&l, p, 1);
	}
	if (!rc)
		rc = fold_line(out, l.data, l.len);
	buf_free(&l);
	return rc ? -1 : 0;
}

/*
 * The text a TEXT value can carry (RFC 5545 §3.3.11): control characters
 * other than tab and newline have no escape and are dropped (CR, which
 * libical drops anyway, and DEL included), and leading and trailing white
 * space is trimmed, because parsers (libical among them) strip it and an
 * all-blank value then vanishes with an error. Found by fuzz/fuzz_ical.c.
 * Returns a malloc'd copy, or NULL when out of memory.
 */
static char *clean_text(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n + 1), *o = out;
	if (!out)
		return NULL;
	utf8_xml_clean(s, n, out);	/* non-characters too (security #12), then in place: */
	for (const unsigned char *c = (const unsigned char *)out; *c; c++)
		if ((*c >= 0x20 && *c != 0x7f) || *c == '\t' || *c == '\n')
			*o++ = (char)*c;
	while (o > out && (o[-1] == ' ' || o[-1] == '\t' || o[-1] == '\n'))
		o--;
	*o = 0;
	size_t lead = strspn(out, " \t\n");
	memmove(out, out + lead, (size_t)(o - out) - lead + 1);
	return out;
}

/* A TEXT property with s cleaned, left out when nothing is left. */
static void add_text(icalcomponent *v, icalproperty *(*make)(const char *), const char *s)
{
	char *t = s ? clean_text(s) : NULL;
	if (t && *t)
		icalcomponent_add_property(v, make(t));
	free(t);
}

static int text_ok(const char *s, int required)
{
	if (!s)
		return !required;
	if (required && !*s)
		return 0;
	return utf8_length(s, strlen(s)) >= 0;
}

static icalcomponent *vtimezone(void)
{
	icalcomponent *tz = icalcomponent_new(ICAL_VTIMEZONE_COMPONENT);
	icalcomponent_add_property(tz, icalproperty_new_tzid(TZID));
	icalcomponent *std = icalcomponent_new(ICAL_XSTANDARD_COMPONENT);
	struct icaltimetype start = icaltime_null_time();
	start.year = 1970;
	start.month = 1;
	start.day = 1;
	start.is_date = 0;
	icalcomponent_add_property(std, icalproperty_new_dtstart(start));
	icalcomponent_add_property(std, icalproperty_new_tzoffsetfrom(CST_OFFSET));
	icalcomponent_add_property(std, icalproperty_new_tzoffsetto(CST_OFFSET));
	icalcomponent_add_property(std, icalproperty_new_tzname("CST"));
	icalcomponent_add_component(tz, std);
	return tz;
}

int ical_calendar(const char *calname, const struct ical_event *ev, size_t n, buf_t *out)
{
	if (!out || !text_ok(calname, 1) || (n && !ev))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!text_ok(ev[i].uid, 1) || !text_ok(ev[i].summary, 0) || !text_ok(ev[i].location, 0) ||
		    !text_ok(ev[i].description, 0) || ev[i].end < ev[i].start || ev[i].sequence < 0)
			return -1;

	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	if (!cal)
		return -1;
	icalcomponent_add_property(cal, icalproperty_new_prodid("-//Wenming//Civilized City//ZH"));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	/* No METHOD: a subscribed feed is not an iTIP message, and METHOD:PUBLISH
	 * would require an ORGANIZER on every VEVENT (RFC 5546 §3.2.1). */
	icalcomponent_add_component(cal, vtimezone());

	icaltimezone *utc = icaltimezone_get_utc_timezone();
	for (size_t i = 0; i < n; i++) {
		const struct ical_event *e = &ev[i];
		icalcomponent *v = icalcomponent_new(ICAL_VEVENT_COMPONENT);
		icalcomponent_add_property(v, icalproperty_new_uid(e->uid));
		icalcomponent_add_property(v, icalproperty_new_sequence(e->sequence));
		icalcomponent_add_property(v, icalproperty_new_dtstamp(
			icaltime_from_timet_with_zone((time_t)e->stamp, 0, utc)));
		icalcomponent_add_property(v, with_tzid(icalproperty_new_dtstart(local_time(e->start))));
		icalcomponent_add_property(v, with_tzid(icalproperty_new_dtend(local_time(e->end))));
		add_text(v, icalproperty_new_summary, e->summary);
		add_text(v, icalproperty_new_location, e->location);
		add_text(v, icalproperty_new_description, e->description);
		icalcomponent_add_property(v, icalproperty_new_status(e->cancelled ? ICAL_STATUS_CANCELLED
										   : ICAL_STATUS_CONFIRMED));
		icalcomponent_add_component(cal, v);
	}
	char *s = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	if (!s)
		return -1;
	/* The calendar's own name goes right after its head (see put_text_line). */
	const char *head_end = "CALSCALE:GREGORIAN\r\n", *h = strstr(s, head_end);
	int rc = -1;
	if (h) {
		size_t at = (size_t)(h - s) + strlen(head_end);
		char *name = clean_text(calname);	/* nothing left: refused like an empty name */
		char c = s[at];
		s[at] = 0;
		rc = !name || !*name || refold(out, s) ? -1 : 0;
		s[at] = c;
		rc = rc || put_text_line(out, "X-WR-CALNAME", name) || put_text_line(out, "X-WR-TIMEZONE", TZID) ||
		     refold(out, s + at) ? -1 : 0;
		free(name);
	}
	icalmemory_free_buffer(s);
	return rc;
}
