/*
 * volunteer_import.h — the rows of a volunteer register (CSV or XLSX, the
 * template's Chinese or English headings), parsed, validated and sealed the
 * same way for POST /api/v1/volunteers/import (volunteer_files.c: one file,
 * all or nothing, at most 10,000 rows) and for `wenming import volunteers`
 * (a million rows streamed from disk in batches; docs/VOLUNTEERS.md).
 */
#ifndef WM_VOLUNTEER_IMPORT_H
#define WM_VOLUNTEER_IMPORT_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum { VI_NAME, VI_ID, VI_PHONE, VI_TYPE, VI_SKILLS, VI_AREAS, VI_ADDRESS, VI_NCOLS };
/* Return codes of the row reader besides 0 and the parser's own errors. */
enum { VI_BAD_HEADER = 2, VI_TOO_MANY = 3 };

struct vimport {
	size_t max_rows;	/* 0 = no limit */
	/* Called for every data row: errors is a non-empty array of field
	 * errors, or NULL and person is the sealed people row (kinds set) with
	 * vtype and areas. Borrowed references; non-zero stops the reading. */
	int (*row)(void *ctx, size_t rowno, json_t *errors, json_t *person, const char *vtype, json_t *areas);
	/* The earlier row with this ID hash, or 0 when new (and remembered). */
	size_t (*seen)(void *ctx, const char *id_hash, size_t rowno);
	void *ctx;
	/* Filled while reading. */
	int col[VI_NCOLS];
	int header_seen;
	size_t rows;
};

/* A csv_row_fn / xlsx row callback over struct vimport. */
int vimport_row(void *vi, size_t rowno, const char *const *cells, size_t n);
/* Reads data (CSV, or XLSX when it starts like a zip). 0, VI_BAD_HEADER (also
 * for a file without any row), VI_TOO_MANY, a callback's stop value, or
 * another non-zero parser error with a message in err. */
int vimport_read(struct vimport *vi, const char *data, size_t len, char *err, size_t errlen);

/* `wenming import volunteers`: the register in path into org, in write
 * transactions of `batch` rows; without valid_only every row is checked
 * first and nothing is written if one is wrong. Progress and errors go to
 * stderr, the summary to stdout. Returns the process exit code. */
int volunteers_import_file(const char *path, int64_t org, int valid_only, int batch);
#endif
