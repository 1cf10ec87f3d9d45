/*
 * bank_ledger.c — reading the love bank's ledger (bank.h): a member's own entries
 * and balance, the trial balance, the per-org report and the CSV export.
 */
#include "api.h"
#include "api/bank.h"	/* not src/store/bank.h */
#include "core/buf.h"
#include "core/csv.h"
#include "core/timefmt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *bank_entry_view(json_t *e)
{
	static const char *const t[] = {"created_at", NULL};
	render_times(e, t);
	return e;
}

int bank_me(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	int64_t before = q_int(r, "cursor");
	int64_t acc = store_bank_account_find("member", r->account_id);
	if (acc < 0)
		return reply_store_error(r, (int)acc);
	json_t *rows = acc ? store_bank_entries(acc, before, limit) : json_array();
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) bank_entry_view(x);
	json_t *out = page(rows, limit, "id");
	json_object_set_new(out, "balance", json_integer(acc ? store_bank_balance(acc) : 0));
	struct bank_cfg c;
	bank_cfg_load(&c);
	json_object_set_new(out, "rules", bank_cfg_json(&c));
	return reply_json(r, 200, out);
}

int bank_trial(struct req *r)
{
	json_t *t = store_bank_trial();
	if (!t)
		return reply_store_error(r, STORE_EIO);
	json_object_set_new(t, "balanced", json_boolean(jint(t, "sum", 1) == 0 &&
						       json_array_size(json_object_get(t, "mismatches")) == 0));
	return reply_json(r, 200, t);
}

/* Reports ---------------------------------------------------------------- */

static char *report_scope(struct req *r)
{
	json_t *p = grant_paths(r, R_OFFICE);
	char *s = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	return s;
}

/* Per org: what each issuer gave out and took back, what each provider took
 * in through redemptions (net of refunds). */
int bank_report(struct req *r)
{
	char *sp = report_scope(r);
	json_t *rows = store_bank_org_report(sp ? sp : "[]");
	free(sp);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	return reply_json(r, 200, json_pack("{s:o, s:n}", "items", rows, "next_cursor"));
}

static const char *kind_zh(const char *k)
{
	return !strcmp(k, "member") ? "个人" : !strcmp(k, "issuer") ? "发放" : "兑换单位";
}

/* The entries of the orgs in scope as CSV (UTF-8 with BOM for Excel),
 * oldest first; audited like every export (hence R_WRITE). */
int bank_ledger_csv(struct req *r)
{
	static const char *const head[] = {"分录号", "时间", "来源", "来源编号", "用途", "借方类型", "借方",
					   "贷方类型", "贷方", "积分", "冲销分录", "备注"};
	enum { NH = sizeof head / sizeof head[0] };
	char *sp = report_scope(r);
	buf_t b;
	buf_init(&b, 64u << 20);
	buf_puts(&b, "\xEF\xBB\xBF");
	for (int c = 0; c < NH; c++)
		csv_cell(&b, head[c], c == NH - 1);
	int64_t after = 0;
	int rc = 0, n = 0;
	for (;;) {
		json_t *rows = store_bank_ledger(sp ? sp : "[]", after, 1000);
		if (!rows) {
			rc = STORE_EIO;
			break;
		}
		size_t i;
		json_t *x;
		json_array_foreach(rows, i, x) {
			char id[24], at[40], src[24], amt[24], rev[24];
			snprintf(id, sizeof id, "%lld", (long long)jint(x, "id", 0));
			time_rfc3339(jint(x, "created_at", 0), at, sizeof at);
			snprintf(src, sizeof src, "%lld", (long long)jint(x, "source_id", 0));
			snprintf(amt, sizeof amt, "%lld", (long long)jint(x, "amount", 0));
			snprintf(rev, sizeof rev, "%lld", (long long)jint(x, "reverses_id", 0));
			const char *cells[] = {id, at, jstr(x, "source_kind"), src, jstr(x, "purpose"),
					       kind_zh(jstr(x, "debit_kind")), jstr(x, "debit_name"),
					       kind_zh(jstr(x, "credit_kind")), jstr(x, "credit_name"), amt,
					       jint(x, "reverses_id", 0) ? rev : NULL, jstr(x, "note")};
			for (int c = 0; c < NH; c++)
				csv_cell(&b, cells[c], c == NH - 1);
			after = jint(x, "id", 0);
			n++;
		}
		size_t got = json_array_size(rows);
		json_decref(rows);
		if (got < 1000 || b.overflow)
			break;
	}
	free(sp);
	if (!rc && b.overflow) {
		buf_free(&b);
		return reply_error(r, 413, "export_too_large", "导出内容过大", NULL);
	}
	if (!rc)
		rc = audit(r, "export", "bank_ledger", 0, NULL, json_pack("{s:s, s:i}", "format", "csv", "entries", n));
	if (rc) {
		buf_free(&b);
		return reply_store_error(r, rc);
	}
	reply_header(r, "Content-Disposition", "attachment; filename=\"bank-ledger.csv\"");
	reply_raw(r, 200, "text/csv; charset=utf-8", b.data, b.len, 0);
	buf_free(&b);
	return 200;
}
