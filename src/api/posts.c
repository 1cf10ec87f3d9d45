/*
 * posts.c — duty posts (岗位: 爱心岗 at a gate, 文明交通 at a crossing, door
 * duty, garbage-sorting watch…) with a place (GPS + check-in radius), rules
 * and their own eligibility (minimum/maximum age, a required skill); their
 * weekly patterns and the shifts generated from them; claims (岗位认领) by a
 * volunteer, a team or a party branch for a term, approved by staff, at most
 * claim_limit approved claims overlapping any one day.
 *
 * Generating shifts is idempotent: shifts are unique per (post, start, end)
 * in the schema, so running it twice, or over overlapping ranges, creates
 * each shift once.
 */
#include "api.h"
#include "store/party.h"
#include "core/signup.h"
#include "core/timefmt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const post_kinds = "love_post traffic door_duty garbage_sorting patrol other";

static int load_post(struct req *r, int64_t id, json_t **out)
{
	/* Out of scope reads as missing (404) for every method, even where the
	 * street-wide read shows the post: one rule for every resource. */
	json_t *p = store_post_get(id);
	if (p && !scope_covers(r, jint(p, "org_id", 0))) {
		json_decref(p);
		p = NULL;
	}
	if (!p)
		return reply_error(r, 404, "not_found", "岗位不存在", NULL);
	*out = p;
	return 0;
}

static json_t *post_view(json_t *p)
{
	static const char *const t[] = {"created_at", NULL};
	json_object_del(p, "org_path");
	render_times(p, t);
	render_location(p);
	return p;
}

static void check_post_body(struct req *r, json_t *fields)
{
	const char *k = jstr(r->json, "kind");
	if (k && !word_in_list(post_kinds, k))
		field_error(fields, "kind", "invalid", "岗位类型应为 love_post、traffic、door_duty、garbage_sorting、patrol 或 other");
	json_t *loc = json_object_get(r->json, "location");
	if (loc && !json_is_null(loc)) {
		json_t *lat = json_object_get(loc, "lat"), *lng = json_object_get(loc, "lng");
		if (!json_is_number(lat) || !json_is_number(lng) || json_number_value(lat) < -90 ||
		    json_number_value(lat) > 90 || json_number_value(lng) < -180 || json_number_value(lng) > 180 ||
		    json_object_size(loc) != 2)
			field_error(fields, "location", "invalid", "位置应为 {\"lat\":纬度,\"lng\":经度}");
	}
	int64_t mn = jint(r->json, "min_age", 0), mx = jint(r->json, "max_age", 0);
	if (mn && mx && mn > mx)
		field_error(fields, "min_age", "invalid", "最低年龄不能大于最高年龄");
}

/* Copies the writable fields of the body into a store row. */
static json_t *post_row(const json_t *in)
{
	static const char *keys[] = {"org_id", "name", "kind", "address", "radius_m", "rules", "min_age", "max_age",
				     "required_skill", "claim_limit", "active"};
	json_t *row = json_object();
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		json_t *v = json_object_get(in, keys[i]);
		if (v)
			json_object_set(row, keys[i], json_is_boolean(v) ? json_integer(json_is_true(v)) : v);
	}
	json_t *loc = json_object_get(in, "location");
	if (loc) {
		json_object_set(row, "lat", json_is_null(loc) ? json_null() : json_object_get(loc, "lat"));
		json_object_set(row, "lng", json_is_null(loc) ? json_null() : json_object_get(loc, "lng"));
	}
	return row;
}

#define POST_SPEC(REQ)                                              \
	{"org_id", F_INT, REQ, 1, INT64_MAX},                       \
	{"name", F_STR, REQ, 1, 80},                                \
	{"kind", F_STR, 0, 1, 30},                                  \
	{"address", F_STR, F_NULL, 0, 200},                         \
	{"location", F_OBJ, F_NULL, 0, 0},                          \
	{"radius_m", F_INT, 0, 10, 5000},                           \
	{"rules", F_STR, F_NULL, 0, 2000},                          \
	{"min_age", F_INT, F_NULL, 0, 120},                         \
	{"max_age", F_INT, F_NULL, 0, 120},                         \
	{"required_skill", F_STR, F_NULL, 0, 50},                   \
	{"claim_limit", F_INT, 0, 1, 100},                          \
	{"active", F_BOOL, 0, 0, 0},                                \
	{"vanguard", F_BOOL, 0, 0, 0}, /* 党员先锋岗 (party_orgs, 022) */ \
	{NULL, 0, 0, 0, 0}

int posts_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	json_t *f = json_object();
	if (q_has(r, "org_id"))
		json_object_set_new(f, "org_id", json_integer(q_int(r, "org_id")));
	if (q_has(r, "q"))
		json_object_set_new(f, "q", json_string(q_text(r, "q")));
	json_t *rows = store_post_list(scope_filter(r, f), q_int(r, "cursor"), limit);
	json_decref(f);
	size_t i;
	json_t *p;
	json_array_foreach(rows, i, p) post_view(p);
	return list_reply(r, rows, limit, "id");
}

int posts_get(struct req *r)
{
	json_t *p = NULL;
	int st = load_post(r, req_id(r, 0), &p);
	return st ? st : reply_json(r, 200, post_view(p));
}

int posts_create(struct req *r)
{
	static const struct fspec spec[] = {POST_SPEC(F_REQ)};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	check_post_body(r, fields);
	int64_t org = jint(r->json, "org_id", 0);
	json_t *o = org ? store_org_get(org) : NULL;
	if (org && !o)
		field_error(fields, "org_id", "not_found", "组织不存在");
	json_decref(o);
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	if (!scope_covers(r, org))
		return reply_error(r, 403, "forbidden_scope", "只能在自己负责的组织范围内设岗", NULL);
	json_t *row = post_row(r->json);
	int64_t id;
	int rc = store_post_create(row, app_now(), &id);
	json_decref(row);
	if (!rc && jhas(r->json, "vanguard"))	/* 党员先锋岗: a column of 022 (docs/PARTY.md) */
		rc = store_party_post_vanguard(id, jbool(r->json, "vanguard", 0));
	if (rc)
		return reply_store_error(r, rc);
	json_t *p = post_view(store_post_get(id));
	audit(r, "create", "post", id, NULL, json_incref(p));
	return reply_json(r, 201, p);
}

int posts_update(struct req *r)
{
	static const struct fspec spec[] = {POST_SPEC(0)};
	int64_t id = req_id(r, 0);
	json_t *before = NULL;
	int st = load_post(r, id, &before);
	if (st)
		return st;
	json_t *fields = body_fields(r, spec);
	if (!fields) {
		json_decref(before);
		return r->status;
	}
	check_post_body(r, fields);
	if (json_array_size(fields)) {
		json_decref(before);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	if (jhas(r->json, "org_id") && !scope_covers(r, jint(r->json, "org_id", 0))) {
		json_decref(before);
		return reply_error(r, 403, "forbidden_scope", "只能移到自己负责的组织范围内", NULL);
	}
	json_t *row = post_row(r->json);
	int rc = store_post_update(id, row);
	json_decref(row);
	if (!rc && jhas(r->json, "vanguard"))	/* 党员先锋岗: a column of 022 (docs/PARTY.md) */
		rc = store_party_post_vanguard(id, jbool(r->json, "vanguard", 0));
	if (rc) {
		json_decref(before);
		return reply_store_error(r, rc == STORE_EREFERENCED ? STORE_ENOTFOUND : rc);
	}
	json_t *after = post_view(store_post_get(id));
	audit(r, "update", "post", id, post_view(before), json_incref(after));
	return reply_json(r, 200, after);
}

/* Patterns and generation ------------------------------------------------------ */

int posts_pattern_add(struct req *r)
{
	static const struct fspec spec[] = {
		{"weekdays", F_ARR, F_REQ, 1, 7},
		{"start", F_STR, F_REQ, 5, 5},
		{"end", F_STR, F_REQ, 5, 5},
		{"capacity", F_INT, F_REQ, 1, 1000},
		{NULL, 0, 0, 0, 0},
	};
	int64_t id = req_id(r, 0);
	json_t *p = NULL;
	int st = load_post(r, id, &p);
	if (st)
		return st;
	json_decref(p);
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	unsigned mask = 0;
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(r->json, "weekdays"), i, d) {
		if (!json_is_integer(d) || json_integer_value(d) < 1 || json_integer_value(d) > 7) {
			field_error(fields, "weekdays", "invalid", "星期应为 1（周一）到 7（周日）");
			break;
		}
		mask |= 1u << (json_integer_value(d) - 1);
	}
	int s = hhmm_parse(jstr(r->json, "start")), e = hhmm_parse(jstr(r->json, "end"));
	if (jstr(r->json, "start") && (s < 0 || s >= 1440))
		field_error(fields, "start", "invalid", "时间应为 HH:MM");
	if (jstr(r->json, "end") && e < 0)
		field_error(fields, "end", "invalid", "时间应为 HH:MM");
	if (s >= 0 && e >= 0 && e <= s)
		field_error(fields, "end", "invalid", "结束时间应晚于开始时间");
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	int64_t pid;
	int rc = store_pattern_add(id, (int)mask, s, e, (int)jint(r->json, "capacity", 1), &pid);
	if (rc)
		return reply_store_error(r, rc);
	json_t *after = post_view(store_post_get(id));
	audit(r, "pattern_add", "post", id, NULL, json_pack("{s:I, s:O}", "pattern_id", (json_int_t)pid, "pattern", r->json));
	return reply_json(r, 201, after);
}

int posts_pattern_delete(struct req *r)
{
	int64_t id = req_id(r, 0), pid = req_id(r, 1);
	json_t *p = NULL;
	int st = load_post(r, id, &p);
	if (st)
		return st;
	json_decref(p);
	int rc = store_pattern_disable(id, pid);
	if (rc == STORE_ENOTFOUND)
		return reply_error(r, 404, "not_found", "排班模式不存在", NULL);
	if (rc)
		return reply_store_error(r, rc);
	audit(r, "pattern_delete", "post", id, json_pack("{s:I}", "pattern_id", (json_int_t)pid), NULL);
	return reply_empty(r, 204);
}

#define GEN_MAX 2000

int post_generate(const json_t *post, int64_t from_day, int days, int64_t now, int *created, int *existing)
{
	static _Thread_local struct gen_shift buf[GEN_MAX];
	int rc = 0;
	*created = *existing = 0;
	size_t i;
	json_t *pat;
	json_array_foreach(json_object_get(post, "patterns"), i, pat) {
		int n = pattern_expand((unsigned)jint(pat, "weekdays", 0), (int)jint(pat, "start_min", 0),
				       (int)jint(pat, "end_min", 0), from_day, from_day + days, buf, GEN_MAX);
		for (int k = 0; k < n && k < GEN_MAX && !rc; k++) {
			int c = 0;
			rc = store_shift_ensure(jint(post, "id", 0), 0, jint(pat, "id", 0), buf[k].start, buf[k].end,
						(int)jint(pat, "capacity", 1), now, &c);
			*created += c;
			*existing += !c;
		}
	}
	return rc;
}

/* Generates the post's shifts over [from, from + days) from its active
 * patterns; already existing shifts are left alone. */
int posts_generate(struct req *r)
{
	static const struct fspec spec[] = {
		{"from", F_STR, F_REQ, 10, 10},
		{"days", F_INT, 0, 1, 92},
		{NULL, 0, 0, 0, 0},
	};
	int64_t id = req_id(r, 0);
	json_t *p = NULL;
	int st = load_post(r, id, &p);
	if (st)
		return st;
	json_t *fields = body_fields(r, spec);
	if (!fields) {
		json_decref(p);
		return r->status;
	}
	int64_t t = 0;
	if (jstr(r->json, "from") && time_parse(jstr(r->json, "from"), 1, &t))
		field_error(fields, "from", "invalid", "应为日期 YYYY-MM-DD");
	if (json_array_size(fields)) {
		json_decref(p);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int64_t days = jint(r->json, "days", 7);
	int created = 0, existing = 0;
	int rc = post_generate(p, cn_day(t), (int)days, app_now(), &created, &existing);
	json_decref(p);
	if (rc)
		return reply_store_error(r, rc);
	json_t *out = json_pack("{s:i, s:i}", "created", created, "existing", existing);
	audit(r, "generate", "post", id, NULL, json_pack("{s:O, s:I, s:i}", "from", json_object_get(r->json, "from"),
							 "days", (json_int_t)days, "created", created));
	return reply_json(r, 200, out);
}

/* Claims ------------------------------------------------------------------------ */

static json_t *claim_view(json_t *c)
{
	static const char *const t[] = {"decided_at", "created_at", NULL};
	render_times(c, t);
	return c;
}

int posts_claims(struct req *r)
{
	int64_t id = req_id(r, 0);
	json_t *p = store_post_get(id);
	if (!p)
		return reply_error(r, 404, "not_found", "岗位不存在", NULL);
	json_decref(p);
	json_t *rows = store_claim_list(id);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	size_t i;
	json_t *c;
	json_array_foreach(rows, i, c) claim_view(c);
	return reply_json(r, 200, json_pack("{s:o, s:n}", "items", rows, "next_cursor"));
}

/* A volunteer claims for themself or for a team they lead; staff of the
 * post's org for anyone (volunteer, team, party branch). */
int posts_claim_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"claimant_kind", F_STR, F_REQ, 1, 20},
		{"volunteer_id", F_INT, 0, 1, INT64_MAX},
		{"org_id", F_INT, 0, 1, INT64_MAX},
		{"start_date", F_STR, F_REQ, 10, 10},
		{"end_date", F_STR, F_REQ, 10, 10},
		{"note", F_STR, F_NULL, 0, 500},
		{NULL, 0, 0, 0, 0},
	};
	int64_t id = req_id(r, 0);
	json_t *p = store_post_get(id);
	if (!p)
		return reply_error(r, 404, "not_found", "岗位不存在", NULL);
	int staff = grants_cover(r, R_OFFICE | R_COMMITTEE, jstr(p, "org_path"));
	json_decref(p);
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	const char *kind = jstr(r->json, "claimant_kind");
	const char *sd = jstr(r->json, "start_date"), *ed = jstr(r->json, "end_date");
	if (kind && !word_in_list("volunteer team party_org", kind))
		field_error(fields, "claimant_kind", "invalid", "认领方应为 volunteer、team 或 party_org");
	if (sd && !date_valid(sd))
		field_error(fields, "start_date", "invalid", "应为日期 YYYY-MM-DD");
	if (ed && !date_valid(ed))
		field_error(fields, "end_date", "invalid", "应为日期 YYYY-MM-DD");
	if (date_valid(sd) && date_valid(ed) && strcmp(ed, sd) < 0)
		field_error(fields, "end_date", "invalid", "结束日期不能早于开始日期");
	int64_t vid = jint(r->json, "volunteer_id", 0), org = jint(r->json, "org_id", 0);
	if (kind && !strcmp(kind, "volunteer")) {
		if (!vid)
			vid = my_volunteer(r);
		if (!vid)
			field_error(fields, "volunteer_id", "required", "请指定认领的志愿者");
		if (org)
			field_error(fields, "org_id", "invalid", "志愿者认领不需要组织");
	} else if (kind && word_in_list("team party_org", kind)) {
		json_t *o = org ? store_org_get(org) : NULL;
		const char *want = !strcmp(kind, "team") ? "team" : "party_org";
		if (!o || strcmp(jstr(o, "kind"), want))
			field_error(fields, "org_id", !o ? "required" : "invalid", "请指定认领的服务队或党组织");
		json_decref(o);
		if (vid)
			field_error(fields, "volunteer_id", "invalid", "组织认领不需要志愿者");
	}
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	if (!staff) {
		/* Not staff here: only for oneself, or a team one leads. */
		int64_t me = my_volunteer(r);
		int ok = !strcmp(kind, "volunteer") ? (me && vid == me)
			 : !strcmp(kind, "team") ? (me && store_team_is_leader(me, org) == 1) : 0;
		if (!ok)
			return reply_error(r, 403, "forbidden", "只能为自己或自己带领的服务队认领岗位", NULL);
	}
	json_t *vrow = vid ? store_volunteer_get(vid) : NULL;
	json_decref(vrow);
	if (vid && !vrow)
		return reply_error(r, 404, "not_found", "志愿者不存在", NULL);
	json_t *in = json_pack("{s:I, s:s, s:s, s:s, s:I}", "post_id", (json_int_t)id, "claimant_kind", kind, "start_date",
			       sd, "end_date", ed, "created_by", (json_int_t)r->account_id);
	if (vid)
		json_object_set_new(in, "volunteer_id", json_integer(vid));
	if (org)
		json_object_set_new(in, "claimant_org_id", json_integer(org));
	if (jhas(r->json, "note"))
		json_object_set(in, "note", json_object_get(r->json, "note"));
	int64_t cid;
	int rc = store_claim_create(in, app_now(), &cid);
	json_decref(in);
	if (rc)
		return reply_store_error(r, rc);
	json_t *c = claim_view(store_claim_get(cid));
	audit(r, "create", "post_claim", cid, NULL, json_incref(c));
	return reply_json(r, 201, c);
}

int claims_decide(struct req *r)
{
	static const struct fspec spec[] = {{"decision", F_STR, F_REQ, 1, 20}, {NULL, 0, 0, 0, 0}};
	int64_t id = req_id(r, 0);
	json_t *c = store_claim_get(id);
	if (!c)
		return reply_error(r, 404, "not_found", "认领不存在", NULL);
	json_t *p = store_post_get(jint(c, "post_id", 0));
	int in_scope = p && scope_covers(r, jint(p, "org_id", 0));
	int limit = (int)jint(p, "claim_limit", 1);
	json_decref(p);
	int st = !in_scope ? reply_error(r, 404, "not_found", "认领不存在", NULL) : body_check(r, spec);
	if (st) {
		json_decref(c);
		return st;
	}
	const char *d = jstr(r->json, "decision");
	const char *to = !strcmp(d, "approve") ? "approved" : !strcmp(d, "reject") ? "rejected" : NULL;
	if (!to) {
		json_decref(c);
		return reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "decision", "code", "invalid", "message",
						 "应为 approve 或 reject"));
	}
	if (strcmp(jstr(c, "status"), "pending")) {
		json_decref(c);
		return reply_error(r, 409, "illegal_decision", "该认领已处理", NULL);
	}
	if (!strcmp(to, "approved")) {
		int n = store_claim_overlapping(jint(c, "post_id", 0), jstr(c, "start_date"), jstr(c, "end_date"), id);
		if (n >= limit) {
			json_decref(c);
			return reply_error(r, 409, "claim_limit", "该岗位在此期间的认领已达上限", NULL);
		}
	}
	int rc = store_claim_decide(id, to, r->account_id, app_now());
	if (rc) {
		json_decref(c);
		return reply_store_error(r, rc);
	}
	json_t *after = claim_view(store_claim_get(id));
	audit(r, d, "post_claim", id, claim_view(c), json_incref(after));
	return reply_json(r, 200, after);
}
