/*
 * fuzz_ical.c — the iCalendar writer (src/core/ical.c) with arbitrary
 * calendar names, summaries, locations and descriptions. Input: calname,
 * summary, location, description separated by 0x1F; times and the
 * cancelled flag from the last bytes. Properties, when ical_calendar accepts
 * the text: every content line ends in CRLF and is at most 75 octets; folding
 * never splits a UTF-8 character; libical parses the feed back to one VEVENT
 * whose SUMMARY, LOCATION and DESCRIPTION are exactly the text that went in
 * (CR dropped only where RFC 5545 cannot carry it), and X-WR-CALNAME unescapes
 * to the calendar name. It refuses only text that is not UTF-8.
 */
#include "fuzz.h"
#include "core/ical.h"
#include "core/validate.h"
#include <libical/ical.h>
#include <string.h>

/* RFC 5545 §3.3.11 unescaping of a TEXT value, for X-WR-CALNAME. */
static void unescape_text(const char *s, char *out)
{
	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*out++ = (*s == 'n' || *s == 'N') ? '\n' : *s;
		} else
			*out++ = *s;
	}
	*out = 0;
}

/* Checks the lines and returns the unfolded text (malloc'd). */
static char *check_lines(const char *s, size_t n)
{
	char *u = malloc(n + 1);
	size_t o = 0;
	CHECK(u);
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *nl = memmem(p, (size_t)(end - p), "\r\n", 2);
		CHECK(nl);	/* every line ends in CRLF */
		size_t len = (size_t)(nl - p);
		if (len > 75)
			fprintf(stderr, "line of %zu octets: %.*s\n", len, (int)len, p);
		CHECK(len <= 75);
		CHECK(!memchr(p, '\r', len) && !memchr(p, '\n', len));
		if (p[0] == ' ') {	/* continuation: must not start inside a UTF-8 sequence */
			/* libical may end a value with an empty " " continuation: harmless */
			CHECK(len == 1 || ((unsigned char)p[1] & 0xC0) != 0x80);
			CHECK(o > 0);
			o--;	/* drop the newline put after the previous line */
			memcpy(u + o, p + 1, len - 1);
			o += len - 1;
		} else {
			memcpy(u + o, p, len);
			o += len;
		}
		u[o++] = '\n';
		p = nl + 2;
	}
	u[o] = 0;
	return u;
}

static const char *prop_text(icalcomponent *ev, icalproperty_kind kind)
{
	icalproperty *p = icalcomponent_get_first_property(ev, kind);
	return p ? icalvalue_get_text(icalproperty_get_value(p)) : NULL;
}

/* What a TEXT value can carry (ical.c): no control characters but tab and
 * newline, no leading or trailing white space; NULL when nothing is left. */
static char *carried(const char *in)
{
	char *w = strdup(in);
	size_t o = 0;
	for (const unsigned char *c = (const unsigned char *)in; *c; c++)
		if ((*c >= 0x20 && *c != 0x7f) || *c == '\t' || *c == '\n')
			w[o++] = (char)*c;
	while (o && strchr(" \t\n", w[o - 1]))
		o--;
	w[o] = 0;
	size_t lead = 0;
	while (w[lead] && strchr(" \t\n", w[lead]))
		lead++;
	memmove(w, w + lead, o - lead + 1);
	if (!*w) {
		free(w);
		return NULL;
	}
	return w;
}

static void expect_text(const char *want, const char *got, const char *what, int required)
{
	char *w = want ? carried(want) : NULL;
	if (!w && required)
		w = strdup("");
	if (!w) {
		CHECK(!got);
		return;
	}
	CHECK(got);
	if (strcmp(w, got))
		fprintf(stderr, "%s: wrote [%s] read back [%s]\n", what, want, got);
	CHECK(!strcmp(w, got));
	free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8 * 1024)
		return 0;
	char *in = fuzz_strndup(data, size);
	char *f[4] = {"", NULL, NULL, NULL};
	char *cur = in;
	for (int k = 0; k < 4 && cur; k++) {
		char *sep = strchr(cur, 0x1f);
		if (sep)
			*sep = 0;
		f[k] = cur;
		cur = sep ? sep + 1 : NULL;
	}
	int64_t t = 0;
	for (size_t i = 0; i < 4 && i < size; i++)
		t = t << 8 | data[size - 1 - i];
	struct ical_event ev = {.uid = "shift-42@wenming.example.cn", .sequence = (int)(t & 7), .start = t,
				.end = t + 3600, .stamp = t, .summary = f[1], .location = f[2],
				.description = f[3], .cancelled = (int)(t & 8)};
	buf_t out;
	buf_init(&out, 1u << 20);
	int rc = ical_calendar(f[0], &ev, 1, &out);
	int utf8 = 1;
	for (int k = 0; k < 4; k++)
		utf8 &= !f[k] || utf8_length(f[k], strlen(f[k])) >= 0;
	char *cal_name = utf8 ? carried(f[0]) : NULL;
	CHECK(rc == (cal_name ? 0 : -1));
	free(cal_name);
	if (rc == 0) {
		char *unfolded = check_lines(out.data, out.len);
		char *text = strndup(out.data, out.len);
		icalcomponent *cal = icalparser_parse_string(text);
		CHECK(cal);
		icalcomponent *ve = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
		CHECK(ve && !icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT));
		icalproperty *bad = icalcomponent_get_first_property(ve, ICAL_XLICERROR_PROPERTY);
		if (bad)
			fprintf(stderr, "libical: %s\n%s\n", icalproperty_get_xlicerror(bad), text);
		CHECK(!bad);
		CHECK(!icalcomponent_get_first_property(cal, ICAL_XLICERROR_PROPERTY));
		expect_text(f[1], prop_text(ve, ICAL_SUMMARY_PROPERTY), "SUMMARY", 0);
		expect_text(f[2], prop_text(ve, ICAL_LOCATION_PROPERTY), "LOCATION", 0);
		expect_text(f[3], prop_text(ve, ICAL_DESCRIPTION_PROPERTY), "DESCRIPTION", 0);
		CHECK(icalproperty_get_status(icalcomponent_get_first_property(ve, ICAL_STATUS_PROPERTY)) ==
		      (ev.cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
		const char *cn = strstr(unfolded, "\nX-WR-CALNAME:");
		CHECK(cn);
		cn += strlen("\nX-WR-CALNAME:");
		char *line = strndup(cn, (size_t)(strchr(cn, '\n') - cn));
		char *name = malloc(strlen(line) + 1);
		unescape_text(line, name);
		expect_text(f[0], name, "X-WR-CALNAME", 1);
		free(name);
		free(line);
		icalcomponent_free(cal);
		free(text);
		free(unfolded);
	}
	buf_free(&out);
	free(in);
	return 0;
}
