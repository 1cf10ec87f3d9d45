/*
 * audit.c — searching the append-only audit log (admins). Newest first;
 * the cursor is the id of the last entry seen.
 */
#include "api.h"
#include "core/csv.h"
#include "core/timefmt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* RFC 3339 prefix check: "2026-11-21" or "2026-11-21T08:00:00Z". */
static int date_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 10 || n > 30)
		return 0;
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

/* The filter shared by the list and the export; NULL after answering 422. */
static json_t *audit_filter(struct req *r, json_t *fields)
{
	json_t *f = json_object();
	static const char *text[] = {"q", "resource", "resource_id", "action"};
	for (int i = 0; i < 4; i++)
		if (qstr(r, text[i]))
			json_object_set_new(f, text[i], json_string(qstr(r, text[i])));
	if (qstr(r, "actor_id"))
		json_object_set_new(f, "actor_id", json_integer(qint(r, "actor_id", 0, 1, INT64_MAX, fields)));
	static const char *dates[] = {"from", "to"};
	for (int i = 0; i < 2; i++) {
		const char *d = qstr(r, dates[i]);
		if (!d)
			continue;
		/* The log stores UTC ("…Z"); compare in UTC whatever offset was given. */
		int64_t t;
		if (!date_ok(d) || time_parse(d, 1, &t)) {
			field_error(fields, dates[i], "invalid", "日期格式应为 YYYY-MM-DD 或 RFC 3339");
			continue;
		}
		int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400, secs = t - days * 86400;
		int y;
		unsigned mo, dd;
		civil_from_days(days, &y, &mo, &dd);
		char utc[32];
		snprintf(utc, sizeof utc, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, mo, dd, (int)(secs / 3600),
			 (int)(secs / 60 % 60), (int)(secs % 60));
		json_object_set_new(f, dates[i], json_string(utc));
	}
	if (json_array_size(fields)) {
		json_decref(f);
		reply_fields(r, fields);
		return NULL;
	}
	json_decref(fields);
	return f;
}

int audit_list(struct req *r)
{
	json_t *fields = json_array();
	int limit = page_limit(r, fields);
	int64_t before = qint(r, "cursor", 0, 0, INT64_MAX, fields);
	json_t *f = audit_filter(r, fields);
	if (!f)
		return r->status;
	json_t *items = store_audit_list(f, before, limit);
	json_decref(f);
	if (!items)
		return reply_store_error(r, STORE_EIO);
	return reply_json(r, 200, page(items, limit, "id"));
}

static void cell_json(buf_t *b, json_t *v, int last)
{
	if (json_is_string(v)) {
		csv_cell(b, json_string_value(v), last);
		return;
	}
	char *s = v && !json_is_null(v) ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	csv_cell(b, s, last);
	free(s);
}

/* CSV of the filtered log, newest first, at most 100,000 rows per file (use
 * from/to to cut a longer period). UTF-8 with a BOM so Excel reads Chinese. */
int audit_export(struct req *r)
{
	json_t *fields = json_array();
	json_t *f = audit_filter(r, fields);
	if (!f)
		return r->status;
	buf_t b;
	buf_init(&b, 64u << 20);
	buf_puts(&b, "\xEF\xBB\xBFid,at,actor_id,actor_login,action,resource,resource_id,before,after,ip,note\r\n");
	static const char *cols[] = {"id", "at", "actor_id", "actor_login", "action", "resource", "resource_id",
				     "before", "after", "ip", "note"};
	int64_t cursor = 0;
	for (int rows = 0; rows < 100000;) {
		json_t *items = store_audit_list(f, cursor, 1000);
		if (!items || json_array_size(items) == 0) {
			json_decref(items);
			break;
		}
		size_t i;
		json_t *e;
		json_array_foreach(items, i, e) {
			for (int c = 0; c < 11; c++)
				cell_json(&b, json_object_get(e, cols[c]), c == 10);
			cursor = jint(e, "id", 0);
			rows++;
		}
		int more = json_array_size(items) == 1000;
		json_decref(items);
		if (!more)
			break;
	}
	json_decref(f);
	if (b.overflow) {
		buf_free(&b);
		return reply_error(r, 413, "export_too_large", "导出内容过大，请缩小时间范围", NULL);
	}
	reply_header(r, "Content-Disposition", "attachment; filename=\"audit.csv\"");
	reply_raw(r, 200, "text/csv; charset=utf-8", b.data ? b.data : "", b.len, 0);
	buf_free(&b);
	return 200;
}
