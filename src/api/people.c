/*
 * people.c — people records (residents, volunteers, party members, building
 * reps) with the real-name fields of SPEC §2, validated; masked in every
 * answer; full values only through /sensitive and /export, each read written
 * to the audit log. Anonymising keeps the record (for counts and history)
 * and removes everything that identifies the person.
 */
#include "api.h"
#include "core/privacy.h"
#include "core/validate.h"
#include <stdio.h>
#include <string.h>

static const char *const person_kinds = "resident volunteer party_member building_rep";

static void check_kinds(const json_t *kinds, json_t *fields)
{
	size_t i;
	json_t *k;
	json_array_foreach(kinds, i, k) {
		if (!word_in_list(person_kinds, json_string_value(k))) {
			field_error(fields, "kinds", "invalid", "类型应为 resident、volunteer、party_member 或 building_rep");
			return;
		}
	}
}

static const char *id_message(enum id_error e)
{
	switch (e) {
	case ID_ELENGTH: return "身份证号应为 18 位";
	case ID_ECHARS: return "身份证号应为 17 位数字加一位数字或 X";
	case ID_EDATE: return "身份证号中的出生日期无效";
	case ID_ECHECK: return "身份证号校验位不正确";
	default: return "身份证号无效";
	}
}

/* Validates and seals the clear fields of `in` into `row`. An ID number on
 * file for another person is a field error "duplicate" (staff, in scope and
 * audited, must not make a second record) — unless `dup` is given (self-
 * registration, review 2026-12-07 #6): then the answer must not tell, so the ID
 * is sealed without its uniqueness hash and *dup is set; the record then
 * shows as a possible duplicate to the 居委 (see volunteer_view). */
void people_seal_fields_ex(const json_t *in, json_t *row, json_t *fields, int64_t self_id, int *dup)
{
	const char *idn = jstr(in, "id_number"), *phone = jstr(in, "phone");
	if (idn) {
		enum id_error e = id_validate(idn, NULL, today_ymd_cn());
		if (e != ID_OK)
			field_error(fields, "id_number", id_error_code(e), id_message(e));
		else {
			char h[65];
			privacy_id_hash(idn, h, sizeof h);
			int64_t other = store_person_by_id_hash(h);
			if (other > 0 && other != self_id && !dup)
				field_error(fields, "id_number", "duplicate", "该身份证号已登记");
			else if (!privacy_seal_id(row, idn) && other > 0 && other != self_id) {
				json_object_set_new(row, "id_hash", json_null());
				*dup = 1;
			}
		}
	}
	if (phone) {
		if (!phone_valid(phone))
			field_error(fields, "phone", "invalid_phone", "手机号应为 11 位，以 13–19 开头");
		else
			privacy_seal_phone(row, phone);
	}
	static const char *copy[] = {"name", "address", "skills", "kinds", "service_category", "org_id"};
	for (size_t i = 0; i < sizeof copy / sizeof *copy; i++) {
		json_t *v = json_object_get(in, copy[i]);
		if (v)
			json_object_set(row, copy[i], v);
	}
	if (json_is_array(json_object_get(in, "kinds")))
		check_kinds(json_object_get(in, "kinds"), fields);
}

void people_seal_fields(const json_t *in, json_t *row, json_t *fields, int64_t self_id)
{
	people_seal_fields_ex(in, row, fields, self_id, NULL);
}

/* The masked view of a stored person, or NULL. */
static json_t *person_view_by_id(int64_t id)
{
	json_t *p = store_person_get(id);
	json_t *v = p ? privacy_person_view(p) : NULL;
	json_decref(p);
	return v;
}

static json_t *load(struct req *r, int64_t id, int *status)
{
	/* A person outside the caller's scope is not found (404), like a
	 * missing one: a 403 would tell the caller the record exists. */
	json_t *p = store_person_get(id);
	if (p && !scope_covers(r, jint(p, "org_id", 0))) {
		json_decref(p);
		p = NULL;
	}
	if (!p)
		*status = reply_error(r, 404, "not_found", "人员不存在", NULL);
	return p;
}

static int check_org(struct req *r, int64_t org, json_t *fields)
{
	json_t *o = store_org_get(org);
	json_decref(o);
	if (!o) {
		field_error(fields, "org_id", "not_found", "组织不存在");
		return 0;
	}
	return scope_covers(r, org) ? 0 : 403;
}

int people_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	const char *kind = q_text(r, "kind");	/* person_kinds, shared with the body check */
	if (kind && !word_in_list(person_kinds, kind))
		return reply_field(r, "kind", "invalid", "未知的人员类型");
	json_t *f = json_object();
	if (q_has(r, "q"))
		json_object_set_new(f, "q", json_string(q_text(r, "q")));
	if (q_has(r, "org_id"))
		json_object_set_new(f, "org_id", json_integer(q_int(r, "org_id")));
	if (kind)
		json_object_set_new(f, "kind", json_string(kind));
	json_t *rows = store_person_list(scope_filter(r, f), q_int(r, "cursor"), limit);
	json_decref(f);
	if (!rows)
		return list_reply(r, NULL, limit, "id");
	json_t *items = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(rows, i, p) json_array_append_new(items, privacy_person_view(p));
	json_decref(rows);
	return list_reply(r, items, limit, "id");
}

static const struct fspec person_fields[] = {
	{"name", F_STR, F_REQ, 1, 50},
	{"id_number", F_STR, F_NULL, 0, 0},
	{"phone", F_STR, F_NULL, 0, 0},
	{"org_id", F_INT, F_REQ, 1, INT64_MAX},
	{"address", F_STR, F_NULL, 0, 200},
	{"skills", F_STRARR, 0, 0, 20},
	{"kinds", F_STRARR, 0, 0, 4},
	{"service_category", F_STR, F_NULL, 0, 50},
	{NULL, 0, 0, 0, 0},
};

int people_create(struct req *r)
{
	json_t *fields = body_fields(r, person_fields), *row = json_object();
	if (!fields) {
		json_decref(row);
		return r->status;
	}
	int64_t org = jint(r->json, "org_id", 0);
	int scope = org > 0 ? check_org(r, org, fields) : 0;
	people_seal_fields(r->json, row, fields, 0);
	if (json_array_size(fields)) {
		json_decref(row);
		int dup = !strcmp(jstr(json_array_get(fields, 0), "code"), "duplicate") && json_array_size(fields) == 1;
		return dup ? reply_error(r, 409, "duplicate", "该身份证号已登记", fields) : reply_fields(r, fields);
	}
	json_decref(fields);
	if (scope) {
		json_decref(row);
		return reply_error(r, 403, "forbidden_scope", "只能在自己负责的组织范围内登记人员", NULL);
	}
	int64_t id;
	int rc = store_person_create(row, &id);
	json_decref(row);
	if (rc == STORE_ECONFLICT)
		return reply_error(r, 409, "duplicate", "该身份证号已登记", NULL);
	if (rc)
		return reply_store_error(r, rc);
	json_t *view = person_view_by_id(id);
	audit(r, "create", "person", id, NULL, json_incref(view));
	return reply_json(r, 201, view);
}

int people_get(struct req *r)
{
	int st = 0;
	json_t *p = load(r, req_id(r, 0), &st);
	if (!p)
		return st;
	json_t *v = privacy_person_view(p);
	json_decref(p);
	return reply_json(r, 200, v);
}

int people_update(struct req *r)
{
	static const struct fspec spec[] = {
		{"name", F_STR, 0, 1, 50},
		{"id_number", F_STR, F_NULL, 0, 0},
		{"phone", F_STR, F_NULL, 0, 0},
		{"org_id", F_INT, 0, 1, INT64_MAX},
		{"address", F_STR, F_NULL, 0, 200},
		{"skills", F_STRARR, 0, 0, 20},
		{"kinds", F_STRARR, 0, 0, 4},
		{"service_category", F_STR, F_NULL, 0, 50},
		{NULL, 0, 0, 0, 0},
	};
	int st = 0;
	int64_t id = req_id(r, 0);
	json_t *before = load(r, id, &st);
	if (!before)
		return st;
	if (jbool(before, "anonymised", 0)) {
		json_decref(before);
		return reply_error(r, 409, "anonymised", "该人员信息已匿名化，不能修改", NULL);
	}
	json_t *fields = body_fields(r, spec), *row = json_object();
	if (!fields) {
		json_decref(before);
		json_decref(row);
		return r->status;
	}
	int64_t org = jint(r->json, "org_id", 0);
	int scope = org > 0 ? check_org(r, org, fields) : 0;
	people_seal_fields(r->json, row, fields, id);
	/* Explicit nulls clear the sealed values too. */
	if (json_is_null(json_object_get(r->json, "id_number"))) {
		static const char *k[] = {"id_enc", "id_hash", "id_masked", "gender", "birth_date"};
		for (int i = 0; i < 5; i++)
			json_object_set_new(row, k[i], json_null());
	}
	if (json_is_null(json_object_get(r->json, "phone"))) {
		json_object_set_new(row, "phone_enc", json_null());
		json_object_set_new(row, "phone_masked", json_null());
	}
	if (json_array_size(fields) || scope) {
		json_decref(row);
		json_decref(before);
		if (!json_array_size(fields)) {
			json_decref(fields);
			return reply_error(r, 403, "forbidden_scope", "只能移到自己负责的组织范围内", NULL);
		}
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int rc = store_person_update(id, row);
	json_decref(row);
	if (rc == STORE_ECONFLICT) {
		json_decref(before);
		return reply_error(r, 409, "duplicate", "该身份证号已登记", NULL);
	}
	if (rc) {
		json_decref(before);
		return reply_store_error(r, rc);
	}
	json_t *after = person_view_by_id(id);
	audit(r, "update", "person", id, privacy_person_view(before), json_incref(after));
	json_decref(before);
	return reply_json(r, 200, after);
}

int people_sensitive(struct req *r)
{
	int st = 0;
	int64_t id = req_id(r, 0);
	json_t *p = load(r, id, &st);
	if (!p)
		return st;
	json_t *s = privacy_person_secrets(p);
	json_decref(p);
	/* The read itself is the audited event; what was read is not copied into the log. */
	int rc = audit(r, "reveal", "person", id, NULL, json_pack("{s:[s,s]}", "fields", "id_number", "phone"));
	if (rc) {
		json_decref(s);
		return reply_store_error(r, rc);
	}
	return reply_json(r, 200, s);
}

int people_export(struct req *r)
{
	int st = 0;
	int64_t id = req_id(r, 0);
	json_t *p = load(r, id, &st);
	if (!p)
		return st;
	json_t *sec = privacy_person_secrets(p);
	json_t *out = privacy_person_view(p);
	json_object_update(out, sec);
	json_decref(sec);
	json_decref(p);
	int rc = audit(r, "export", "person", id, NULL, NULL);
	if (rc) {
		json_decref(out);
		return reply_store_error(r, rc);
	}
	char cd[96];
	snprintf(cd, sizeof cd, "attachment; filename=\"person-%lld.json\"", (long long)id);
	reply_header(r, "Content-Disposition", cd);
	return reply_json(r, 200, json_pack("{s:s, s:o}", "format", "wenming-person-export-v1", "person", out));
}

int people_anonymise(struct req *r)
{
	int st = 0;
	int64_t id = req_id(r, 0);
	json_t *p = load(r, id, &st);
	if (!p)
		return st;
	json_t *before = privacy_person_view(p);
	json_decref(p);
	json_t *row = json_pack("{s:s, s:n, s:n, s:n, s:n, s:n, s:n, s:n, s:n, s:[], s:n, s:b}", "name", "（已匿名）",
				"gender", "birth_date", "id_enc", "id_hash", "id_masked", "phone_enc", "phone_masked",
				"address", "skills", "service_category", "anonymised", 1);
	int rc = store_person_update(id, row);
	json_decref(row);
	if (rc) {
		json_decref(before);
		return reply_store_error(r, rc);
	}
	json_t *after = person_view_by_id(id);
	audit(r, "anonymise", "person", id, before, json_incref(after));
	return reply_json(r, 200, after);
}
