/*
 * awards_review.c — the panel's side of the honours (awards.h): the review
 * list with evidence, conflicts of interest, one score per member per
 * nomination (a second vote replaces the first: the UNIQUE row is upserted),
 * the results, and the published roll and certificates.
 */
#include "awards.h"
#include "core/pdf_doc.h"
#include "core/timefmt.h"
#include <stdio.h>
#include <string.h>

/* The nomination when the caller sits on its scheme's panel, else NULL. */
static json_t *panel_nomination(struct req *r, int64_t id)
{
	json_t *n = awards_out(store_award_nomination_get(id));
	if (n && store_award_on_panel(jint(n, "scheme_id", 0), r->account_id) != 1) {
		json_decref(n);
		return NULL;
	}
	if (n)
		json_object_del(n, "org_path");
	return n;
}

/* GET /awards/review?scheme_id=: every nomination with its evidence, my
 * score and my conflict, for a panel member. */
int awards_review_list(struct req *r)
{
	int64_t sid = q_int(r, "scheme_id");
	if (!sid)
		return reply_field(r, "scheme_id", "required", "需要 scheme_id");
	json_t *s = awards_scheme_visible(r, sid);
	if (!s || store_award_on_panel(sid, r->account_id) != 1) {
		json_decref(s);
		return reply_error(r, 404, "not_found", "评选不存在或您不在评审组", NULL);
	}
	json_decref(s);
	json_t *items = store_award_results(sid, r->account_id);
	size_t i;
	json_t *x;
	json_array_foreach(items, i, x) json_object_del(x, "org_path");
	return list_reply(r, awards_out(items), 500, "id");
}

/* GET /awards/schemes/{id}/results: the office's view, with each vote. */
int awards_results(struct req *r)
{
	int64_t sid = req_id(r, 0);
	json_t *s = awards_out(store_award_scheme_get(sid));
	if (!s)
		return reply_error(r, 404, "not_found", "评选不存在", NULL);
	json_t *items = store_award_results(sid, 0);
	size_t i;
	json_t *x;
	json_array_foreach(items, i, x) {
		json_object_del(x, "org_path");
		json_object_set_new(x, "vote_list", store_award_votes(jint(x, "id", 0)));
	}
	json_object_set_new(s, "nominations", items ? items : json_array());
	return items ? reply_json(r, 200, awards_out(s)) : (json_decref(s), reply_store_error(r, STORE_EIO));
}

int awards_conflict(struct req *r)
{
	static const struct fspec spec[] = {{"reason", F_STR, F_REQ, 2, 500}, {NULL, 0, 0, 0, 0}};
	int64_t id = req_id(r, 0);
	json_t *n = panel_nomination(r, id);
	if (!n)
		return reply_error(r, 404, "not_found", "提名不存在", NULL);
	int st = body_check(r, spec);
	if (!st && strcmp(jstr(n, "scheme_state"), "reviewing"))
		st = reply_error(r, 409, "invalid_state", "评选不在评审阶段", NULL);
	json_decref(n);
	if (st)
		return st;
	int rc = store_award_conflict(id, r->account_id, jstr(r->json, "reason"), app_now());
	if (rc)
		return reply_store_error(r, rc);
	audit(r, "conflict", "award_nomination", id, NULL, json_pack("{s:I, s:s}", "account_id", (json_int_t)r->account_id,
								      "reason", jstr(r->json, "reason")));
	return reply_json(r, 200, awards_out(json_pack("{s:I, s:b}", "nomination_id", (json_int_t)id, "conflict", 1)));
}

int awards_vote(struct req *r)
{
	static const struct fspec spec[] = {
		{"score", F_INT, F_REQ, 1, 10},
		{"comment", F_STR, F_NULL, 0, 500},
		{NULL, 0, 0, 0, 0},
	};
	int64_t id = req_id(r, 0);
	json_t *n = panel_nomination(r, id);
	if (!n)
		return reply_error(r, 404, "not_found", "提名不存在", NULL);
	int st = body_check(r, spec);
	if (!st && strcmp(jstr(n, "scheme_state"), "reviewing"))
		st = reply_error(r, 409, "invalid_state", "评选不在评审阶段", NULL);
	json_decref(n);
	if (!st && store_award_has_conflict(id, r->account_id) == 1)
		st = reply_error(r, 409, "conflict_declared", "您已申报利益冲突，不能评分", NULL);
	if (st)
		return st;
	int score = (int)jint(r->json, "score", 0);
	int rc = store_award_vote(id, r->account_id, score, jstr(r->json, "comment"), app_now());
	if (rc)
		return reply_store_error(r, rc);
	json_t *after = json_pack("{s:I, s:I, s:i}", "nomination_id", (json_int_t)id, "account_id",
				  (json_int_t)r->account_id, "score", score);
	audit(r, "vote", "award_nomination", id, NULL, json_incref(after));
	return reply_json(r, 200, awards_out(after));
}

/* The public honour roll: names and the community, nothing personal. */
int awards_roll(struct req *r)
{
	json_t *items = store_award_roll(q_int(r, "year"));
	static const char *const t[] = {"decided_at", NULL};
	size_t i;
	json_t *x;
	json_array_foreach(items, i, x) render_times(x, t);
	return list_reply(r, awards_out(items), 500, "id");
}

int awards_certificate(struct req *r)
{
	int64_t id = req_id(r, 0);
	json_t *n = awards_out(store_award_nomination_get(id));
	if (n && strcmp(jstr(n, "state"), "awarded")) {
		json_decref(n);
		return reply_error(r, 409, "not_awarded", "该提名未获奖，没有证书", NULL);
	}
	if (!n)
		return reply_error(r, 404, "not_found", "提名不存在", NULL);
	char line[512], serial[64], date[32];
	int y = 0;
	unsigned m = 0, d = 0;	/* decided_at is rendered: "2026-12-08T…+08:00", China time */
	sscanf(jstr(n, "decided_at") ? jstr(n, "decided_at") : "", "%d-%u-%u", &y, &m, &d);
	snprintf(date, sizeof date, "%d 年 %u 月 %u 日", y, m, d);
	snprintf(serial, sizeof serial, "证书编号 HM-%lld-%06lld", (long long)jint(n, "scheme_year", 0), (long long)id);
	struct pdf_doc *doc = pdf_doc_new("荣誉证书");
	pdf_doc_framed(doc);
	pdf_doc_footer(doc, serial);
	pdf_doc_space(doc, 20);
	pdf_doc_center(doc, jstr(n, "nominee_name"), 28);
	pdf_doc_space(doc, 10);
	snprintf(line, sizeof line, "在 %lld 年度%s评选中，荣获", (long long)jint(n, "scheme_year", 0), jstr(n, "scheme_name"));
	pdf_doc_center(doc, line, 14);
	snprintf(line, sizeof line, "“%s”", jstr(n, "category_name"));
	pdf_doc_center(doc, line, 22);
	pdf_doc_center(doc, "特发此证，以资鼓励。", 14);
	pdf_doc_space(doc, 30);
	static const char *const label[] = {"花木街道精神文明建设办公室（盖章）"};
	pdf_doc_signatures(doc, 1, label, NULL, date);
	json_decref(n);
	buf_t out;
	buf_init(&out, 8u << 20);
	if (pdf_doc_finish(doc, &out)) {
		buf_free(&out);
		return reply_error(r, 500, "pdf_failed", "无法生成证书", NULL);
	}
	char cd[96];
	snprintf(cd, sizeof cd, "attachment; filename=\"honour-%lld.pdf\"", (long long)id);
	reply_header(r, "Content-Disposition", cd);
	int st = reply_raw(r, 200, "application/pdf", out.data, out.len, 0);
	buf_free(&out);
	return st;
}
