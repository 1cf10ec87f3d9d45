/*
 * kpi_plan.c — the KPI roll-ups' planner (docs/KPI.md): which roll-up
 * tables answer a question, and how their rows compose into the answer.
 *
 * Two families of roll-ups hold the same figures (kpi_sql.c keeps both in
 * every problem write): the detailed rows (kpi_day / kpi_month: one per org,
 * handler unit and category) answer any question, filtered by the reader's
 * scope row by row; the subtree rows (kpi_org_day / kpi_org_month: one per
 * org and its whole subtree, along one dimension) answer a question about
 * whole subtrees with a handful of rows. The planner picks the subtree rows
 * when they can answer (tree_roots) and the detailed ones otherwise; both
 * give the same sums, which the API tests and GET /kpis/check hold to.
 *
 * A period is read as head days, whole months and tail days (core/period.h
 * period_split), so a year costs twelve month rows, not 365 day rows.
 */
#include "db.h"
#include "store.h"
#include "kpi.h"
#include "core/jsonx.h"
#include "core/period.h"
#include "core/timefmt.h"
#include <stdlib.h>
#include <string.h>

/* The roll-up rows' metric columns, in enum kpi_metric's order. */
static const char *const mcols[KPI_NMETRICS] = {"reported", "accepted", "closed", "close_secs", "due", "on_time",
						"rectifications", "reworks", "relapses", "sat", "basic", "dissat"};

static void sums_add_row(struct kpi_sums *s, const json_t *row)
{
	for (int i = 0; i < KPI_NMETRICS; i++)
		s->m[i] += jint(row, mcols[i], 0);
}

/* Puts the period of [from, to] into the filter as head days, whole months
 * and tail days (core/period.h). */
static void set_period(json_t *f, int64_t from, int64_t to)
{
	struct period_split s;
	period_split(from, to, &s);
	json_object_set_new(f, "h1", json_integer(s.head_from));
	json_object_set_new(f, "h2", json_integer(s.head_to));
	json_object_set_new(f, "m1", json_integer(s.month_from));
	json_object_set_new(f, "m2", json_integer(s.month_to));
	json_object_set_new(f, "t1", json_integer(s.tail_from));
	json_object_set_new(f, "t2", json_integer(s.tail_to));
}

static struct kpi_sums *sorted(struct kpi_sums *out, size_t *n, const char *group);

static int64_t path_last_id(const char *path)
{
	/* "/1/5/23/" → 23 */
	size_t n = strlen(path);
	if (n < 2)
		return 0;
	const char *e = path + n - 1, *b = e;
	while (b > path && b[-1] != '/')
		b--;
	return strtoll(b, NULL, 10);
}

/* An org kind at or above the 居委 level (its communities lie inside it). */
static int at_or_above_community(const char *kind)
{
	static const char *const kinds[] = {"city", "district", "street", "community"};
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (!strcmp(kind, kinds[i]))
			return 1;
	return 0;
}

/* When the question is about whole org subtrees along at most one of the
 * other dimensions (a handler unit or a category, filtered or grouped by),
 * for a reader scoped by org only, the subtree roll-ups answer it with one
 * row per org (and unit or category) and day or month (docs/KPI.md).
 * Returns the orgs whose subtrees make up the answer and fills *t, or NULL
 * when the detailed roll-ups must be used. *root_path (malloc'd) is set when
 * there is exactly one root. */
static json_t *tree_roots(const json_t *f, const char *group, char **root_path, struct kpi_tree *t)
{
	*root_path = NULL;
	json_t *h = json_object_get(f, "handler_org_id"), *c = json_object_get(f, "category_id");
	/* One dimension at a time: a unit or a category, filtered or grouped by. */
	int by_h = !strcmp(group, "handler"), by_c = !strcmp(group, "category");
	if (!strcmp(group, "org") || (h && c) || (by_h && c) || (by_c && h))
		return NULL;
	t->by_dim = by_h || by_c;
	t->dim = by_h || h ? "h" : by_c || c ? "c" : "-";
	t->dim_ids = h ? json_pack("[O]", h) : c ? kpi_category_ids(json_integer_value(c)) : NULL;
	if (c && !t->dim_ids)
		return NULL;
	int all = json_is_true(json_object_get(f, "scope_all"));
	const char *hp = jstr(f, "scope_handler_paths");
	if (!all && hp && strcmp(hp, "[]"))
		return NULL;	/* handler grants widen the scope by unit */
	json_t *paths = json_array();
	if (jstr(f, "org_path"))
		json_array_append_new(paths, json_string(jstr(f, "org_path")));
	else if (!all) {
		json_t *op = json_loads(jstr(f, "scope_org_paths") ? jstr(f, "scope_org_paths") : "[]", 0, NULL);
		size_t i, j;
		json_t *a, *b;
		json_array_foreach(op, i, a) {	/* drop paths inside another one */
			int inside = 0;
			json_array_foreach(op, j, b) {
				const char *pa = json_string_value(a), *pb = json_string_value(b);
				if (i != j && pa && pb && strlen(pb) <= strlen(pa) && !strncmp(pa, pb, strlen(pb)) &&
				    (strlen(pb) < strlen(pa) || j < i))
					inside = 1;
			}
			if (!inside)
				json_array_append(paths, a);
		}
		json_decref(op);
	}
	json_t *ids = NULL;
	if (json_array_size(paths) == 0 && all)
		ids = kpi_tree_orgs(NULL, 0);
	else {
		ids = json_array();
		size_t i;
		json_t *v;
		json_array_foreach(paths, i, v) json_array_append_new(ids, json_integer(path_last_id(json_string_value(v))));
	}
	if (ids && json_array_size(ids) == 1) {
		if (json_array_size(paths) == 1)
			*root_path = strdup(json_string_value(json_array_get(paths, 0)));
		else {
			char *p = store_org_path(json_integer_value(json_array_get(ids, 0)));
			*root_path = p;
		}
	}
	json_decref(paths);
	if (!ids) {
		json_decref(t->dim_ids);
		t->dim_ids = NULL;
	}
	if (ids && !strcmp(group, "community")) {
		/* One root at or above the 居委 level, so that its communities lie inside it. */
		json_t *k = json_array_size(ids) == 1 ? store_kpi_org_names(ids) : NULL;
		const char *kind = jstr(json_array_get(k, 0), "kind");
		int ok = *root_path && kind && at_or_above_community(kind);
		json_decref(k);
		if (!ok) {
			json_decref(ids);
			json_decref(t->dim_ids);
			t->dim_ids = NULL;
			free(*root_path);
			*root_path = NULL;
			return NULL;
		}
	}
	t->orgs = ids;
	return ids;
}

static struct kpi_sums *append(struct kpi_sums **a, size_t *n, size_t *cap, int64_t id)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct kpi_sums *b = realloc(*a, nc * sizeof *b);
		if (!b)
			return NULL;
		*a = b, *cap = nc;
	}
	memset(&(*a)[*n], 0, sizeof **a);
	(*a)[*n].id = id;
	return &(*a)[(*n)++];
}

/* The subtree path of store_kpi_grouped(): NULL on a store error (*n untouched). */
static struct kpi_sums *grouped_tree(const json_t *f, const char *group, struct kpi_tree *t, const char *root_path, size_t *n)
{
	struct kpi_sums *out = NULL, *s;
	size_t k = 0, cap = 0, i;
	json_t *row;
	json_t *rows = kpi_tree_sum(f, t);
	if (!rows)
		return NULL;
	if (t->by_dim) {	/* per handler unit or category, over the roots' subtrees */
		json_array_foreach(rows, i, row) {
			if (!(s = append(&out, &k, &cap, jint(row, "k", 0)))) {
				json_decref(rows);
				free(out);
				return NULL;
			}
			sums_add_row(s, row);
		}
		json_decref(rows);
		*n = k;
		return out ? out : calloc(1, sizeof *out);
	}
	struct kpi_sums total = {0};
	json_array_foreach(rows, i, row) sums_add_row(&total, row);
	json_decref(rows);
	if (!strcmp(group, "none")) {
		if (!(s = append(&out, &k, &cap, 0)))
			return NULL;
		*s = total;
		s->id = 0;
		*n = k;
		return out;
	}
	json_t *comms = kpi_tree_orgs(root_path, 1);
	struct kpi_tree ct = *t;
	ct.orgs = comms;
	rows = comms ? kpi_tree_sum(f, &ct) : NULL;
	json_decref(comms);
	if (!rows)
		return NULL;
	json_array_foreach(rows, i, row) {
		if (!(s = append(&out, &k, &cap, jint(row, "k", 0)))) {
			json_decref(rows);
			free(out);
			return NULL;
		}
		sums_add_row(s, row);
		for (int m = 0; m < KPI_NMETRICS; m++)
			total.m[m] -= s->m[m];
	}
	json_decref(rows);
	/* What lies under the root but in no 居委 (problems filed at street level). */
	if (!(s = append(&out, &k, &cap, json_integer_value(json_array_get(t->orgs, 0))))) {
		free(out);
		return NULL;
	}
	memcpy(s->m, total.m, sizeof s->m);
	*n = k;
	return out;
}

/* Sums over the period grouped by group (none, org, community, handler,
 * category), as a malloc'd array sorted by id, groups with nothing in the
 * period left out; *n its length. NULL on a store error. */
struct kpi_sums *store_kpi_grouped(json_t *f, int64_t from, int64_t to, const char *group, size_t *n)
{
	set_period(f, from, to);
	char *root_path = NULL;
	struct kpi_tree t = {0};
	json_t *roots = tree_roots(f, group, &root_path, &t);
	struct kpi_sums *tree = roots ? grouped_tree(f, group, &t, root_path, n) : NULL;
	json_decref(roots);
	json_decref(t.dim_ids);
	free(root_path);
	if (roots && !tree)
		return NULL;
	if (tree)
		return sorted(tree, n, group);
	json_t *rows = kpi_sum(f, !strcmp(group, "community") ? "org" : group);
	if (!rows)
		return NULL;
	json_t *comm = NULL;
	if (!strcmp(group, "community")) {
		/* Each org's sums go to the 居委 above it; orgs with none (the
		 * street itself) stay under their own id. */
		json_t *ids = json_array();
		size_t i;
		json_t *row;
		json_array_foreach(rows, i, row) json_array_append_new(ids, json_integer(jint(row, "k", 0)));
		comm = kpi_communities(ids);
		json_decref(ids);
		if (!comm) {
			json_decref(rows);
			return NULL;
		}
	}
	size_t cap = json_array_size(rows) + 1;
	struct kpi_sums *out = calloc(cap, sizeof *out);
	if (!out) {
		json_decref(rows);
		json_decref(comm);
		return NULL;
	}
	size_t k = 0, i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		int64_t id = jint(row, "k", 0);
		if (comm) {
			size_t j;
			json_t *c;
			json_array_foreach(comm, j, c) {
				if (jint(c, "org", 0) == id) {
					id = jint(c, "community", id);
					break;
				}
			}
		}
		size_t at = 0;
		while (at < k && out[at].id != id)
			at++;
		if (at == k)
			out[k++].id = id;
		sums_add_row(&out[at], row);
	}
	json_decref(rows);
	json_decref(comm);
	*n = k;
	return sorted(out, n, group);
}

/* Drops the groups with nothing in the period, keeps one (zero) row for
 * group "none", sorts by id. */
static struct kpi_sums *sorted(struct kpi_sums *out, size_t *n, const char *group)
{
	size_t k = 0;
	for (size_t i = 0; i < *n; i++) {
		int any = 0;
		for (int m = 0; m < KPI_NMETRICS; m++)
			any |= out[i].m[m] != 0;
		if (any)
			out[k++] = out[i];
	}
	if (!strcmp(group, "none")) {
		k = 1;	/* totals of nothing: zeros */
		if (!*n)
			memset(&out[0], 0, sizeof out[0]);
	}
	for (size_t a = 1; a < k; a++)	/* insertion sort by id: few rows */
		for (size_t b = a; b > 0 && out[b - 1].id > out[b].id; b--) {
			struct kpi_sums t = out[b];
			out[b] = out[b - 1];
			out[b - 1] = t;
		}
	*n = k;
	return out;
}

/* The roll-up rows of the trend's period, from the subtree roll-ups when
 * tree is set: per day over [from, to], or (months) per day over the
 * partial months at the ends and per whole month between. parts[] are set
 * (NULL where not read); 0, or -1 on a store error. */
static int series_parts(json_t *f, const struct kpi_tree *tree, int64_t from, int64_t to, int months,
			json_t *parts[3])
{
#define SERIES(m) (tree ? kpi_tree_series(f, tree, m) : kpi_series(f, m))
	struct period_split sp;
	period_split(from, to, &sp);
	int ok = 1;
	if (!months) {
		json_object_set_new(f, "h1", json_integer(from));
		json_object_set_new(f, "h2", json_integer(to));
		ok = (parts[0] = SERIES(0)) != NULL;
	} else {
		json_object_set_new(f, "h1", json_integer(sp.head_from));
		json_object_set_new(f, "h2", json_integer(sp.head_to));
		ok = (parts[0] = SERIES(0)) != NULL;
		json_object_set_new(f, "h1", json_integer(sp.tail_from));
		json_object_set_new(f, "h2", json_integer(sp.tail_to));
		ok = ok && (parts[1] = SERIES(0)) != NULL;
		json_object_set_new(f, "m1", json_integer(sp.month_from));
		json_object_set_new(f, "m2", json_integer(sp.month_to));
		ok = ok && (parts[2] = SERIES(1)) != NULL;
	}
#undef SERIES
	return ok ? 0 : -1;
}

struct kpi_sums *store_kpi_series(json_t *f, int64_t from, int64_t to, int months, size_t *n)
{
	char *root_path = NULL;
	struct kpi_tree tree = {0};
	json_t *roots = tree_roots(f, "none", &root_path, &tree);
	free(root_path);
	json_t *parts[3] = {NULL, NULL, NULL};
	int rc = series_parts(f, roots ? &tree : NULL, from, to, months, parts);
	json_decref(roots);
	json_decref(tree.dim_ids);
	size_t cap = 1;
	for (int p = 0; p < 3; p++)
		cap += json_array_size(parts[p]);
	struct kpi_sums *out = rc ? NULL : calloc(cap, sizeof *out);
	size_t k = 0;
	for (int p = 0; p < 3 && out; p++) {
		size_t i;
		json_t *row;
		json_array_foreach(parts[p], i, row) {
			int64_t id = jint(row, "k", 0);
			if (p == 2) {	/* yyyymm → the month's first day */
				int ym = (int)id;
				id = days_from_civil(ym / 100, (unsigned)(ym % 100), 1);
			}
			out[k].id = id;
			sums_add_row(&out[k++], row);
		}
	}
	for (int p = 0; p < 3; p++)
		json_decref(parts[p]);
	*n = k;
	return out;
}
