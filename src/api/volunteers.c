/*
 * volunteers.c — volunteer registration and approval, teams (服务队) with
 * leaders, and the volunteer rules as configuration (SPEC §5).
 *
 * A volunteer is a person (people.c: real-name fields validated and sealed)
 * plus a registration row: type (resident, white_collar 白领, student,
 * party_member), service areas, status (pending → approved / rejected,
 * approved → suspended). Self-registration links the person to the signed-in
 * account; approval also grants the account the role "volunteer" on the
 * volunteer's community, so a resident who registers on a phone can sign up
 * for shifts once approved. Staff registrations are approved at once.
 */
#include "api.h"
#include "core/crypto.h"
#include "core/signup.h"
#include "core/star.h"
#include "core/privacy.h"
#include "core/timefmt.h"
#include "core/validate.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const volunteer_types = "resident white_collar student party_member";

/* Settings ------------------------------------------------------------------ */

static const struct {
	const char *key;
	size_t off;
	int min, max;
} cfg_keys[] = {
	{"min_age", offsetof(struct signup_cfg, min_age), 0, 120},
	{"max_age", offsetof(struct signup_cfg, max_age), 0, 120},
	{"open_weekday", offsetof(struct signup_cfg, open_weekday), 1, 7},
	{"open_minute", offsetof(struct signup_cfg, open_minute), 0, 1439},
	{"cutoff_minutes", offsetof(struct signup_cfg, cutoff_minutes), 0, 10080},
	{"weekly_quota", offsetof(struct signup_cfg, weekly_quota), 0, 100},
	{"noshow_limit", offsetof(struct signup_cfg, noshow_limit), 1, 100},
	{"block_days", offsetof(struct signup_cfg, block_days), 0, 3650},
	{"checkin_before_minutes", offsetof(struct signup_cfg, checkin_before_minutes), 0, 1440},
	{"checkin_after_minutes", offsetof(struct signup_cfg, checkin_after_minutes), 0, 1440},
	{"checkout_grace_minutes", offsetof(struct signup_cfg, checkout_grace_minutes), 0, 1440},
};
#define NCFG (sizeof cfg_keys / sizeof *cfg_keys)

void volunteer_cfg(struct signup_cfg *c)
{
	signup_cfg_default(c);
	char *s = store_setting_get("volunteer_rules");
	json_t *o = s ? json_loads(s, 0, NULL) : NULL;
	free(s);
	for (size_t i = 0; i < NCFG; i++) {
		json_t *v = json_object_get(o, cfg_keys[i].key);
		if (json_is_integer(v))
			*(int *)((char *)c + cfg_keys[i].off) = (int)json_integer_value(v);
	}
	json_decref(o);
}

static json_t *cfg_json(const struct signup_cfg *c)
{
	json_t *o = json_object();
	for (size_t i = 0; i < NCFG; i++)
		json_object_set_new(o, cfg_keys[i].key, json_integer(*(const int *)((const char *)c + cfg_keys[i].off)));
	return o;
}

int volunteer_settings_get(struct req *r)
{
	struct signup_cfg c;
	volunteer_cfg(&c);
	return reply_json(r, 200, cfg_json(&c));
}

int volunteer_settings_put(struct req *r)
{
	struct fspec spec[NCFG + 1];
	for (size_t i = 0; i < NCFG; i++)
		spec[i] = (struct fspec){cfg_keys[i].key, F_INT, 0, cfg_keys[i].min, cfg_keys[i].max};
	spec[NCFG] = (struct fspec){NULL, 0, 0, 0, 0};
	int st = body_check(r, spec);
	if (st)
		return st;
	struct signup_cfg before, c;
	volunteer_cfg(&before);
	c = before;
	for (size_t i = 0; i < NCFG; i++)
		if (jhas(r->json, cfg_keys[i].key))
			*(int *)((char *)&c + cfg_keys[i].off) = (int)jint(r->json, cfg_keys[i].key, 0);
	if (c.min_age > c.max_age)
		return reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "min_age", "code", "invalid", "message",
						 "最低年龄不能大于最高年龄"));
	json_t *o = cfg_json(&c);
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	int rc = store_setting_set("volunteer_rules", s);
	free(s);
	if (rc) {
		json_decref(o);
		return reply_store_error(r, rc);
	}
	audit(r, "update", "volunteer_rules", 0, cfg_json(&before), json_incref(o));
	return reply_json(r, 200, o);
}

/* Views --------------------------------------------------------------------- */

json_t *volunteer_view(json_t *v)
{
	if (!v)
		return NULL;
	/* The birth date is part of the ID number: lists show the age only. */
	const char *b = jstr(v, "birth_date");
	int age = age_on(b, app_now());
	json_object_set_new(v, "age", age >= 0 ? json_integer(age) : json_null());
	json_object_del(v, "birth_date");
	json_t *idm = json_object_get(v, "id_masked");
	json_object_set(v, "id_number_masked", idm ? idm : json_null());
	json_object_del(v, "id_masked");
	double hours = json_number_value(json_object_get(v, "hours"));	/* counted in the store's query */
	json_object_set_new(v, "hours", json_real(hours));
	json_object_set_new(v, "stars", json_integer(stars_for_hours(hours)));
	static const char *const times[] = {"decided_at", "blocked_until", "created_at", NULL};
	if (jint(v, "blocked_until", 0) == 0)
		json_object_set_new(v, "blocked_until", json_null());
	render_times(v, times);
	return v;
}

int64_t my_volunteer(struct req *r)
{
	int64_t id = r->account_id ? store_volunteer_by_account(r->account_id) : 0;
	return id > 0 ? id : 0;
}

static int load_volunteer(struct req *r, int64_t id, json_t **out)
{
	json_t *v = store_volunteer_get(id);
	/* Out of scope reads as missing (404): a 403 would disclose it. */
	if (v && !scope_covers(r, jint(v, "org_id", 0))) {
		json_decref(v);
		v = NULL;
	}
	if (!v)
		return reply_error(r, 404, "not_found", "志愿者不存在", NULL);
	*out = v;
	return 0;
}

/* Registration --------------------------------------------------------------- */

static const struct fspec reg_fields[] = {
	{"name", F_STR, F_REQ, 1, 50},
	{"id_number", F_STR, F_REQ, 0, 0},
	{"phone", F_STR, F_REQ, 0, 0},
	{"org_id", F_INT, F_REQ, 1, INT64_MAX},
	{"vtype", F_STR, F_REQ, 1, 20},
	{"address", F_STR, F_NULL, 0, 200},
	{"skills", F_STRARR, 0, 0, 20},
	{"areas", F_STRARR, 0, 0, 20},
	{"service_category", F_STR, F_NULL, 0, 50},
	{"person_id", F_INT, 0, 1, INT64_MAX},
	{NULL, 0, 0, 0, 0},
};

/* The community (or below) a volunteer belongs to must exist and not be a
 * unit, team or party organisation. */
static void check_home_org(int64_t org, json_t *fields)
{
	json_t *o = store_org_get(org);
	const char *k = jstr(o, "kind");
	if (!o)
		field_error(fields, "org_id", "not_found", "组织不存在");
	else if (!word_in_list("street community compound building", k))
		field_error(fields, "org_id", "invalid", "请选择所在街道、社区或小区");
	json_decref(o);
}

int volunteer_new(int64_t pid, int64_t org, const char *vtype, const json_t *areas, int self, int64_t decided_by,
		  int64_t *vid)
{
	int64_t now = app_now();
	char tok[48];
	token_new(tok, sizeof tok, 24);
	json_t *in = json_pack("{s:I, s:I, s:s, s:o, s:s, s:b, s:I, s:s}", "person_id", (json_int_t)pid, "org_id",
			       (json_int_t)org, "vtype", vtype, "areas", areas ? json_incref((json_t *)areas) : json_array(), "status",
			       self ? "pending" : "approved", "self_registered", self, "created_at", (json_int_t)now,
			       "calendar_token", tok);
	/* Approved by staff: the decision goes in with the row (one write, not an
	 * INSERT then an UPDATE of every column: half the cost of a bulk import). */
	if (decided_by)
		json_object_set_new(in, "decided_by", json_integer(decided_by));
	if (!self)	/* approved now: by decided_by, or by `wenming import` (no account) */
		json_object_set_new(in, "decided_at", json_integer(now));
	int rc = store_volunteer_create(in, vid);
	json_decref(in);
	return rc;
}

/* Creates or updates the person from the body and the volunteer row; the
 * answer for errors, else 0 and *vid. self = linked to the signed-in account.
 * Consumes `fields` (the field errors collected so far). */
static int register_volunteer(struct req *r, json_t *fields, int self, int64_t *vid)
{
	int64_t pid = jint(r->json, "person_id", 0);
	if (self) {
		json_t *acc = store_account_get(r->account_id);
		pid = jint(acc, "person_id", 0);
		json_decref(acc);
	}
	const char *vt = jstr(r->json, "vtype");
	if (vt && !word_in_list(volunteer_types, vt))
		field_error(fields, "vtype", "invalid", "类型应为 resident、white_collar、student 或 party_member");
	int64_t org = jint(r->json, "org_id", 0);
	if (org > 0)
		check_home_org(org, fields);
	json_t *row = json_object();
	int id_clash = 0;	/* self-registration: flagged, not told (people.c) */
	people_seal_fields_ex(r->json, row, fields, pid, self ? &id_clash : NULL);
	json_object_del(row, "kinds");
	if (json_array_size(fields)) {
		json_decref(row);
		int dup = json_array_size(fields) == 1 && !strcmp(jstr(json_array_get(fields, 0), "code"), "duplicate");
		return dup ? reply_error(r, 409, "duplicate", "该身份证号已登记", fields) : reply_fields(r, fields);
	}
	json_decref(fields);
	if (!self && !scope_covers(r, org)) {
		json_decref(row);
		return reply_error(r, 403, "forbidden_scope", "只能在自己负责的组织范围内登记志愿者", NULL);
	}
	int rc;
	if (pid) {
		json_t *p = store_person_get(pid);
		if (p && !self && !scope_covers(r, jint(p, "org_id", 0))) {
			json_decref(p);	/* out of scope reads as missing (404) */
			p = NULL;
		}
		if (!p) {
			json_decref(row);
			return reply_error(r, 404, "not_found", "人员不存在", NULL);
		}
		/* Add "volunteer" to the person's kinds. */
		json_t *kinds = json_deep_copy(json_object_get(p, "kinds"));
		int has = 0;
		size_t i;
		json_t *k;
		json_array_foreach(kinds, i, k) has |= !strcmp(json_string_value(k), "volunteer");
		if (!has)
			json_array_append_new(kinds, json_string("volunteer"));
		json_object_set_new(row, "kinds", kinds);
		json_decref(p);
		rc = store_volunteer_by_person(pid) > 0 ? STORE_ECONFLICT : store_person_update(pid, row);
		if (rc == STORE_ECONFLICT) {
			json_decref(row);
			return reply_error(r, 409, "already_registered", "该人员已注册为志愿者", NULL);
		}
	} else {
		json_object_set_new(row, "kinds", json_pack("[s,s]", "resident", "volunteer"));
		rc = store_person_create(row, &pid);
	}
	json_decref(row);
	if (rc == STORE_ECONFLICT)
		return reply_error(r, 409, "duplicate", "该身份证号已登记", NULL);
	if (rc)
		return reply_store_error(r, rc);
	if (self) {
		json_t *patch = json_pack("{s:I}", "person_id", (json_int_t)pid);
		rc = store_account_update(r->account_id, patch);
		json_decref(patch);
		if (rc)
			return reply_store_error(r, rc);
	}
	rc = volunteer_new(pid, org, vt, json_object_get(r->json, "areas"), self, self ? 0 : r->account_id, vid);
	if (rc == STORE_ECONFLICT)
		return reply_error(r, 409, "already_registered", "该人员已注册为志愿者", NULL);
	if (rc)
		return reply_store_error(r, rc);
	return 0;
}

/* Self-registration never tells whether an ID number is on file (a clash is
 * accepted and shown to the 居委 as possible_duplicate), and each account
 * gets REG_ATTEMPTS tries per hour (review 2026-12-07 #6). */
#define REG_ATTEMPTS 10
int volunteers_register(struct req *r)
{
	json_t *fields = body_fields(r, reg_fields);
	if (!fields)
		return r->status;
	/* Only tries with a well-formed ID number count: they are the ones that
	 * could probe the register. */
	const char *idn = jstr(r->json, "id_number");
	int64_t wait = idn && id_validate(idn, NULL, today_ymd_cn()) == ID_OK
			       ? attempt_wait("volunteer_register", r->account_id, REG_ATTEMPTS, 3600, app_now())
			       : 0;
	if (wait > 0) {
		json_decref(fields);
		char ra[24];
		snprintf(ra, sizeof ra, "%lld", (long long)wait);
		reply_header(r, "Retry-After", ra);
		return reply_error(r, 429, "too_many_attempts", "注册尝试过于频繁，请稍后再试", NULL);
	}
	if (jhas(r->json, "person_id"))
		field_error(fields, "person_id", "unknown_field", "自助注册不能指定人员");
	if (my_volunteer(r)) {
		json_decref(fields);
		return reply_error(r, 409, "already_registered", "您已注册为志愿者", NULL);
	}
	int64_t vid = 0;
	int st = register_volunteer(r, fields, 1, &vid);
	if (st)
		return st;
	json_t *v = volunteer_view(store_volunteer_get(vid));
	audit(r, "register", "volunteer", vid, NULL, json_incref(v));
	json_object_del(v, "possible_duplicate");	/* for the 居委, not the registrant */
	return reply_json(r, 201, v);
}

int volunteers_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"name", F_STR, F_REQ, 1, 50},
		{"id_number", F_STR, F_REQ, 0, 0},
		{"phone", F_STR, F_REQ, 0, 0},
		{"org_id", F_INT, F_REQ, 1, INT64_MAX},
		{"vtype", F_STR, F_REQ, 1, 20},
		{"address", F_STR, F_NULL, 0, 200},
		{"skills", F_STRARR, 0, 0, 20},
		{"areas", F_STRARR, 0, 0, 20},
		{"service_category", F_STR, F_NULL, 0, 50},
		{"person_id", F_INT, 0, 1, INT64_MAX},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	int64_t vid = 0;
	int st = register_volunteer(r, fields, 0, &vid);
	if (st)
		return st;
	json_t *v = volunteer_view(store_volunteer_get(vid));
	audit(r, "create", "volunteer", vid, NULL, json_incref(v));
	return reply_json(r, 201, v);
}

int volunteers_me(struct req *r)
{
	int64_t vid = my_volunteer(r);
	if (!vid)
		return reply_json(r, 200, json_pack("{s:n}", "volunteer"));
	json_t *v = volunteer_view(store_volunteer_get(vid));
	json_object_del(v, "possible_duplicate");	/* for the 居委, not the volunteer */
	char *tok = store_volunteer_token(vid);
	char path[128];
	snprintf(path, sizeof path, "/api/v1/calendar-feed/%s.ics", tok ? tok : "");
	free(tok);
	json_object_set_new(v, "calendar_path", json_string(path));
	return reply_json(r, 200, json_pack("{s:o}", "volunteer", v));
}

int volunteers_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	const char *vtype = q_text(r, "vtype");	/* volunteer_types, shared with the body checks */
	if (vtype && !word_in_list(volunteer_types, vtype))
		return reply_field(r, "vtype", "invalid", "未知的志愿者类型");
	json_t *f = json_object();
	static const char *const text[] = {"status", "vtype", "q"};	/* status:enum(…) */
	for (int i = 0; i < 3; i++)
		if (q_has(r, text[i]))
			json_object_set_new(f, text[i], json_string(q_text(r, text[i])));
	static const char *const ids[] = {"team_id", "org_id"};
	for (int i = 0; i < 2; i++)
		if (q_has(r, ids[i]))
			json_object_set_new(f, ids[i], json_integer(q_int(r, ids[i])));
	json_t *rows = store_volunteer_list(scope_filter(r, f), q_int(r, "cursor"), limit);
	json_decref(f);
	size_t i;
	json_t *v;
	json_array_foreach(rows, i, v) volunteer_view(v);
	return list_reply(r, rows, limit, "id");
}

int volunteers_get(struct req *r)
{
	json_t *v = NULL;
	int st = load_volunteer(r, req_id(r, 0), &v);
	return st ? st : reply_json(r, 200, volunteer_view(v));
}

int volunteers_update(struct req *r)
{
	static const struct fspec spec[] = {
		{"vtype", F_STR, 0, 1, 20},
		{"areas", F_STRARR, 0, 0, 20},
		{"note", F_STR, F_NULL, 0, 500},
		{NULL, 0, 0, 0, 0},
	};
	json_t *v = NULL;
	int64_t id = req_id(r, 0);
	int st = load_volunteer(r, id, &v);
	if (st)
		return st;
	json_t *fields = body_fields(r, spec);
	if (!fields) {
		json_decref(v);
		return r->status;
	}
	if (jstr(r->json, "vtype") && !word_in_list(volunteer_types, jstr(r->json, "vtype")))
		field_error(fields, "vtype", "invalid", "类型应为 resident、white_collar、student 或 party_member");
	if (json_array_size(fields)) {
		json_decref(v);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int rc = store_volunteer_update(id, r->json);
	if (rc) {
		json_decref(v);
		return reply_store_error(r, rc);
	}
	json_t *after = volunteer_view(store_volunteer_get(id));
	audit(r, "update", "volunteer", id, volunteer_view(v), json_incref(after));
	return reply_json(r, 200, after);
}

/* approve: pending/suspended/rejected → approved (and the account gets the
 * volunteer role); reject: pending → rejected; suspend: approved → suspended. */
int volunteers_decide(struct req *r)
{
	static const struct fspec spec[] = {
		{"decision", F_STR, F_REQ, 1, 20},
		{"note", F_STR, F_NULL, 0, 500},
		{NULL, 0, 0, 0, 0},
	};
	json_t *v = NULL;
	int64_t id = req_id(r, 0);
	int st = load_volunteer(r, id, &v);
	if (st)
		return st;
	if ((st = body_check(r, spec))) {
		json_decref(v);
		return st;
	}
	const char *d = jstr(r->json, "decision"), *cur = jstr(v, "status");
	const char *to = !strcmp(d, "approve") ? "approved" : !strcmp(d, "reject") ? "rejected"
							: !strcmp(d, "suspend") ? "suspended" : NULL;
	if (!to) {
		json_decref(v);
		return reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "decision", "code", "invalid", "message",
						 "应为 approve、reject 或 suspend"));
	}
	int ok = (!strcmp(to, "approved") && strcmp(cur, "approved")) ||
		 (!strcmp(to, "rejected") && !strcmp(cur, "pending")) ||
		 (!strcmp(to, "suspended") && !strcmp(cur, "approved"));
	if (!ok) {
		json_decref(v);
		return reply_error(r, 409, "illegal_decision", "当前状态下不能进行该操作", NULL);
	}
	int64_t now = app_now();
	json_t *patch = json_pack("{s:s, s:I, s:I}", "status", to, "decided_by", (json_int_t)r->account_id, "decided_at",
				  (json_int_t)now);
	if (jhas(r->json, "note"))
		json_object_set(patch, "note", json_object_get(r->json, "note"));
	int rc = store_volunteer_update(id, patch);
	json_decref(patch);
	int64_t acc = jint(v, "account_id", 0);
	if (!rc && !strcmp(to, "approved") && acc) {
		rc = store_grant_add(acc, "volunteer", jint(v, "org_id", 0), NULL);
		if (rc == STORE_ECONFLICT)
			rc = 0;
	}
	if (rc) {
		json_decref(v);
		return reply_store_error(r, rc);
	}
	json_t *after = volunteer_view(store_volunteer_get(id));
	audit(r, d, "volunteer", id, volunteer_view(v), json_incref(after));
	return reply_json(r, 200, after);
}

/* Teams ----------------------------------------------------------------------- */

int teams_list(struct req *r)
{
	json_t *f = json_object();
	json_t *rows = store_team_list(scope_filter(r, f));
	json_decref(f);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	return reply_json(r, 200, json_pack("{s:o, s:n}", "items", rows, "next_cursor"));
}

static int load_team(struct req *r, int64_t id)
{
	json_t *o = store_org_get(id);
	int team = o && !strcmp(jstr(o, "kind"), "team");
	json_decref(o);
	if (!team || !scope_covers(r, id))	/* out of scope reads as missing */
		return reply_error(r, 404, "not_found", "服务队不存在", NULL);
	return 0;
}

/* Team member rows with joined_at as RFC 3339 (coverage 8). */
static json_t *members_view(json_t *rows)
{
	static const char *const t[] = {"joined_at", NULL};
	size_t i;
	json_t *m;
	json_array_foreach(rows, i, m) render_times(m, t);
	return rows;
}

int teams_members(struct req *r)
{
	int64_t id = req_id(r, 0);
	int st = load_team(r, id);
	if (st)
		return st;
	json_t *rows = members_view(store_team_members(id));
	return rows ? reply_json(r, 200, json_pack("{s:o}", "items", rows)) : reply_store_error(r, STORE_EIO);
}

int teams_member_put(struct req *r)
{
	static const struct fspec spec[] = {{"leader", F_BOOL, 0, 0, 0}, {NULL, 0, 0, 0, 0}};
	int64_t team = req_id(r, 0), vid = req_id(r, 1);
	int st = load_team(r, team);
	if (st || (st = body_check(r, spec)))
		return st;
	/* The volunteer must be in the caller's scope too (security #9): 404 as for
	 * a missing one, so the answer says nothing about other communities. */
	json_t *v = store_volunteer_get(vid);
	int visible = v && scope_covers(r, jint(v, "org_id", 0));
	json_decref(v);
	if (!visible)
		return reply_error(r, 404, "not_found", "志愿者不存在", NULL);
	int leader = jbool(r->json, "leader", 0);
	int rc = store_team_member_set(team, vid, leader, app_now());
	if (rc)
		return reply_store_error(r, rc);
	audit(r, "member_set", "team", team, NULL, json_pack("{s:I, s:b}", "volunteer_id", (json_int_t)vid, "leader", leader));
	json_t *rows = members_view(store_team_members(team));
	return reply_json(r, 200, json_pack("{s:o}", "items", rows ? rows : json_array()));
}

int teams_member_delete(struct req *r)
{
	int64_t team = req_id(r, 0), vid = req_id(r, 1);
	int st = load_team(r, team);
	if (st)
		return st;
	int rc = store_team_member_remove(team, vid);
	if (rc == STORE_ENOTFOUND)
		return reply_error(r, 404, "not_found", "该志愿者不在此服务队", NULL);
	if (rc)
		return reply_store_error(r, rc);
	audit(r, "member_remove", "team", team, json_pack("{s:I}", "volunteer_id", (json_int_t)vid), NULL);
	return reply_empty(r, 204);
}
