/*
 * awards_schemes.c — award schemes (awards.h): a scheme names its year,
 * categories (eligible nominee kinds, quota, a quota per nominator), the
 * nomination and review periods, who may nominate, and its panel; it moves
 * draft → nominating → reviewing → decided → published, one step at a time.
 */
#include "awards.h"
#include "core/period.h"
#include "core/timefmt.h"
#include <string.h>

static const char *const STATES[] = {"draft", "nominating", "reviewing", "decided", "published", NULL};

void awards_today(char out[11])
{
	period_format_day(period_day(app_now()), out, 11);
}

json_t *awards_out(json_t *v)
{
	static const char *const t[] = {"created_at", "updated_at", "decided_at", NULL};
	size_t i;
	const char *k;
	json_t *x;
	if (json_is_array(v))
		json_array_foreach(v, i, x) awards_out(x);
	else if (json_is_object(v)) {
		render_times(v, t);
		json_object_foreach(v, k, x) if (json_is_array(x) || json_is_object(x)) awards_out(x);
	}
	return v;
}

json_t *awards_scheme_visible(struct req *r, int64_t id)
{
	json_t *s = awards_out(store_award_scheme_get(id));
	if (s && !strcmp(jstr(s, "state"), "draft") && !has_role(r, R_ADMIN | R_OFFICE)) {
		json_decref(s);
		return NULL;
	}
	return s;
}

static int in_list(const char *v, const char *const *list)
{
	for (int i = 0; v && list[i]; i++)
		if (!strcmp(v, list[i]))
			return 1;
	return 0;
}

/* Every element a string of `allowed`, no repeats, at least one. */
static int subset_ok(const json_t *a, const char *const *allowed)
{
	if (!json_is_array(a) || !json_array_size(a))
		return 0;
	size_t i, j;
	json_t *v, *w;
	json_array_foreach(a, i, v) {
		if (!in_list(json_string_value(v), allowed))
			return 0;
		json_array_foreach(a, j, w) if (j < i && json_equal(v, w)) return 0;
	}
	return 1;
}

static void date_check(json_t *fields, const json_t *in, const char *key)
{
	int64_t d;
	const char *s = jstr(in, key);
	if (s && (strlen(s) != 10 || period_parse_date(s, &d)))
		field_error(fields, key, "invalid", "日期格式应为 YYYY-MM-DD");
}

static void order_check(json_t *fields, const json_t *s, const char *a, const char *b)
{
	const char *x = jstr(s, a), *y = jstr(s, b);
	if (x && y && strcmp(x, y) > 0)
		field_error(fields, b, "invalid", "结束日期不能早于开始日期");
}

static const char *const NOMINATORS[] = {"committee", "unit", "party", "office", NULL};
static const char *const KINDS[] = {"person", "team", "unit", NULL};

static void categories_check(json_t *fields, const json_t *cats)
{
	static const struct fspec spec[] = {
		{"name", F_STR, F_REQ, 1, 40},
		{"kinds", F_STRARR, F_REQ, 1, 3},
		{"quota", F_INT, F_REQ, 1, 100},
		{"nominator_quota", F_INT, F_NULL, 1, 100},
		{NULL, 0, 0, 0, 0},
	};
	if (!json_is_array(cats) || json_array_size(cats) < 1 || json_array_size(cats) > 20) {
		field_error(fields, "categories", "invalid", "需要 1 到 20 个奖项类别");
		return;
	}
	size_t i;
	json_t *c, *errs = json_array();
	json_array_foreach(cats, i, c) {
		if (!json_is_object(c) || json_check(c, spec, errs) || !subset_ok(json_object_get(c, "kinds"), KINDS)) {
			field_error(fields, "categories", "invalid", "类别需要名称、可提名对象（person/team/unit）和名额");
			break;
		}
	}
	json_decref(errs);
}

static const struct fspec scheme_spec[] = {
	{"name", F_STR, F_REQ, 1, 60},
	{"year", F_INT, F_REQ, 2000, 2100},
	{"nominate_from", F_STR, F_REQ, 10, 10},
	{"nominate_to", F_STR, F_REQ, 10, 10},
	{"review_from", F_STR, F_REQ, 10, 10},
	{"review_to", F_STR, F_REQ, 10, 10},
	{"nominators", F_STRARR, 0, 1, 4},
	{"description", F_STR, F_NULL, 0, 1000},
	{"categories", F_ARR, F_REQ, 1, 20},
	{NULL, 0, 0, 0, 0},
};

static void periods_check(json_t *fields, const json_t *s)
{
	static const char *const k[] = {"nominate_from", "nominate_to", "review_from", "review_to"};
	for (int i = 0; i < 4; i++)
		date_check(fields, s, k[i]);
	order_check(fields, s, "nominate_from", "nominate_to");
	order_check(fields, s, "review_from", "review_to");
	order_check(fields, s, "nominate_from", "review_from");
	json_t *n = json_object_get(s, "nominators");
	if (n && !subset_ok(n, NOMINATORS))
		field_error(fields, "nominators", "invalid", "提名人只能是 committee、unit、party、office");
}

int awards_schemes_create(struct req *r)
{
	json_t *fields = body_fields(r, scheme_spec);
	if (!fields)
		return r->status;
	periods_check(fields, r->json);
	if (json_object_get(r->json, "categories"))
		categories_check(fields, json_object_get(r->json, "categories"));
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	json_t *in = json_deep_copy(r->json);
	if (!json_object_get(in, "nominators"))
		json_object_set_new(in, "nominators", json_pack("[ssss]", "committee", "unit", "party", "office"));
	int64_t id = 0;
	int rc = store_award_scheme_create(in, r->account_id, app_now(), &id);
	json_decref(in);
	if (rc)
		return reply_store_error(r, rc);
	json_t *s = awards_out(store_award_scheme_get(id));
	audit(r, "create", "award_scheme", id, NULL, json_incref(s));
	return reply_json(r, 201, awards_out(s));
}

int awards_schemes_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	json_t *items = store_award_scheme_list(q_int(r, "year"), has_role(r, R_ADMIN | R_OFFICE), q_int(r, "cursor"), limit);
	return list_reply(r, awards_out(items), limit, "id");
}

int awards_schemes_get(struct req *r)
{
	json_t *s = awards_scheme_visible(r, req_id(r, 0));
	if (!s)
		return reply_error(r, 404, "not_found", "评选不存在", NULL);
	int on = store_award_on_panel(jint(s, "id", 0), r->account_id);
	json_object_set_new(s, "on_panel", json_boolean(on == 1));
	return reply_json(r, 200, awards_out(s));
}

int awards_schemes_update(struct req *r)
{
	static const struct fspec spec[] = {
		{"name", F_STR, 0, 1, 60},
		{"nominate_from", F_STR, 0, 10, 10},
		{"nominate_to", F_STR, 0, 10, 10},
		{"review_from", F_STR, 0, 10, 10},
		{"review_to", F_STR, 0, 10, 10},
		{"nominators", F_STRARR, 0, 1, 4},
		{"description", F_STR, F_NULL, 0, 1000},
		{NULL, 0, 0, 0, 0},
	};
	int64_t id = req_id(r, 0);
	json_t *s = awards_out(store_award_scheme_get(id));
	if (!s)
		return reply_error(r, 404, "not_found", "评选不存在", NULL);
	json_t *fields = body_fields(r, spec);
	if (!fields) {
		json_decref(s);
		return r->status;
	}
	json_t *merged = json_deep_copy(s);
	json_object_update(merged, r->json);
	periods_check(fields, merged);
	json_decref(merged);
	if (!json_array_size(fields) && in_list(jstr(s, "state"), STATES + 3))
		field_error(fields, "state", "invalid_state", "评选已决定，不能再修改");
	if (json_array_size(fields)) {
		json_decref(s);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int rc = store_award_scheme_update(id, r->json, app_now());
	if (rc) {
		json_decref(s);
		return reply_store_error(r, rc);
	}
	json_t *after = awards_out(store_award_scheme_get(id));
	audit(r, "update", "award_scheme", id, s, json_incref(after));
	return reply_json(r, 200, awards_out(after));
}

/* Forward one step; reviewing needs a panel. */
int awards_schemes_state(struct req *r)
{
	static const struct fspec spec[] = {{"state", F_STR, F_REQ, 1, 20}, {NULL, 0, 0, 0, 0}};
	int64_t id = req_id(r, 0);
	json_t *s = awards_out(store_award_scheme_get(id));
	if (!s)
		return reply_error(r, 404, "not_found", "评选不存在", NULL);
	int st = body_check(r, spec);
	if (st) {
		json_decref(s);
		return st;
	}
	const char *to = jstr(r->json, "state"), *from = jstr(s, "state");
	int i = 0;
	while (STATES[i] && strcmp(STATES[i], from))
		i++;
	const char *msg = NULL;
	if (!in_list(to, STATES))
		msg = "未知状态";
	else if (!STATES[i] || !STATES[i + 1] || strcmp(STATES[i + 1], to))
		msg = "评选只能按 草稿→提名→评审→决定→公布 逐步推进";
	else if (!strcmp(to, "reviewing") && !json_array_size(json_object_get(s, "panel")))
		msg = "进入评审前需要设置评审组";
	if (msg) {
		json_decref(s);
		return reply_field(r, "state", "invalid_state", msg);
	}
	int rc = store_award_scheme_state(id, from, to, app_now());
	if (rc) {
		json_decref(s);
		return reply_store_error(r, rc);
	}
	json_t *after = awards_out(store_award_scheme_get(id));
	audit(r, "state", "award_scheme", id, s, json_incref(after));
	return reply_json(r, 200, awards_out(after));
}

/* The panel: accounts named by the office, replaced as a whole until the
 * decision. */
int awards_schemes_panel(struct req *r)
{
	static const struct fspec spec[] = {{"account_ids", F_ARR, F_REQ, 1, 30}, {NULL, 0, 0, 0, 0}};
	int64_t id = req_id(r, 0);
	json_t *s = awards_out(store_award_scheme_get(id));
	if (!s)
		return reply_error(r, 404, "not_found", "评选不存在", NULL);
	json_t *fields = body_fields(r, spec);
	if (!fields) {
		json_decref(s);
		return r->status;
	}
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(r->json, "account_ids"), i, v) {
		json_t *a = json_is_integer(v) ? store_account_get(json_integer_value(v)) : NULL;
		if (!a || jint(a, "disabled", 0))
			field_error(fields, "account_ids", "not_found", "账号不存在或已停用");
		json_decref(a);
		if (json_array_size(fields))
			break;
	}
	if (!json_array_size(fields) && in_list(jstr(s, "state"), STATES + 3))
		field_error(fields, "state", "invalid_state", "评选已决定，不能再修改评审组");
	if (json_array_size(fields)) {
		json_decref(s);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int rc = store_award_panel_set(id, json_object_get(r->json, "account_ids"));
	if (rc) {
		json_decref(s);
		return reply_store_error(r, rc);
	}
	json_t *after = awards_out(store_award_scheme_get(id));
	audit(r, "panel", "award_scheme", id, json_incref(json_object_get(s, "panel")), json_incref(json_object_get(after, "panel")));
	json_decref(s);
	return reply_json(r, 200, awards_out(after));
}
