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

/* The filter shared by the list and the export (its query types are
 * checked by the dispatcher: actor_id:id from:time to:time). */
static json_t *audit_filter(struct req *r)
{
	json_t *f = json_object();
	static const char *text[] = {"q", "resource", "resource_id", "action"};
	for (int i = 0; i < 4; i++)
		if (q_text(r, text[i]))
			json_object_set_new(f, text[i], json_string(q_text(r, text[i])));
	if (q_has(r, "actor_id"))
		json_object_set_new(f, "actor_id", json_integer(q_int(r, "actor_id")));
	static const char *dates[] = {"from", "to"};
	for (int i = 0; i < 2; i++) {
		if (!q_has(r, dates[i]))
			continue;
		/* The log stores UTC ("…Z"); compare in UTC whatever offset was given. */
		int64_t t = q_time(r, dates[i]);
		int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400, secs = t - days * 86400;
		int y;
		unsigned mo, dd;
		civil_from_days(days, &y, &mo, &dd);
		char utc[32];
		snprintf(utc, sizeof utc, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, mo, dd, (int)(secs / 3600),
			 (int)(secs / 60 % 60), (int)(secs % 60));
		json_object_set_new(f, dates[i], json_string(utc));
	}
	return f;
}

int audit_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	json_t *f = audit_filter(r);
	json_t *items = store_audit_list(f, q_int(r, "cursor"), limit);
	json_decref(f);
	return list_reply(r, items, limit, "id");
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
	json_t *f = audit_filter(r);
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
