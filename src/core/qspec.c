/*
 * qspec.c — the typed query declarations of routes.def (qspec.h): the parser
 * run once at startup, and the check of one value run by the dispatcher.
 * One vocabulary per type for every route: a bool is true/false/1/0, a date
 * YYYY-MM-DD, an id decimal digits from 1 — so no handler re-parses.
 */
#include "qspec.h"
#include "timefmt.h"
#include "validate.h"
#include <errno.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {
	[Q_INT] = "int", [Q_ID] = "id", [Q_IDLIST] = "idlist", [Q_CURSOR] = "cursor", [Q_TOKEN] = "token",
	[Q_BOOL] = "bool", [Q_DATE] = "date", [Q_TIME] = "time", [Q_ENUM] = "enum", [Q_NUM] = "num",
	[Q_TEXT] = "text",
};

const char *qtype_name(enum qtype t)
{
	return type_names[t];
}

/* A decimal integer, digits only after an optional '-'; 0 or -1. strtoll
 * alone would take spaces, '+' and saturate out of range. */
static int int_parse(const char *s, int64_t *out)
{
	int plain = (s[0] >= '0' && s[0] <= '9') || (s[0] == '-' && s[1] >= '0' && s[1] <= '9');
	if (!plain)
		return -1;
	char *end;
	errno = 0;
	long long n = strtoll(s, &end, 10);
	if (*end || errno == ERANGE)
		return -1;
	*out = n;
	return 0;
}

/* A plain decimal: an optional leading '-', digits and at most one '.' — no
 * exponent, hex, NaN or spaces: validate.c's coordinate scanner, unbounded. */
static int num_parse(const char *s, double *out)
{
	return coord_parse(s, DBL_MAX, out);
}

static int fail(char *err, size_t errn, const char *name, const char *why, const char *what)
{
	snprintf(err, errn, "query parameter '%s': %s '%s'", name, why, what);
	return -1;
}

/* "[a,b]" after a type: two integers (or numbers for num). */
static int bounds(const char *s, const char **end, struct qparam *p)
{
	if (*s != '[')
		return -1;
	const char *close = strchr(s, ']');
	const char *comma = strchr(s, ',');
	if (!close || close - s > 60)
		return -1;
	char a[64], b[64];
	if (comma && comma < close) {
		snprintf(a, sizeof a, "%.*s", (int)(comma - s - 1), s + 1);
		snprintf(b, sizeof b, "%.*s", (int)(close - comma - 1), comma + 1);
	} else {
		snprintf(a, sizeof a, "%.*s", (int)(close - s - 1), s + 1);
		b[0] = 0;
	}
	*end = close + 1;
	if (p->type == Q_NUM)
		return !b[0] || num_parse(a, &p->fmin) || num_parse(b, &p->fmax) || p->fmin > p->fmax ? -1 : 0;
	if (p->type == Q_INT)
		return !b[0] || int_parse(a, &p->min) || int_parse(b, &p->max) || p->min > p->max ? -1 : 0;
	/* text[N], token[N]: one cap */
	p->min = 0;
	return b[0] || int_parse(a, &p->max) || p->max < 1 || p->max > 2048 ? -1 : 0;
}

/* "(a,b,c)" after enum or bool: the words, kept space-separated. */
static int words(const char *s, const char **end, struct qparam *p)
{
	if (*s != '(')
		return -1;
	const char *close = strchr(s, ')');
	if (!close || close == s + 1 || (size_t)(close - s) >= sizeof p->words)
		return -1;
	size_t n = 0;
	for (const char *c = s + 1; c < close; c++) {
		char ch = *c == ',' ? ' ' : *c;
		if (ch != ' ' && ch != '_' && ch != '-' && !(ch >= 'a' && ch <= 'z') && !(ch >= '0' && ch <= '9'))
			return -1;
		if (ch == ' ' && (n == 0 || p->words[n - 1] == ' '))
			return -1;	/* an empty word */
		p->words[n++] = ch;
	}
	if (p->words[n - 1] == ' ')
		return -1;
	p->words[n] = 0;
	*end = close + 1;
	return 0;
}

/* One "name:type…" token of length n. */
static int param_parse(const char *tok, size_t n, struct qparam *p, char *err, size_t errn)
{
	char t[256];
	if (n >= sizeof t)
		return fail(err, errn, "?", "declaration too long", "");
	memcpy(t, tok, n);
	t[n] = 0;
	memset(p, 0, sizeof *p);
	char *colon = strchr(t, ':');
	if (!colon || colon == t || (size_t)(colon - t) >= sizeof p->name)
		return fail(err, errn, t, "expected name:type in", t);
	*colon = 0;
	for (const char *c = t; *c; c++)
		if (!(*c >= 'a' && *c <= 'z') && !(*c >= '0' && *c <= '9') && *c != '_')
			return fail(err, errn, t, "bad name", t);
	memcpy(p->name, t, (size_t)(colon - t) + 1);	/* shorter than p->name: checked above */
	const char *ty = colon + 1;
	size_t tn = strcspn(ty, "[(=");
	int k = -1;
	for (int i = 0; i < (int)(sizeof type_names / sizeof *type_names); i++)
		if (strlen(type_names[i]) == tn && !strncmp(ty, type_names[i], tn))
			k = i;
	if (k < 0)
		return fail(err, errn, p->name, "unknown type", ty);
	p->type = (enum qtype)k;
	const char *rest = ty + tn;
	switch (p->type) {
	case Q_INT:
	case Q_NUM:
	case Q_TEXT:
	case Q_TOKEN:
		if (bounds(rest, &rest, p))
			return fail(err, errn, p->name, "bad or missing bounds in", ty);
		break;
	case Q_ENUM:
		if (words(rest, &rest, p))
			return fail(err, errn, p->name, "bad or missing words in", ty);
		break;
	case Q_BOOL:
		if (*rest == '(' && (words(rest, &rest, p) || strchr(p->words, ' ')))
			return fail(err, errn, p->name, "bool takes one extra word, not", ty);
		break;
	case Q_ID:
	case Q_IDLIST:
	case Q_CURSOR:
		p->min = p->type == Q_CURSOR ? 0 : 1;
		p->max = INT64_MAX;
		break;
	default:
		break;
	}
	if (*rest == '=' && p->type == Q_INT) {
		if (int_parse(rest + 1, &p->dflt) || p->dflt < p->min || p->dflt > p->max)
			return fail(err, errn, p->name, "bad default in", ty);
		p->has_dflt = 1;
		rest += strlen(rest);
	}
	if (*rest)
		return fail(err, errn, p->name, "unexpected text in", ty);
	return 0;
}

int qspec_parse(const char *decl, struct qspec *out, char *err, size_t errn)
{
	memset(out, 0, sizeof *out);
	if (!strcmp(decl, "*")) {
		out->any = 1;
		return 0;
	}
	for (const char *s = decl; *s;) {
		if (*s == ' ') {
			s++;
			continue;
		}
		size_t n = strcspn(s, " ");
		if (out->n == QSPEC_MAX)
			return fail(err, errn, "?", "more than 16 parameters in", decl);
		if (param_parse(s, n, &out->p[out->n], err, errn))
			return -1;
		if (qspec_find(out, out->p[out->n].name))
			return fail(err, errn, out->p[out->n].name, "declared twice in", decl);
		out->n++;
		s += n;
	}
	return 0;
}

const struct qparam *qspec_find(const struct qspec *s, const char *name)
{
	for (int i = 0; s && i < s->n; i++)
		if (!strcmp(s->p[i].name, name))
			return &s->p[i];
	return NULL;
}

/* "应为 a、b 或 c" from the space-separated words. */
static void words_message(const char *w, char *msg, size_t n)
{
	size_t k = (size_t)snprintf(msg, n, "应为 ");
	int count = 1;
	for (const char *c = w; *c; c++)
		count += *c == ' ';
	int i = 0;
	for (const char *c = w; *c && k < n; i++) {
		size_t len = strcspn(c, " ");
		const char *sep = i == 0 ? "" : i == count - 1 ? " 或 " : "、";
		k += (size_t)snprintf(msg + k, n - k, "%s%.*s", sep, (int)len, c);
		c += len + (c[len] == ' ');
	}
}

static int in_words(const char *w, const char *v)
{
	size_t n = strlen(v);
	for (const char *c = w; *c;) {
		size_t len = strcspn(c, " ");
		if (len == n && !strncmp(c, v, n))
			return 1;
		c += len + (c[len] == ' ');
	}
	return 0;
}

static int idlist_check(const char *v, struct qval *out, int64_t *ids)
{
	out->n = 0;
	out->ids = ids;
	for (const char *c = v;;) {
		char one[24];
		size_t len = strcspn(c, ",");
		if (!len || len >= sizeof one || out->n == QSPEC_IDS)
			return -1;
		memcpy(one, c, len);
		one[len] = 0;
		if (int_parse(one, &ids[out->n]) || ids[out->n] < 1)
			return -1;
		out->n++;
		if (!c[len])
			return 0;
		c += len + 1;
	}
}

int qparam_check(const struct qparam *p, const char *v, struct qval *out, int64_t *ids, const char **code, char *msg,
		 size_t msgn)
{
	memset(out, 0, sizeof *out);
	out->s = v;
	*code = "invalid";
	switch (p->type) {
	case Q_INT:
	case Q_ID:
	case Q_CURSOR:
		if (int_parse(v, &out->i) || out->i < p->min || out->i > p->max) {
			if (p->type == Q_CURSOR)
				snprintf(msg, msgn, "无效的游标");
			else
				snprintf(msg, msgn, "应为 %lld 到 %lld 之间的整数", (long long)p->min, (long long)p->max);
			return -1;
		}
		break;
	case Q_IDLIST:
		if (idlist_check(v, out, ids)) {
			snprintf(msg, msgn, "应为以逗号分隔的编号（最多 %d 个）", QSPEC_IDS);
			return -1;
		}
		break;
	case Q_BOOL:
		if (!strcmp(v, "true") || !strcmp(v, "1"))
			out->i = 1;
		else if (!strcmp(v, "false") || !strcmp(v, "0"))
			out->i = 0;
		else if (p->words[0] && !strcmp(v, p->words))
			out->i = -1;
		else {
			snprintf(msg, msgn, p->words[0] ? "应为 true、false（或 1、0）或 %s" : "应为 true 或 false（或 1、0）",
				 p->words);
			return -1;
		}
		break;
	case Q_DATE:
		if (strlen(v) != 10 || time_parse(v, 1, &out->i)) {
			snprintf(msg, msgn, "应为 YYYY-MM-DD 日期");
			return -1;
		}
		break;
	case Q_TIME:
		if (time_parse(v, 1, &out->i)) {
			snprintf(msg, msgn, "应为 RFC 3339 时间或 YYYY-MM-DD 日期");
			return -1;
		}
		break;
	case Q_ENUM:
		if (!in_words(p->words, v)) {
			words_message(p->words, msg, msgn);
			return -1;
		}
		break;
	case Q_NUM:
		if (num_parse(v, &out->d) || out->d < p->fmin || out->d > p->fmax) {
			snprintf(msg, msgn, "应为 %g 到 %g 之间的小数", p->fmin, p->fmax);
			return -1;
		}
		break;
	case Q_TOKEN:
	case Q_TEXT: {
		long n = p->type == Q_TEXT ? utf8_length(v, strlen(v)) : (long)strlen(v);
		if (n > p->max) {
			*code = "too_long";
			snprintf(msg, msgn, "不能超过 %lld 个字符", (long long)p->max);
			return -1;
		}
		break;
	}
	}
	out->set = 1;
	return 0;
}
