/*
 * fuzz_csv.c — csv_read_rows (csv.c), the reader behind every CSV import
 * (volunteers, sites, service records, categories), and csv_cell, the writer
 * of every CSV export. Properties: every cell handed to the callback is
 * valid UTF-8 and within the caps; row numbers only grow; reading back what
 * csv_cell wrote for those rows gives the same cells (with the apostrophe
 * that csv_cell puts before a formula-like cell, and nothing else changed).
 */
#include "fuzz.h"
#include "core/csv.h"
#include "core/validate.h"
#include <string.h>

struct rows {
	size_t last_row, nrows;
	buf_t out;		/* the rows written back with csv_cell */
	const char *const *want;	/* second pass: expected cells, flattened */
	size_t want_n, seen;
};

static int formula_like(const char *s)
{
	return *s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r';
}

static int first_pass(void *ctx, size_t row, const char *const *cells, size_t ncells)
{
	struct rows *r = ctx;
	CHECK(row > r->last_row);
	r->last_row = row;
	r->nrows++;
	CHECK(ncells >= 1 && ncells <= CSV_MAX_CELLS);
	int empty = 1;
	for (size_t i = 0; i < ncells; i++) {
		size_t n = strlen(cells[i]);
		CHECK(n <= CSV_MAX_CELL);
		CHECK(utf8_length(cells[i], n) >= 0);
		empty &= n == 0;
		CHECK(csv_cell(&r->out, cells[i], i + 1 == ncells) == 0);
	}
	CHECK(!empty || ncells > 1);	/* records with nothing in them are skipped */
	return 0;
}

/* Second pass over the written rows: cell i of the flattened list, with an
 * apostrophe before formula-like ones. */
static int second_pass(void *ctx, size_t row, const char *const *cells, size_t ncells)
{
	(void)row;
	struct rows *r = ctx;
	for (size_t i = 0; i < ncells; i++) {
		CHECK(r->seen < r->want_n);
		const char *w = r->want[r->seen++];
		if (formula_like(w))
			CHECK(cells[i][0] == '\'' && !strcmp(cells[i] + 1, w));
		else
			CHECK(!strcmp(cells[i], w));
	}
	return 0;
}

struct flat {
	char **cells;
	size_t n, cap;
};

static int flatten(void *ctx, size_t row, const char *const *cells, size_t ncells)
{
	(void)row;
	struct flat *f = ctx;
	for (size_t i = 0; i < ncells; i++) {
		if (f->n == f->cap) {
			f->cap = f->cap ? f->cap * 2 : 64;
			f->cells = realloc(f->cells, f->cap * sizeof *f->cells);
			CHECK(f->cells);
		}
		f->cells[f->n++] = strdup(cells[i]);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 60 * 1024)	/* below CSV_MAX_CELL, so written-back cells fit too */
		return 0;
	struct rows r = {0};
	buf_init(&r.out, 64u << 20);
	char err[256] = "";
	int rc = csv_read_rows((const char *)data, size, first_pass, &r, err, sizeof err);
	CHECK(rc == 0 || rc == -1);
	if (rc == -1)
		CHECK(err[0] && utf8_length(err, strlen(err)) >= 0);
	if (rc == 0 && r.nrows) {
		struct flat f = {0};
		CHECK(csv_read_rows((const char *)data, size, flatten, &f, NULL, 0) == 0);
		r.want = (const char *const *)f.cells;
		r.want_n = f.n;
		CHECK(csv_read_rows(r.out.data, r.out.len, second_pass, &r, err, sizeof err) == 0);
		CHECK(r.seen == r.want_n);
		for (size_t i = 0; i < f.n; i++)
			free(f.cells[i]);
		free(f.cells);
	}
	buf_free(&r.out);
	return 0;
}
