/*
 * good_deeds.c — 好人好事: anyone signed in records a good deed (who did it:
 * a person of the product, linked by staff, or just a name; what, where,
 * when, a photo from POST /api/v1/photos); the 居委 (or office) of the org
 * verifies it or rejects it with a reason. Verified deeds go on the public
 * wall (no recorder, no reviewer, no place text, the community only:
 * SPEC §2) and earn the doer love-bank points (points_per_good_deed, once
 * per deed: the award is unique on its source, bank_awards.c).
 *
 * Who sees a deed: the staff (admin, office, committee) of its org subtree,
 * and the account that recorded it; anyone else gets 404, as for a
 * missing deed.
 */
#include "api.h"
#include "api/bank.h"
#include "core/period.h"
#include "store/targets_sql.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STAFF (R_ADMIN | R_OFFICE | R_COMMITTEE)

/* The org ids of the caller's staff grants, for a "within" filter. */
static json_t *staff_ids(struct req *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->ngrants; i++)
		if (STAFF & (1u << r->grants[i].role))
			json_array_append_new(a, json_integer(r->grants[i].org_id));
	return a;
}

static int visible(struct req *r, const json_t *g)
{
	return has_role_over(r, STAFF, jint(g, "org_id", 0)) ||
	       (r->account_id && jint(g, "recorded_by", 0) == r->account_id);
}

static int load_deed(struct req *r, int64_t id, int staff_only, json_t **out)
{
	json_t *g = store_good_deed_get(id);
	if (g && !(staff_only ? has_role_over(r, STAFF, jint(g, "org_id", 0)) : visible(r, g))) {
		json_decref(g);
		g = NULL;
	}
	if (!g)
		return reply_error(r, 404, "not_found", "好人好事记录不存在", NULL);
	*out = g;
	return 0;
}

static json_t *deed_view(json_t *g)
{
	static const char *const t[] = {"verified_at", "created_at", NULL};
	json_object_del(g, "org_path");
	mask_text_field(g, "title");
	mask_text_field(g, "content");
	mask_text_field(g, "place");
	render_times(g, t);
	return g;
}

int good_deeds_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	json_t *f = json_object();
	json_t *ids = staff_ids(r);
	if (json_array_size(ids))
		json_object_set(f, "within", ids);
	else
		json_object_set_new(f, "recorded_by", json_integer(r->account_id));
	json_decref(ids);
	if (q_has(r, "org_id"))
		json_object_set_new(f, "org_id", json_integer(q_int(r, "org_id")));
	if (q_has(r, "state"))
		json_object_set_new(f, "state", json_string(q_text(r, "state")));
	json_t *rows = store_good_deed_list(f, q_int(r, "cursor"), limit);
	json_decref(f);
	size_t i;
	json_t *g;
	json_array_foreach(rows, i, g) deed_view(g);
	return list_reply(r, rows, limit, "id");
}

int good_deeds_get(struct req *r)
{
	json_t *g = NULL;
	int st = load_deed(r, req_id(r, 0), 0, &g);
	return st ? st : reply_json(r, 200, deed_view(g));
}

/* The doer: person_id (staff over the person's org only; otherwise it reads
 * as missing) or doer_name; with a person the name defaults to theirs. */
static void check_doer(struct req *r, json_t *in, json_t *fields)
{
	int64_t pid = jint(in, "person_id", 0);
	if (pid) {
		json_t *p = store_person_get(pid);
		if (!p || !has_role_over(r, STAFF, jint(p, "org_id", 0)))
			field_error(fields, "person_id", "not_found", "人员不存在");
		else if (!jstr(in, "doer_name"))
			json_object_set_new(in, "doer_name", json_string(jstr(p, "name")));
		json_decref(p);
	} else if (!jstr(in, "doer_name")) {
		field_error(fields, "doer_name", "required", "请写明做好事的人");
	}
}

static void check_when_where(struct req *r, json_t *in, json_t *fields)
{
	int64_t day = 0, org = jint(in, "org_id", 0);
	if (period_parse_date(jstr(in, "occurred_on"), &day))
		field_error(fields, "occurred_on", "invalid", "日期应为 YYYY-MM-DD");
	else if (day > period_day(app_now()))
		field_error(fields, "occurred_on", "future", "日期不能晚于今天");
	json_t *o = org ? store_org_get(org) : NULL;
	if (!o)
		field_error(fields, "org_id", "not_found", "组织不存在");
	json_decref(o);
	int64_t ph = jint(in, "photo_id", 0);
	json_t *p = ph ? store_photo_get(ph) : NULL;
	if (ph && (!p || jint(p, "uploader_id", 0) != r->account_id))
		field_error(fields, "photo_id", "not_found", "照片不存在");
	json_decref(p);
}

int good_deeds_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"org_id", F_INT, F_REQ, 1, INT64_MAX},
		{"person_id", F_INT, F_NULL, 1, INT64_MAX},
		{"doer_name", F_STR, 0, 1, 50},
		{"title", F_STR, F_REQ, 2, 100},
		{"content", F_STR, F_NULL, 0, 2000},
		{"place", F_STR, F_NULL, 0, 100},
		{"occurred_on", F_STR, F_REQ, 10, 10},
		{"photo_id", F_INT, F_NULL, 1, INT64_MAX},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	json_t *in = json_deep_copy(r->json);
	if (!json_array_size(fields)) {
		check_doer(r, in, fields);
		check_when_where(r, in, fields);
	}
	if (json_array_size(fields)) {
		json_decref(in);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	json_object_set_new(in, "recorded_by", json_integer(r->account_id));
	int64_t id = 0;
	int rc = store_good_deed_create(in, app_now(), &id);
	json_decref(in);
	if (rc)
		return reply_store_error(r, rc);
	json_t *g = deed_view(store_good_deed_get(id));
	audit(r, "create", "good_deed", id, NULL, json_incref(g));
	return reply_json(r, 201, g);
}

/* verify / reject: pending only (409 after), audited with before/after. */
static int review(struct req *r, const char *state, int64_t person_id, const char *reason)
{
	int64_t id = req_id(r, 0);
	json_t *before = NULL;
	int st = load_deed(r, id, 1, &before);
	if (st)
		return st;
	int rc = store_good_deed_review(id, state, r->account_id, person_id, reason, app_now());
	if (!rc && !strcmp(state, "verified"))
		rc = bank_award_good_deed(id, app_now());
	if (rc) {
		json_decref(before);
		if (rc == STORE_ECONFLICT)
			return reply_error(r, 409, "invalid_state", "这条记录已经审核过了", NULL);
		return reply_store_error(r, rc);
	}
	json_t *after = deed_view(store_good_deed_get(id));
	audit(r, !strcmp(state, "verified") ? "verify" : "reject", "good_deed", id, deed_view(before),
	      json_incref(after));
	return reply_json(r, 200, after);
}

int good_deeds_verify(struct req *r)
{
	static const struct fspec spec[] = {
		{"person_id", F_INT, F_NULL, 1, INT64_MAX},
		{NULL, 0, 0, 0, 0},
	};
	if (r->json && body_check(r, spec))
		return r->status;
	int64_t pid = r->json ? jint(r->json, "person_id", 0) : 0;
	if (pid) {
		json_t *in = json_pack("{s:I, s:s}", "person_id", (json_int_t)pid, "doer_name", "-");
		json_t *fields = json_array();
		check_doer(r, in, fields);
		json_decref(in);
		if (json_array_size(fields))
			return reply_fields(r, fields);
		json_decref(fields);
	}
	return review(r, "verified", pid, NULL);
}

int good_deeds_reject(struct req *r)
{
	static const struct fspec spec[] = {
		{"reason", F_STR, F_REQ, 2, 200},
		{NULL, 0, 0, 0, 0},
	};
	int st = body_check(r, spec);
	return st ? st : review(r, "rejected", 0, jstr(r->json, "reason"));
}

/* GET /api/v1/good-deeds/wall: public, newest first. */
int good_deeds_wall(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	char *path = NULL;
	if (q_has(r, "org_id") && !(path = store_org_path(q_int(r, "org_id"))))
		return reply_field(r, "org_id", "not_found", "组织不存在");
	json_t *rows = store_good_deed_wall(path, q_int(r, "cursor"), limit);
	free(path);
	size_t i;
	json_t *g;
	json_array_foreach(rows, i, g) {
		static const char *const t[] = {"verified_at", NULL};
		json_object_del(g, "photo_id");	/* photos are not public (GET /photos needs a login) */
		mask_text_field(g, "title");
		mask_text_field(g, "content");
		render_times(g, t);
	}
	return list_reply(r, rows, limit, "id");
}
