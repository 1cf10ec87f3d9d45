/*
 * audit.c — searching the append-only audit log (admins). Newest first;
 * the cursor is the id of the last entry seen.
 */
#include "api.h"
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

int audit_list(struct req *r)
{
	json_t *fields = json_array();
	int limit = page_limit(r, fields);
	int64_t before = qint(r, "cursor", 0, 0, INT64_MAX, fields);
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
		if (!date_ok(d))
			field_error(fields, dates[i], "invalid", "日期格式应为 YYYY-MM-DD 或 RFC 3339");
		json_object_set_new(f, dates[i], json_string(d));
	}
	if (json_array_size(fields)) {
		json_decref(f);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	json_t *items = store_audit_list(f, before, limit);
	json_decref(f);
	if (!items)
		return reply_store_error(r, STORE_EIO);
	return reply_json(r, 200, page(items, limit, "id"));
}
