/*
 * certificate.h — the 志愿服务证明 (volunteer service certificate) as an
 * A4 PDF, drawn with cairo + pango in Noto Serif/Sans CJK SC
 * (fonts-noto-cjk): title, holder, organisation, total hours, star level,
 * the service records as a table over as many pages as it takes (its header
 * repeated), issuer, date and serial, "第 p 页 / 共 N 页" on every page.
 */
#ifndef WM_CERTIFICATE_H
#define WM_CERTIFICATE_H
#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"

struct cert_line {
	const char *date, *activity, *place;	/* date as the caller wants it shown, e.g. "2026-11-21" */
	double hours;
};

struct cert_info {
	const char *name;	/* required */
	const char *id_masked;	/* already masked (privacy.h / mask_id); NULL = not shown */
	const char *org;	/* the volunteer's organisation or team; NULL = not shown */
	const char *issuer;	/* who certifies, printed above the stamp area; required */
	const char *serial;	/* certificate number; required */
	double total_hours;	/* as recorded; not recomputed from lines (they may be a selection) */
	int stars;		/* 0 = none yet, else 1…STARS_MAX (see star.h) */
	int64_t issued_at;	/* unix seconds; shown as a date in China */
	const struct cert_line *lines;
	size_t n;		/* 0 = no table */
};

#define CERT_MAX_LINES 10000

/* Appends the PDF to out. Returns 0, or -1 for NULL or empty required text,
 * text that is not UTF-8, text too long for its place (name 200 bytes, serial
 * and masked ID 64, org and issuer 300), stars out of range, negative or non-finite hours,
 * lines NULL with n > 0, n over CERT_MAX_LINES, a cairo error or out's
 * maximum reached. Long cells wrap (up to 4 lines each, then "…"); nothing
 * is drawn outside the page's margins. Thread-safe. */
int certificate_pdf(const struct cert_info *c, buf_t *out);
#endif
