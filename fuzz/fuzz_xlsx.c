/*
 * fuzz_xlsx.c — xlsx_read_rows (xlsx_read.c), the .xlsx reader of the
 * imports. Byte-level mutation of a zip rarely gets past its headers, so the
 * input is usually the package's XML parts, zipped here (stored, so their
 * bytes are what the reader's XML parser sees): parts separated by a line
 * "@@@", in the order workbook.xml, _rels/workbook.xml.rels,
 * worksheets/sheet1.xml, sharedStrings.xml. An input starting with "PK" is
 * handed over as a raw zip instead. Properties: cells are valid UTF-8, at most
 * XLSX_MAX_COLS, no trailing empty cell, at least one non-empty; row
 * numbers are positive; an error comes with a message.
 */
#include "fuzz.h"
#include "core/validate.h"
#include "core/xlsx_read.h"
#include <string.h>
#include <zip.h>

static const char *const part_names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
					 "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"};

struct seen {
	size_t last_row;
};

static int on_row(void *ctx, size_t row, const char *const *cells, size_t ncells)
{
	struct seen *s = ctx;
	CHECK(row >= 1);	/* in file order: a file may list rows out of order */
	s->last_row = row;
	CHECK(ncells >= 1 && ncells <= XLSX_MAX_COLS);
	CHECK(cells[ncells - 1][0] != 0);
	for (size_t i = 0; i < ncells; i++)
		CHECK(utf8_length(cells[i], strlen(cells[i])) >= 0);
	int y;
	unsigned m, d;
	if (xlsx_serial_date(cells[0], &y, &m, &d) == 0)
		CHECK(y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31);
	return 0;
}

/* The parts zipped in memory; NULL when libzip refuses. */
static void *zip_parts(const uint8_t *data, size_t size, size_t *out_len)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *za = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
	zip_error_fini(&ze);
	if (!za) {
		zip_source_free(src);
		return NULL;
	}
	zip_source_keep(src);
	const char *p = (const char *)data, *end = p + size;
	for (size_t k = 0; k < 4 && p <= end; k++) {
		const char *sep = memmem(p, (size_t)(end - p), "\n@@@\n", 5);
		const char *e = sep ? sep : end;
		zip_source_t *ps = zip_source_buffer(za, p, (zip_uint64_t)(e - p), 0);
		zip_int64_t idx = ps ? zip_file_add(za, part_names[k], ps, ZIP_FL_OVERWRITE) : -1;
		if (idx < 0)
			zip_source_free(ps);
		else
			zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
		if (!sep)
			break;
		p = sep + 5;
	}
	void *out = NULL;
	if (zip_close(za) == 0 && zip_source_open(src) == 0) {
		zip_stat_t st;
		if (zip_source_stat(src, &st) == 0 && (out = malloc(st.size ? st.size : 1))) {
			*out_len = (size_t)zip_source_read(src, out, st.size);
		}
		zip_source_close(src);
	} else
		zip_discard(za);
	zip_source_free(src);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 256 * 1024)
		return 0;
	void *zipped = NULL;
	size_t len = size;
	const void *in = data;
	if (!(size >= 2 && data[0] == 'P' && data[1] == 'K')) {
		zipped = zip_parts(data, size, &len);
		if (!zipped)
			return 0;
		in = zipped;
	}
	struct seen s = {0};
	char err[256] = "";
	int rc = xlsx_read_rows(in, len, on_row, &s, err, sizeof err);
	CHECK(rc == 0 || rc == -1);
	if (rc == -1 && !(err[0] && utf8_length(err, strlen(err)) >= 0))
		fprintf(stderr, "error message: [%s]\n", err);
	if (rc == -1)
		CHECK(err[0] && utf8_length(err, strlen(err)) >= 0);
	free(zipped);
	return 0;
}
