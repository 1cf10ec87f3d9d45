/* csv.c — see csv.h. */
#include "csv.h"
#include "validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int csv_cell(buf_t *b, const char *s, int last)
{
	int rc = 0;
	if (s && *s) {
		int formula = strchr("=+-@\t\r", s[0]) != NULL;
		/* A cell starting with U+FEFF is quoted: unquoted at the start of a
		 * file it would be read back as the BOM and dropped (fuzz_csv). */
		int bom = !strncmp(s, "\xEF\xBB\xBF", 3);
		int quote = formula || bom || strpbrk(s, ",\"\r\n") != NULL;
		if (quote)
			rc |= buf_append(b, "\"", 1);
		if (formula)
			rc |= buf_append(b, "'", 1);
		for (const char *p = s; *p; p++)
			rc |= *p == '"' ? buf_append(b, "\"\"", 2) : buf_append(b, p, 1);
		if (quote)
			rc |= buf_append(b, "\"", 1);
	}
	rc |= last ? buf_append(b, "\r\n", 2) : buf_append(b, ",", 1);
	return rc;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/*
 * One pass over the text. The cells of the current record are kept in one
 * buffer as consecutive NUL-terminated strings (offsets in off[]), so a record
 * costs no allocation beyond the buffer's growth; pointers are made just
 * before the callback, when the buffer no longer moves.
 */
int csv_read_rows(const char *data, size_t len, csv_row_fn fn, void *ctx, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = 0;
	if (!fn || (!data && len)) {
		set_err(err, errlen, "内部错误：参数无效");
		return -1;
	}
	if (!len)
		return 0;
	const char *p = data, *end = data + len;
	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	if (memchr(p, 0, (size_t)(end - p))) {
		set_err(err, errlen, "文件含有 NUL 字节，不是文本 CSV");
		return -1;
	}
	if (utf8_length(p, (size_t)(end - p)) < 0) {
		set_err(err, errlen, "文件不是 UTF-8 编码（可能是 GBK），请另存为“CSV UTF-8”后再导入");
		return -1;
	}

	buf_t b;
	buf_init(&b, (size_t)CSV_MAX_CELLS * (CSV_MAX_CELL + 1));
	size_t *off = malloc(CSV_MAX_CELLS * sizeof *off);
	const char **cells = malloc(CSV_MAX_CELLS * sizeof *cells);
	int rc = 0;
	size_t row = 0;
	if (!off || !cells) {
		set_err(err, errlen, "内存不足");
		rc = -1;
		goto out;
	}
	while (p < end) {
		size_t n = 0, nonempty = 0;
		row++;
		b.len = 0;
		for (;;) {	/* one cell */
			if (n == CSV_MAX_CELLS) {
				set_err(err, errlen, "第 %zu 行：列数超过 %d", row, CSV_MAX_CELLS);
				rc = -1;
				goto out;
			}
			off[n] = b.len;
			size_t start = b.len;
			if (p < end && *p == '"') {
				p++;
				for (;;) {
					const char *q = p;
					while (q < end && *q != '"')
						q++;
					if (q >= end) {
						set_err(err, errlen, "第 %zu 行：引号未闭合", row);
						rc = -1;
						goto out;
					}
					if (buf_append(&b, p, (size_t)(q - p)))
						goto cap;
					if (q + 1 < end && q[1] == '"') {
						if (buf_append(&b, "\"", 1))
							goto cap;
						p = q + 2;
						continue;
					}
					p = q + 1;
					break;
				}
				if (p < end && *p != ',' && *p != '\n' && *p != '\r') {
					set_err(err, errlen, "第 %zu 行第 %zu 列：引号后有多余字符", row, n + 1);
					rc = -1;
					goto out;
				}
			} else {
				const char *q = p;
				while (q < end && *q != ',' && *q != '\n' && *q != '\r')
					q++;
				if (buf_append(&b, p, (size_t)(q - p)))
					goto cap;
				p = q;
			}
			if (b.len - start > CSV_MAX_CELL)
				goto cap;
			if (b.len > start)
				nonempty++;
			if (buf_append(&b, "", 1))
				goto cap;
			n++;
			if (p < end && *p == ',') {
				p++;
				continue;
			}
			break;
		}
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
		if (nonempty == 0)
			continue;
		for (size_t i = 0; i < n; i++)
			cells[i] = b.data + off[i];
		rc = fn(ctx, row, cells, n);
		if (rc)
			goto out;
	}
	goto out;
cap:
	set_err(err, errlen, "第 %zu 行：单元格超过 %d 字节", row, CSV_MAX_CELL);
	rc = -1;
out:
	free(off);
	free(cells);
	buf_free(&b);
	return rc;
}
