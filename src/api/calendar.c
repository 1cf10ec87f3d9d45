/*
 * calendar.c — the working-time calendar as the server uses it: working
 * hours and weekend from settings, holidays and make-up working days from the
 * calendar_days table, deadlines through core/workcal.c. Admins edit it in
 * the UI or import the State Council's yearly notice as text
 * (schema/holidays-example.txt documents the format).
 */
#include "api.h"
#include "core/validate.h"
#include "core/workcal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setting_minutes(const char *key, int dflt)
{
	char *v = store_setting_get(key);
	int h, m, out = dflt;
	if (v && sscanf(v, "%d:%d", &h, &m) == 2 && h >= 0 && h <= 24 && m >= 0 && m < 60)
		out = h * 60 + m;
	free(v);
	return out;
}

/* Loads the calendar for [start, start + 3 years]; days is malloc'd. */
static int load(struct workcal *c, struct wc_day **days, int64_t start)
{
	workcal_default(c);
	c->work_start_min = setting_minutes("work_start", c->work_start_min);
	c->work_end_min = setting_minutes("work_end", c->work_end_min);
	c->lunch_start_min = setting_minutes("lunch_start", c->lunch_start_min);
	c->lunch_end_min = setting_minutes("lunch_end", c->lunch_end_min);
	char *wk = store_setting_get("weekend_mask");
	if (wk)
		c->weekend_mask = (unsigned)atoi(wk) & 0x7f;
	free(wk);
	int from = workcal_ymd(start - 86400 * 7);
	json_t *rows = store_calendar_list(from, workcal_ymd_add(from, 3 * 366 + 14));
	size_t n = json_array_size(rows);
	*days = calloc(n ? n : 1, sizeof **days);
	if (!*days) {
		json_decref(rows);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *r = json_array_get(rows, i);
		(*days)[i].ymd = (int)jint(r, "ymd", 0);
		(*days)[i].kind = jstr(r, "kind") ? jstr(r, "kind")[0] : 'H';
	}
	c->days = *days;
	c->n_days = n;
	json_decref(rows);
	return 0;
}

int64_t calendar_deadline(int64_t start, const char *unit, int amount)
{
	if (!strcmp(unit, "cal_hours"))
		return start + (int64_t)amount * 3600;
	struct workcal c;
	struct wc_day *days = NULL;
	if (load(&c, &days, start))
		return start + (int64_t)amount * 3600;
	int64_t t = workcal_deadline(&c, start, !strcmp(unit, "work_days") ? WC_WORK_DAYS : WC_WORK_HOURS, amount);
	free(days);
	/* A calendar with no working time left: fall back to calendar hours. */
	return t > start ? t : start + (int64_t)amount * 3600;
}

int64_t calendar_halfway(int64_t start, int64_t deadline, const char *unit)
{
	if (!unit || !strcmp(unit, "cal_hours") || !strcmp(unit, "override"))
		return start + (deadline - start) / 2;
	struct workcal c;
	struct wc_day *days = NULL;
	if (load(&c, &days, start))
		return start + (deadline - start) / 2;
	int64_t total = workcal_work_seconds(&c, start, deadline);
	int64_t half = total > 0 ? workcal_deadline(&c, start, WC_WORK_HOURS, 0) : -1;
	/* Walk the working time: whole hours by the calendar, the rest linearly. */
	if (total > 0) {
		int hours = (int)(total / 2 / 3600);
		half = workcal_deadline(&c, start, WC_WORK_HOURS, hours) + (total / 2 - (int64_t)hours * 3600);
	}
	free(days);
	return half > 0 ? half : start + (deadline - start) / 2;
}

static json_t *hours_json(void)
{
	struct workcal c;
	struct wc_day *days = NULL;
	load(&c, &days, app_now());
	free(days);
	char ws[16], we[16], ls[16], le[16];
	snprintf(ws, sizeof ws, "%02d:%02d", c.work_start_min / 60, c.work_start_min % 60);
	snprintf(we, sizeof we, "%02d:%02d", c.work_end_min / 60, c.work_end_min % 60);
	snprintf(ls, sizeof ls, "%02d:%02d", c.lunch_start_min / 60, c.lunch_start_min % 60);
	snprintf(le, sizeof le, "%02d:%02d", c.lunch_end_min / 60, c.lunch_end_min % 60);
	json_t *wk = json_array();
	for (int d = 0; d < 7; d++)
		if (c.weekend_mask & (1u << d))
			json_array_append_new(wk, json_integer(d));
	return json_pack("{s:s, s:s, s:s, s:s, s:o}", "work_start", ws, "work_end", we, "lunch_start", ls,
			 "lunch_end", le, "weekend", wk);
}

static json_t *day_json(json_t *row)
{
	int ymd = (int)jint(row, "ymd", 0);
	char date[24];
	snprintf(date, sizeof date, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
	const char *k = jstr(row, "kind");
	return json_pack("{s:s, s:s, s:O}", "date", date, "kind", k && k[0] == 'W' ? "workday" : "holiday", "name",
			 json_object_get(row, "name") ? json_object_get(row, "name") : json_null());
}

int calendar_get(struct req *r)
{
	int y = q_has(r, "year") ? (int)q_int(r, "year") : workcal_ymd(app_now()) / 10000;
	json_t *rows = store_calendar_list(y * 10000 + 101, y * 10000 + 1231);
	json_t *days = json_array();
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) json_array_append_new(days, day_json(row));
	json_decref(rows);
	json_t *o = hours_json();
	json_object_set_new(o, "year", json_integer(y));
	json_object_set_new(o, "days", days);
	return reply_json(r, 200, o);
}

static int parse_ymd(const char *s, int *ymd)
{
	int y, m, d;
	char tail;
	if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || strlen(s) != 10)
		return -1;
	*ymd = y * 10000 + m * 100 + d;
	return workcal_ymd_valid(*ymd) ? 0 : -1;
}

int calendar_set_day(struct req *r)
{
	static const struct fspec spec[] = {
		{"date", F_STR, F_REQ, 10, 10}, {"kind", F_STR, F_REQ, 1, 16}, {"name", F_STR, F_NULL, 0, 50},
		{NULL, 0, 0, 0, 0}};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	int ymd = 0;
	if (jstr(r->json, "date") && parse_ymd(jstr(r->json, "date"), &ymd))
		field_error(fields, "date", "invalid", "日期应为 YYYY-MM-DD");
	const char *kind = jstr(r->json, "kind");
	if (kind && strcmp(kind, "holiday") && strcmp(kind, "workday") && strcmp(kind, "normal"))
		field_error(fields, "kind", "invalid", "类型应为 holiday（放假）、workday（调休上班）或 normal（恢复常规）");
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	const char *k = !strcmp(kind, "normal") ? NULL : kind[0] == 'w' ? "W" : "H";
	int rc = store_calendar_set(ymd, k, jstr(r->json, "name"));
	if (!rc)
		rc = audit(r, "set_day", "calendar", ymd, NULL, json_incref(r->json));
	return rc ? reply_store_error(r, rc) : reply_json(r, 200, json_incref(r->json));
}

int calendar_set_hours(struct req *r)
{
	static const struct fspec spec[] = {
		{"work_start", F_STR, 0, 5, 5}, {"work_end", F_STR, 0, 5, 5}, {"lunch_start", F_STR, 0, 5, 5},
		{"lunch_end", F_STR, 0, 5, 5},	{"weekend", F_ARR, 0, 0, 7},  {NULL, 0, 0, 0, 0}};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	static const char *keys[] = {"work_start", "work_end", "lunch_start", "lunch_end"};
	for (int i = 0; i < 4; i++) {
		const char *v = jstr(r->json, keys[i]);
		int h, m;
		if (v && (sscanf(v, "%2d:%2d", &h, &m) != 2 || v[2] != ':' || h > 23 || m > 59 || h < 0 || m < 0))
			field_error(fields, keys[i], "invalid", "时间应为 HH:MM");
	}
	unsigned mask = 0;
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(r->json, "weekend"), i, d) {
		if (!json_is_integer(d) || json_integer_value(d) < 0 || json_integer_value(d) > 6)
			field_error(fields, "weekend", "invalid", "周末应为 0（周日）到 6（周六）的数组");
		else
			mask |= 1u << json_integer_value(d);
	}
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	json_t *before = hours_json();
	for (int k = 0; k < 4; k++)
		if (jstr(r->json, keys[k]))
			store_setting_set(keys[k], jstr(r->json, keys[k]));
	if (json_is_array(json_object_get(r->json, "weekend"))) {
		char buf[8];
		snprintf(buf, sizeof buf, "%u", mask);
		store_setting_set("weekend_mask", buf);
	}
	json_t *after = hours_json();
	struct workcal c;
	struct wc_day *days = NULL;
	load(&c, &days, app_now());
	int64_t probe = workcal_deadline(&c, app_now(), WC_WORK_HOURS, 1);
	free(days);
	if (probe < 0) {
		json_decref(before);
		json_decref(after);
		return reply_error(r, 422, "no_working_time", "设置后没有可用的工作时间", NULL);
	}
	audit(r, "set_hours", "calendar", 0, before, json_incref(after));
	return reply_json(r, 200, after);
}

#define MAX_IMPORT_DAYS 4096

/* Text import, one day per line (see schema/holidays-example.txt). All or
 * nothing: any bad line answers 422 with its line number. */
int calendar_import(struct req *r)
{
	if (!utf8_valid_text(r->body.data ? r->body.data : "", r->body.len))
		return reply_error(r, 400, "bad_encoding", "文件应为 UTF-8 文本", NULL);
	json_t *fields = json_array();
	char *text = strndup(r->body.data ? r->body.data : "", r->body.len);
	int lineno = 0, imported = 0;
	struct {
		struct wc_day day;
		char name[64];
	} *items = calloc(MAX_IMPORT_DAYS, sizeof *items);
	if (!text || !items) {
		free(text);
		free(items);
		json_decref(fields);
		return reply_error(r, 500, "internal", "服务器内部错误", NULL);
	}
	int n = 0;
	/* Walk lines by hand: strtok_r would skip blank lines and miscount. */
	for (char *line = text, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (!next && !*line)
			break;
		lineno++;
		struct wc_day day;
		char name[64] = "";
		int rc = workcal_parse_line(line, &day, name, sizeof name);
		if (rc < 0) {
			char f[32];
			snprintf(f, sizeof f, "line %d", lineno);
			field_error(fields, f, "invalid", "格式应为：YYYY-MM-DD holiday|workday 名称");
		} else if (rc == 0 && n >= MAX_IMPORT_DAYS) {
			field_error(fields, "body", "too_many", "一次最多导入 4096 天");
			break;
		} else if (rc == 0) {
			items[n].day = day;
			snprintf(items[n].name, sizeof items[n].name, "%s", name);
			n++;
		}
	}
	free(text);
	if (json_array_size(fields) || n == 0) {
		free(items);
		if (!json_array_size(fields))
			field_error(fields, "body", "empty", "没有可导入的日期");
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int rc = 0;
	for (int i = 0; i < n && !rc; i++, imported++)
		rc = store_calendar_set(items[i].day.ymd, items[i].day.kind == 'W' ? "W" : "H",
					items[i].name[0] ? items[i].name : NULL);
	free(items);
	if (!rc)
		rc = audit(r, "import", "calendar", 0, NULL, json_pack("{s:i}", "days", imported));
	return rc ? reply_store_error(r, rc) : reply_json(r, 200, json_pack("{s:i}", "imported", imported));
}
