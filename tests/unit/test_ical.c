/*
 * test_ical.c — unit tests for src/core/ical.{h,c}:
 *   - the calendar's head (PRODID, VERSION, CALSCALE, METHOD, X-WR-CALNAME)
 *     and the Asia/Shanghai VTIMEZONE (+0800 both ways);
 *   - DTSTART/DTEND;TZID=Asia/Shanghai in local time (01:00 UTC → 09:00),
 *     across midnight; DTSTAMP in UTC; UID, SEQUENCE; CONFIRMED/CANCELLED;
 *   - every line ends CRLF; no line over 75 octets; no line splits a UTF-8
 *     character (each physical line is valid UTF-8 alone), with long Chinese
 *     text and 4-byte emoji; unfolding gives back the escaped text, and
 *     libical's own parser gives back the original (commas, semicolons,
 *     backslashes, newlines);
 *   - failure paths: NULL/empty calendar name or UID, end before start,
 *     negative sequence, invalid UTF-8, NULL events, out's cap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "core/ical.h"
#include "core/validate.h"

/* 2026-11-21T01:00:00Z = 09:00 in Shanghai */
#define T0 1795222800LL

static const char *long_text =
	"文明城市创建志愿服务活动：清理楼道堆物、张贴公益广告、劝导电动车不进楼入户，"
	"地点在浦东新区花木街道由由第五居民区;集合点为小区南门,请穿志愿者马甲\\带好手套\n"
	"第二行：签到后领取物资🧹🧤，结束后拍照上传，记录服务时长。重复一遍以便足够长："
	"文明城市创建志愿服务活动，文明城市创建志愿服务活动，文明城市创建志愿服务活动。";

static char *escape(const char *s)
{
	buf_t b;
	buf_init(&b, 1 << 16);
	buf_puts(&b, "");
	for (; *s; s++) {
		if (*s == '\\' || *s == ';' || *s == ',')
			buf_printf(&b, "\\%c", *s);
		else if (*s == '\n')
			buf_puts(&b, "\\n");
		else
			buf_append(&b, s, 1);
	}
	return b.data;
}

/* Checks CRLF, 75 octets and UTF-8 per physical line; returns the unfolded text (malloc'd). */
static char *check_lines_and_unfold(const buf_t *b)
{
	buf_t u;
	buf_init(&u, 1 << 20);
	buf_puts(&u, "");
	const char *p = b->data, *end = b->data + b->len;
	while (p < end) {
		const char *nl = strstr(p, "\r\n");
		assert_non_null(nl);
		size_t len = (size_t)(nl - p);
		assert_null(memchr(p, '\n', len));
		assert_true(len <= 75);
		assert_true(utf8_length(p, len) >= 0);
		if (*p == ' ') {
			assert_true(u.len >= 2);
			u.len -= 2;	/* drop the CRLF before the continuation */
			buf_append(&u, p + 1, len - 1);
		} else
			buf_append(&u, p, len);
		buf_append(&u, "\r\n", 2);
		p = nl + 2;
	}
	return u.data;
}

static void test_calendar(void **state)
{
	(void)state;
	struct ical_event ev[2] = {
		{.uid = "shift-42@wenming.example.cn", .sequence = 3, .start = T0, .end = T0 + 3 * 3600,
		 .stamp = T0 - 86400, .summary = long_text, .location = "由由第五居民区, 南门; 集合",
		 .description = "a,b;c\\d\ne"},
		{.uid = "activity-7@wenming.example.cn", .sequence = 0, .start = T0 + 14 * 3600,
		 .end = T0 + 16 * 3600, .stamp = T0, .summary = "夜间巡查", .cancelled = 1},
	};
	buf_t b;
	buf_init(&b, 1 << 20);
	assert_int_equal(ical_calendar("花木街道志愿服务,日程;全部", ev, 2, &b), 0);
	char *u = check_lines_and_unfold(&b);
	assert_true(!strncmp(u, "BEGIN:VCALENDAR\r\n", 17));
	assert_non_null(strstr(u, "\r\nPRODID:"));
	assert_non_null(strstr(u, "\r\nVERSION:2.0\r\n"));
	assert_non_null(strstr(u, "\r\nCALSCALE:GREGORIAN\r\n"));
	/* No METHOD: PUBLISH would need an ORGANIZER in every VEVENT (RFC 5546). */
	assert_null(strstr(u, "METHOD:"));
	assert_non_null(strstr(u, "\r\nX-WR-CALNAME:花木街道志愿服务\\,日程\\;全部\r\n"));
	assert_non_null(strstr(u, "\r\nBEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n"));
	assert_non_null(strstr(u, "\r\nTZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\n"));
	assert_non_null(strstr(u, "\r\nDTSTART;TZID=Asia/Shanghai:20261121T090000\r\n"));
	assert_non_null(strstr(u, "\r\nDTEND;TZID=Asia/Shanghai:20261121T120000\r\n"));
	/* 01:00Z + 16 h = 17:00Z = 01:00 next day in Shanghai */
	assert_non_null(strstr(u, "\r\nDTEND;TZID=Asia/Shanghai:20261122T010000\r\n"));
	assert_non_null(strstr(u, "\r\nDTSTAMP:20261120T010000Z\r\n"));
	assert_non_null(strstr(u, "\r\nUID:shift-42@wenming.example.cn\r\n"));
	assert_non_null(strstr(u, "\r\nSEQUENCE:3\r\n"));
	assert_non_null(strstr(u, "\r\nSTATUS:CONFIRMED\r\n"));
	assert_non_null(strstr(u, "\r\nSTATUS:CANCELLED\r\n"));
	assert_non_null(strstr(u, "\r\nDESCRIPTION:a\\,b\\;c\\\\d\\ne\r\n"));
	assert_non_null(strstr(u, "\r\nLOCATION:由由第五居民区\\, 南门\\; 集合\r\n"));
	char *esc = escape(long_text);
	buf_t want;
	buf_init(&want, 1 << 16);
	buf_printf(&want, "\r\nSUMMARY:%s\r\n", esc);
	assert_non_null(strstr(u, want.data));
	assert_true(strlen(want.data) > 300);	/* folded several times */
	buf_free(&want);
	free(esc);
	free(u);

	/* libical's parser unfolds and unescapes back to the original */
	icalcomponent *cal = icalparser_parse_string(b.data);
	assert_non_null(cal);
	icalcomponent *v = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	assert_non_null(v);
	assert_string_equal(icalcomponent_get_summary(v), long_text);
	assert_string_equal(icalcomponent_get_description(v), "a,b;c\\d\ne");
	assert_string_equal(icalcomponent_get_uid(v), "shift-42@wenming.example.cn");
	icalcomponent_free(cal);
	buf_free(&b);

	/* a long calendar name is folded by ical.c itself (libical does not
	 * escape X- properties): same rules */
	buf_init(&b, 1 << 20);
	assert_int_equal(ical_calendar(long_text, ev, 1, &b), 0);
	u = check_lines_and_unfold(&b);
	esc = escape(long_text);
	buf_init(&want, 1 << 16);
	buf_printf(&want, "\r\nX-WR-CALNAME:%s\r\n", esc);
	assert_non_null(strstr(u, want.data));
	buf_free(&want);
	free(esc);
	free(u);
	buf_free(&b);
}

static void test_empty_and_failures(void **state)
{
	(void)state;
	buf_t b;
	buf_init(&b, 1 << 20);
	assert_int_equal(ical_calendar("空日历", NULL, 0, &b), 0);
	assert_non_null(strstr(b.data, "END:VCALENDAR\r\n"));
	assert_null(strstr(b.data, "BEGIN:VEVENT"));
	buf_free(&b);

	struct ical_event ok = {.uid = "u@x", .start = T0, .end = T0 + 60, .stamp = T0, .summary = "s"};
	struct ical_event e;
	buf_init(&b, 1 << 20);
	assert_int_equal(ical_calendar(NULL, &ok, 1, &b), -1);
	assert_int_equal(ical_calendar("", &ok, 1, &b), -1);
	assert_int_equal(ical_calendar("c", NULL, 1, &b), -1);
	assert_int_equal(ical_calendar("c", &ok, 1, NULL), -1);
	e = ok, e.uid = NULL;
	assert_int_equal(ical_calendar("c", &e, 1, &b), -1);
	e = ok, e.uid = "";
	assert_int_equal(ical_calendar("c", &e, 1, &b), -1);
	e = ok, e.end = T0 - 1;
	assert_int_equal(ical_calendar("c", &e, 1, &b), -1);
	e = ok, e.sequence = -1;
	assert_int_equal(ical_calendar("c", &e, 1, &b), -1);
	e = ok, e.summary = "\xB1\xE0\xBA\xC5";	/* GBK */
	assert_int_equal(ical_calendar("c", &e, 1, &b), -1);
	assert_int_equal(ical_calendar("\xff", &ok, 1, &b), -1);
	assert_int_equal(b.len, 0);
	/* a zero-length event is allowed, empty optional texts are left out */
	e = ok, e.end = T0, e.summary = "", e.location = NULL;
	assert_int_equal(ical_calendar("c", &e, 1, &b), 0);
	assert_null(strstr(b.data, "SUMMARY"));
	assert_null(strstr(b.data, "LOCATION"));
	buf_free(&b);
	/* Non-characters stored before the text rule are dropped (security #12). */
	buf_init(&b, 1 << 20);
	e = ok, e.summary = "\xef\xbf\xbf" "a\xef\xbf\xbe" "b";
	assert_int_equal(ical_calendar("c", &e, 1, &b), 0);
	assert_non_null(strstr(b.data, "\r\nSUMMARY:ab\r\n"));
	assert_null(strstr(b.data, "\xef\xbf\xbf"));
	buf_free(&b);
	buf_init(&b, 200);
	assert_int_equal(ical_calendar("c", &ok, 1, &b), -1);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_empty_and_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
