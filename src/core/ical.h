/*
 * ical.h — iCalendar (RFC 5545) feeds of activities and shifts, for
 * volunteers' phone calendars (libical). Times are written as China
 * Standard Time with a VTIMEZONE for Asia/Shanghai (+0800, no daylight
 * saving), so every client shows the same wall-clock time.
 */
#ifndef WM_ICAL_H
#define WM_ICAL_H
#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"

struct ical_event {
	const char *uid;	/* stable and unique, e.g. "shift-42@wenming.example.cn"; required */
	int sequence;		/* bumped by the caller on every change (RFC 5545 §3.8.7.4) */
	int64_t start, end;	/* unix seconds; end >= start */
	int64_t stamp;		/* DTSTAMP, unix seconds (when the record last changed) */
	const char *summary, *location, *description;	/* UTF-8; NULL or "" = left out */
	int cancelled;		/* STATUS:CANCELLED instead of CONFIRMED */
};

/*
 * Appends a whole VCALENDAR to out: PRODID, VERSION:2.0, CALSCALE:GREGORIAN,
 * X-WR-CALNAME (and X-WR-TIMEZONE), no METHOD (a feed, not an iTIP message:
 * PUBLISH would need an ORGANIZER per event), the VTIMEZONE, then one
 * VEVENT per event with DTSTART/DTEND;TZID=Asia/Shanghai local times, UID,
 * SEQUENCE, DTSTAMP in UTC and STATUS. CRLF line ends; content lines folded
 * at 75 octets, never inside a UTF-8 character; TEXT values escaped.
 * n may be 0 (an empty calendar). Control characters other than tab and
 * newline are dropped from TEXT values, and white space around them trimmed
 * (a value left empty is left out). Returns 0, or -1 for a NULL or empty
 * calname (empty once cleaned) or uid, text that is not UTF-8, end before start, a negative
 * sequence, ev NULL with n > 0, libical failing or out's maximum reached.
 * Thread-safe (libical's reentrant calls only).
 */
int ical_calendar(const char *calname, const struct ical_event *ev, size_t n, buf_t *out);
#endif
