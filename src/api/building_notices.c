/*
 * building_notices.c — notices a rep or the 居委 passes to a building, and
 * the simple registration roster (接龙) residents add themselves to, until
 * the residents' forms engine lands (docs/PARTY.md "buildings"). A notice
 * goes to the inbox of every enabled account whose person lives in the
 * building (people.org_id); when there is none it is recorded only
 * ("recipients": 0). Roster entries carry a name and a room only; lists
 * mask the name, the full list leaves through the audited export.
 */
#include "buildings.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/visit_due.h"
#include "store/buildings.h"
#include "xlsx_out.h"
#include <stdlib.h>
#include <string.h>

static const char *const time_keys[] = {"created_at", NULL};

int building_notices_list(struct req *r)
{
	int st = 0;
	json_t *b = building_load(r, req_id(r, 0), &st);
	if (!b)
		return st;
	int limit = (int)q_int(r, "limit");
	json_t *rows = store_building_notices(jint(b, "id", 0), q_int(r, "cursor"), limit);
	json_decref(b);
	size_t i;
	json_t *n;
	json_array_foreach(rows, i, n) {
		render_times(n, time_keys);
		mask_text_field(n, "body");
	}
	return list_reply(r, rows, limit, "id");
}

int building_notices_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"title", F_STR, F_REQ, 1, 60}, {"body", F_STR, F_REQ, 1, 2000}, {NULL, 0, 0, 0, 0}};
	int st = 0;
	int64_t bid = req_id(r, 0);
	json_t *b = building_load(r, bid, &st);
	if (!b)
		return st;
	json_decref(b);
	if ((st = body_check(r, spec)))
		return st;
	int64_t id = 0, n = 0;
	int rc = store_building_notice_create(bid, jstr(r->json, "title"), jstr(r->json, "body"), r->account_id,
					      app_now(), &id, &n);
	if (rc)
		return reply_store_error(r, rc);
	json_t *out = json_pack("{s:I, s:I, s:s, s:s, s:I, s:b}", "id", (json_int_t)id, "building_id", (json_int_t)bid,
				"title", jstr(r->json, "title"), "body", jstr(r->json, "body"), "recipients",
				(json_int_t)n, "delivered", n > 0);
	audit(r, "create", "building_notice", id, NULL, json_incref(out));
	return reply_json(r, 201, out);
}

/* Rosters ------------------------------------------------------------------ */

static json_t *roster_view(json_t *ro, const char *today)
{
	render_times(ro, time_keys);
	const char *c = jstr(ro, "closes_on");
	json_object_set_new(ro, "open", json_boolean(c && strcmp(c, today) >= 0));
	return ro;
}

int building_rosters_list(struct req *r)
{
	int st = 0;
	json_t *b = building_load(r, req_id(r, 0), &st);
	if (!b)
		return st;
	int limit = (int)q_int(r, "limit");
	char today[16];
	building_today(today, sizeof today);
	json_t *rows = store_rosters(jint(b, "id", 0), q_int(r, "cursor"), limit);
	json_decref(b);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) roster_view(x, today);
	return list_reply(r, rows, limit, "id");
}

int building_rosters_create(struct req *r)
{
	static const struct fspec spec[] = {{"title", F_STR, F_REQ, 1, 60},
					    {"description", F_STR, F_NULL, 0, 1000},
					    {"closes_on", F_STR, F_REQ, 10, 10},
					    {NULL, 0, 0, 0, 0}};
	int st = 0;
	int64_t bid = req_id(r, 0);
	json_t *b = building_load(r, bid, &st);
	if (!b)
		return st;
	json_decref(b);
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	check_date_field(r, fields, "closes_on");
	char today[16];
	building_today(today, sizeof today);
	const char *c = jstr(r->json, "closes_on");
	int64_t d;
	if (c && !ymd_to_day(c, &d) && strcmp(c, today) < 0)
		field_error(fields, "closes_on", "invalid", "截止日期不能早于今天");
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	int64_t id = 0;
	int rc = store_roster_create(bid, r->json, r->account_id, app_now(), &id);
	if (rc)
		return reply_store_error(r, rc);
	json_t *out = roster_view(store_roster_get(id), today);
	audit(r, "create", "building_roster", id, NULL, json_incref(out));
	return reply_json(r, 201, out);
}

/* The roster if its building is in the route's scope; else 404. */
static json_t *roster_load(struct req *r, int64_t id, int *st)
{
	json_t *ro = store_roster_get(id);
	if (ro && !scope_covers(r, jint(ro, "building_id", 0))) {
		json_decref(ro);
		ro = NULL;
	}
	if (!ro)
		*st = reply_error(r, 404, "not_found", "接龙不存在", NULL);
	return ro;
}

int roster_entries_list(struct req *r)
{
	int st = 0;
	json_t *ro = roster_load(r, req_id(r, 0), &st);
	if (!ro)
		return st;
	json_decref(ro);
	int limit = (int)q_int(r, "limit");
	json_t *rows = store_roster_entries(req_id(r, 0), q_int(r, "cursor"), limit);
	size_t i;
	json_t *e;
	json_array_foreach(rows, i, e) {
		json_object_set_new(e, "name", masked_name(jstr(e, "name")));
		render_times(e, time_keys);
		mask_text_field(e, "note");
	}
	return list_reply(r, rows, limit, "id");
}

/* Anyone signed in may add an entry to a roster of the building they live
 * in; staff and reps over the building too. Others get 404, as for a
 * roster that does not exist. */
int roster_entries_create(struct req *r)
{
	static const struct fspec spec[] = {{"name", F_STR, F_REQ, 1, 40},
					    {"room", F_STR, F_REQ, 1, 20},
					    {"note", F_STR, F_NULL, 0, 200},
					    {NULL, 0, 0, 0, 0}};
	int64_t id = req_id(r, 0);
	json_t *ro = store_roster_get(id);
	int64_t bid = ro ? jint(ro, "building_id", 0) : 0;
	if (ro && store_account_building(r->account_id) != bid &&
	    !has_role_over(r, R_ADMIN | R_OFFICE | R_COMMITTEE | R_REP, bid)) {
		json_decref(ro);
		ro = NULL;
	}
	if (!ro)
		return reply_error(r, 404, "not_found", "接龙不存在", NULL);
	char today[16];
	building_today(today, sizeof today);
	int open = strcmp(jstr(ro, "closes_on"), today) >= 0;
	json_decref(ro);
	int st = body_check(r, spec);
	if (st)
		return st;
	if (!open)
		return reply_error(r, 409, "roster_closed", "接龙已截止", NULL);
	int64_t eid = 0;
	int rc = store_roster_entry_add(id, r->json, r->account_id, app_now(), &eid);
	if (rc)
		return reply_store_error(r, rc);
	json_t *out = json_pack("{s:I, s:I, s:o, s:s}", "id", (json_int_t)eid, "roster_id", (json_int_t)id, "name",
				masked_name(jstr(r->json, "name")), "room", jstr(r->json, "room"));
	audit(r, "create", "roster_entry", eid, NULL, json_pack("{s:I}", "roster_id", (json_int_t)id));
	return reply_json(r, 201, out);
}

/* The resident's view: the open rosters of the building they live in. */
int my_rosters(struct req *r)
{
	int64_t bid = store_account_building(r->account_id);
	char today[16];
	building_today(today, sizeof today);
	json_t *items = json_array();
	json_t *b = bid ? store_building_get(bid) : NULL;
	if (b) {
		json_t *rows = store_rosters(bid, 0, 20);
		size_t i;
		json_t *x;
		json_array_foreach(rows, i, x) if (roster_view(x, today) && json_is_true(json_object_get(x, "open")))
			json_array_append(items, x);
		json_decref(rows);
	}
	json_t *out = json_pack("{s:o, s:o}", "building",
				b ? json_pack("{s:I, s:s}", "id", (json_int_t)bid, "name", jstr(b, "name")) : json_null(),
				"items", items);
	json_decref(b);
	return reply_json(r, 200, out);
}

static const char *const export_heads[] = {"序号", "姓名", "房号", "备注", "登记时间"};

static char *roster_xlsx(json_t *rows, size_t *len)
{
	char path[XLSX_PATH_MAX];
	lxw_workbook *wb = xlsx_open(path, "roster", 0);
	if (!wb)
		return NULL;
	lxw_worksheet *ws = workbook_add_worksheet(wb, "接龙");
	lxw_format *tf = workbook_add_format(wb);
	format_set_num_format(tf, XLSX_TIME_FMT);
	for (int c = 0; c < 5; c++)
		xlsx_text(ws, 0, (lxw_col_t)c, export_heads[c], NULL);
	size_t i;
	json_t *e;
	json_array_foreach(rows, i, e) {
		worksheet_write_number(ws, (lxw_row_t)(i + 1), 0, (double)(i + 1), NULL);
		xlsx_text(ws, (lxw_row_t)(i + 1), 1, jstr(e, "name"), NULL);
		xlsx_text(ws, (lxw_row_t)(i + 1), 2, jstr(e, "room"), NULL);
		xlsx_text(ws, (lxw_row_t)(i + 1), 3, jstr(e, "note"), NULL);
		xlsx_time(ws, (lxw_row_t)(i + 1), 4, jint(e, "created_at", 0), tf);
	}
	return xlsx_finish(wb, path, len);
}

static char *roster_csv(json_t *rows, size_t *len)
{
	buf_t b;
	buf_init(&b, 8u << 20);
	for (int c = 0; c < 5; c++)
		csv_cell(&b, export_heads[c], c == 4);
	size_t i;
	json_t *e;
	json_array_foreach(rows, i, e) {
		char n[24];
		snprintf(n, sizeof n, "%zu", i + 1);
		csv_cell(&b, n, 0);
		csv_cell(&b, jstr(e, "name"), 0);
		csv_cell(&b, jstr(e, "room"), 0);
		csv_cell(&b, jstr(e, "note"), 0);
		json_t *t = json_object_get(e, "created_at");
		json_t *c = json_pack("{s:O}", "t", t);
		render_times(c, (const char *const[]){"t", NULL});
		csv_cell(&b, jstr(c, "t"), 1);
		json_decref(c);
	}
	if (buf_failed(&b) || b.overflow) {
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return b.data ? b.data : strdup("");
}

/* The full entries (names unmasked): audited. At most 5000 entries. */
int roster_export(struct req *r)
{
	int st = 0;
	json_t *ro = roster_load(r, req_id(r, 0), &st);
	if (!ro)
		return st;
	json_decref(ro);
	json_t *rows = store_roster_entries(req_id(r, 0), 0, 5000);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	int xlsx = q_has(r, "format") && !strcmp(q_text(r, "format"), "xlsx");
	size_t len = 0;
	char *data = xlsx ? roster_xlsx(rows, &len) : roster_csv(rows, &len);
	json_decref(rows);
	if (!data)
		return reply_error(r, 500, "export_failed", "无法生成导出文件", NULL);
	audit(r, "export", "building_roster", req_id(r, 0), NULL, json_pack("{s:s}", "format", xlsx ? "xlsx" : "csv"));
	reply_header(r, "Content-Disposition", xlsx ? "attachment; filename=\"roster.xlsx\""
						    : "attachment; filename=\"roster.csv\"");
	reply_raw(r, 200, xlsx ? XLSX_MIME : "text/csv; charset=utf-8", data, len, 0);
	free(data);
	return 200;
}
