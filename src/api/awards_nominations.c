/*
 * awards_nominations.c — evidence drawn from the records and nominations
 * (awards.h). A nomination stores the evidence as drawn on its day (the
 * figures move afterwards; the panel reviews what the nominator saw) and the
 * keys the nominator chose to cite. Nominee scope: a person's org (or, for a
 * unit contact, a party member employed by the unit), or the team/unit
 * itself, must lie within the caller's grants; otherwise it reads as missing.
 */
#include "awards.h"
#include "core/star.h"
#include "core/timefmt.h"
#include "api/targets.h"
#include <stdio.h>
#include <string.h>

static void item(json_t *items, const char *key, json_t *value)
{
	json_array_append_new(items, json_pack("{s:s, s:o}", "key", key, "value", value));
}

/* A person's org, or -1 when the caller may not nominate them. */
static int64_t person_org(struct req *r, json_t *p, int64_t pid)
{
	int64_t org = jint(p, "org_id", 0);
	if (scope_covers(r, org))
		return org;
	/* A unit contact nominates the unit's employed party members. */
	int64_t emp = store_award_person_employer(pid);
	return emp && has_role_over(r, R_UNIT, emp) ? org : -1;
}

static json_t *person_evidence(struct req *r, int64_t id, int year, const char *from, const char *to, int *status)
{
	json_t *p = store_person_get(id);
	int64_t org = !p || jint(p, "anonymised", 0) ? -1 : r ? person_org(r, p, id) : jint(p, "org_id", 0);
	if (org < 0) {
		json_decref(p);
		*status = 404;
		return NULL;
	}
	int64_t t0 = china_day_start(days_from_civil(year, 1, 1)), t1 = china_day_start(days_from_civil(year + 1, 1, 1));
	json_t *e = store_award_evidence_person(id, from, to, t0, t1);
	if (!e) {
		json_decref(p);
		*status = 500;
		return NULL;
	}
	json_t *items = json_array();
	double total = json_number_value(json_object_get(e, "hours_total"));
	item(items, "hours_year", json_real(json_number_value(json_object_get(e, "hours_year"))));
	item(items, "hours_total", json_real(total));
	item(items, "stars", json_integer(stars_for_hours(total)));
	static const char *const k[] = {"problems_reported", "problems_closed", "good_deeds", "meetings_attended"};
	for (int i = 0; i < 4; i++)
		item(items, k[i], json_integer(jint(e, k[i], 0)));
	json_t *out = json_pack("{s:s, s:I, s:s, s:I, s:b, s:o}", "kind", "person", "id", (json_int_t)id, "name",
				jstr(p, "name") ? jstr(p, "name") : "", "org_id", (json_int_t)org, "party_member",
				jint(e, "party_member", 0) > 0, "items", items);
	json_decref(e);
	json_decref(p);
	return out;
}

static json_t *org_evidence(struct req *r, const char *kind, int64_t id, int year, const char *from, const char *to, int *status)
{
	json_t *o = store_org_get(id);
	if (!o || strcmp(jstr(o, "kind") ? jstr(o, "kind") : "", kind) || (r && !scope_covers(r, id))) {
		json_decref(o);
		*status = 404;
		return NULL;
	}
	int64_t t0 = china_day_start(days_from_civil(year, 1, 1)), t1 = china_day_start(days_from_civil(year + 1, 1, 1));
	json_t *e = store_award_evidence_org(id, kind, from, to, t0, t1);
	if (!e) {
		json_decref(o);
		*status = 500;
		return NULL;
	}
	json_t *items = json_array();
	item(items, "members", json_integer(jint(e, "members", 0)));
	item(items, "hours_year", json_real(json_number_value(json_object_get(e, "hours_year"))));
	static const char *const k[] = {"problems_closed", "problems_on_time", "good_deeds"};
	for (int i = 0; i < 3; i++)
		item(items, k[i], json_integer(jint(e, k[i], 0)));
	int met = 0, total = 0;	/* the org's 目标责任书 for the year, when it has one */
	if (targets_summary(id, year, &met, &total) == 0)
		item(items, "targets_met", json_pack("{s:i, s:i}", "met", met, "total", total));
	json_t *out = json_pack("{s:s, s:I, s:s, s:I, s:o}", "kind", kind, "id", (json_int_t)id, "name", jstr(o, "name"),
				"org_id", (json_int_t)id, "items", items);
	json_decref(e);
	json_decref(o);
	return out;
}

json_t *awards_evidence(struct req *r, const char *kind, int64_t id, int year, int *status)
{
	char from[16], to[16], today[11];
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-12-31", year);
	awards_today(today);
	json_t *e = !strcmp(kind, "person") ? person_evidence(r, id, year, from, to, status)
					    : org_evidence(r, kind, id, year, from, to, status);
	if (e) {
		json_object_set_new(e, "year", json_integer(year));
		json_object_set_new(e, "drawn_on", json_string(today));
	}
	return e;
}

int awards_evidence_get(struct req *r)
{
	int st = 0;
	if (!q_has(r, "kind"))
		return reply_field(r, "kind", "required", "需要 kind（person、team 或 unit）");
	if (!q_has(r, "id"))
		return reply_field(r, "id", "required", "需要被提名对象的 id");
	int year = (int)q_int(r, "year");
	if (!year) {	/* the current year by default */
		char today[11];
		awards_today(today);
		year = (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0');
	}
	json_t *e = awards_evidence(r, q_text(r, "kind"), q_int(r, "id"), year, &st);
	if (!e)
		return st == 404 ? reply_error(r, 404, "not_found", "被提名对象不存在", NULL) : reply_store_error(r, STORE_EIO);
	return reply_json(r, 200, awards_out(e));
}

int awards_nominations_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	json_t *f = scope_filter(r, json_object());
	json_t *paths = json_object_get(f, "within") ? grant_paths(r, perm_info(P_AWARDS_NOMINATE)->roles) : NULL;
	json_t *items = store_award_nomination_list(q_int(r, "scheme_id"), paths, r->account_id, q_int(r, "cursor"), limit);
	json_decref(paths);
	json_decref(f);
	size_t i;
	json_t *x;
	json_array_foreach(items, i, x) json_object_del(x, "org_path");
	return list_reply(r, awards_out(items), limit, "id");
}

/* The nomination the caller may see (scope of its nominee's org, or their
 * own: a unit contact's nominee may live outside the unit), or NULL. */
static json_t *nomination_in_scope(struct req *r, int64_t id)
{
	json_t *n = awards_out(store_award_nomination_get(id));
	if (n && jint(n, "nominator_id", 0) != r->account_id && !scope_covers(r, jint(n, "org_id", 0))) {
		json_decref(n);
		return NULL;
	}
	if (n)
		json_object_del(n, "org_path");
	return n;
}

int awards_nominations_get(struct req *r)
{
	json_t *n = nomination_in_scope(r, req_id(r, 0));
	if (!n)
		return reply_error(r, 404, "not_found", "提名不存在", NULL);
	return reply_json(r, 200, awards_out(n));
}

static unsigned nominator_roles(const json_t *scheme)
{
	unsigned m = R_ADMIN;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(scheme, "nominators"), i, v) {
		const char *s = json_string_value(v);
		m |= !strcmp(s, "committee") ? R_COMMITTEE : !strcmp(s, "unit") ? R_UNIT : !strcmp(s, "party") ? R_PARTY
		   : !strcmp(s, "office") ? R_OFFICE : 0;
	}
	return m;
}

static json_t *category_of(json_t *scheme, int64_t cid)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(scheme, "categories"), i, c) if (jint(c, "id", 0) == cid) return c;
	return NULL;
}

static int kind_allowed(const json_t *cat, const char *kind)
{
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(cat, "kinds"), i, k) if (kind && !strcmp(json_string_value(k), kind)) return 1;
	return 0;
}

/* Only the keys the evidence holds, each once. */
static int cited_ok(const json_t *cited, const json_t *ev)
{
	size_t i, j;
	json_t *c, *it;
	json_array_foreach(cited, i, c) {
		int found = 0;
		json_array_foreach(json_object_get(ev, "items"), j, it) found |= json_equal(json_object_get(it, "key"), c);
		if (!found)
			return 0;
	}
	return 1;
}

static const struct fspec nom_spec[] = {
	{"scheme_id", F_INT, F_REQ, 1, INT64_MAX},
	{"category_id", F_INT, F_REQ, 1, INT64_MAX},
	{"nominee_kind", F_STR, F_REQ, 4, 6},
	{"nominee_id", F_INT, F_REQ, 1, INT64_MAX},
	{"citation", F_STR, F_REQ, 10, 2000},
	{"cited", F_STRARR, 0, 0, 20},
	{NULL, 0, 0, 0, 0},
};

/* The scheme's rules: state and period, the caller's role, the category and
 * its kinds, the nominator's quota. 0, or the status answered. */
static int nomination_rules(struct req *r, json_t *s, json_t **cat_out)
{
	const char *kind = jstr(r->json, "nominee_kind");
	json_t *cat = category_of(s, jint(r->json, "category_id", 0));
	char today[11];
	awards_today(today);
	if (!cat)
		return reply_field(r, "category_id", "not_found", "奖项类别不属于该评选");
	if (!kind_allowed(cat, kind))
		return reply_field(r, "nominee_kind", "not_eligible", "该类别不接受此类被提名对象");
	if (strcmp(jstr(s, "state"), "nominating") || strcmp(today, jstr(s, "nominate_from")) < 0 ||
	    strcmp(today, jstr(s, "nominate_to")) > 0)
		return reply_error(r, 409, "not_nominating", "不在提名期内", NULL);
	if (!has_role(r, nominator_roles(s)))
		return reply_error(r, 403, "forbidden", "该评选不接受您所在角色的提名", NULL);
	int64_t nq = jint(cat, "nominator_quota", 0);
	if (nq && store_award_nominator_count(jint(cat, "id", 0), r->account_id) >= nq)
		return reply_error(r, 409, "quota_reached", "您在该类别的提名名额已用完", NULL);
	*cat_out = cat;
	return 0;
}

int awards_nominations_create(struct req *r)
{
	json_t *fields = body_fields(r, nom_spec);
	if (!fields)
		return r->status;
	const char *kind = jstr(r->json, "nominee_kind");
	if (kind && strcmp(kind, "person") && strcmp(kind, "team") && strcmp(kind, "unit"))
		field_error(fields, "nominee_kind", "invalid", "应为 person、team 或 unit");
	json_t *s = json_array_size(fields) ? NULL : awards_scheme_visible(r, jint(r->json, "scheme_id", 0));
	if (!json_array_size(fields) && !s)
		field_error(fields, "scheme_id", "not_found", "评选不存在");
	if (json_array_size(fields)) {
		json_decref(s);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	json_t *cat = NULL;
	int st = nomination_rules(r, s, &cat);
	json_t *ev = NULL;
	if (!st && !(ev = awards_evidence(r, kind, jint(r->json, "nominee_id", 0), (int)jint(s, "year", 0), &st)))
		st = st == 404 ? reply_field(r, "nominee_id", "not_found", "被提名对象不存在") : reply_store_error(r, STORE_EIO);
	json_t *cited = json_object_get(r->json, "cited");
	if (!st && cited && !cited_ok(cited, ev))
		st = reply_field(r, "cited", "invalid", "只能引用证据中的项目");
	if (st) {
		json_decref(ev);
		json_decref(s);
		return st;
	}
	json_t *in = json_pack("{s:I, s:I, s:s, s:I, s:O, s:O, s:I, s:s, s:O, s:o, s:O, s:I}",
		"scheme_id", (json_int_t)jint(s, "id", 0), "category_id", (json_int_t)jint(cat, "id", 0), "nominee_kind", kind,
		"nominee_id", (json_int_t)jint(r->json, "nominee_id", 0), "nominee_name", json_object_get(ev, "name"),
		"org_id", json_object_get(ev, "org_id"), "nominator_id", (json_int_t)r->account_id,
		"citation", jstr(r->json, "citation"), "evidence", ev, "cited", cited ? json_incref(cited) : json_array(),
		"evidence_on", json_object_get(ev, "drawn_on"), "created_at", (json_int_t)app_now());
	json_decref(ev);
	json_decref(s);
	int64_t id = 0;
	int rc = store_award_nomination_create(in, &id);
	json_decref(in);
	if (rc == STORE_ECONFLICT)
		return reply_error(r, 409, "duplicate", "该对象已在此类别被提名", NULL);
	if (rc)
		return reply_store_error(r, rc);
	json_t *n = nomination_in_scope(r, id);
	audit(r, "create", "award_nomination", id, NULL, json_incref(n));
	return reply_json(r, 201, awards_out(n));
}

/* The office decides: awarded (within the category's quota) or not, with a
 * reason; while the scheme is reviewing or decided, never once published. */
int awards_nominations_decide(struct req *r)
{
	static const struct fspec spec[] = {
		{"awarded", F_BOOL, F_REQ, 0, 0},
		{"reason", F_STR, F_REQ, 2, 500},
		{NULL, 0, 0, 0, 0},
	};
	int64_t id = req_id(r, 0);
	json_t *n = awards_out(store_award_nomination_get(id));
	if (!n)
		return reply_error(r, 404, "not_found", "提名不存在", NULL);
	int st = body_check(r, spec);
	const char *ss = jstr(n, "scheme_state");
	int awarded = jbool(r->json, "awarded", 0);
	if (!st && strcmp(ss, "reviewing") && strcmp(ss, "decided"))
		st = reply_error(r, 409, "invalid_state", "只能在评审或决定阶段作出决定", NULL);
	if (!st && awarded && strcmp(jstr(n, "state"), "awarded") &&
	    store_award_awarded_count(jint(n, "category_id", 0)) >= jint(n, "quota", 0))
		st = reply_error(r, 409, "quota_reached", "该类别的获奖名额已满", NULL);
	if (st) {
		json_decref(n);
		return st;
	}
	int rc = store_award_decide(id, awarded ? "awarded" : "not_awarded", jstr(r->json, "reason"), r->account_id, app_now());
	if (rc) {
		json_decref(n);
		return reply_store_error(r, rc);
	}
	json_t *after = awards_out(store_award_nomination_get(id));
	json_object_del(n, "org_path");
	json_object_del(after, "org_path");
	audit(r, "decide", "award_nomination", id, n, json_incref(after));
	return reply_json(r, 200, awards_out(after));
}
