/*
 * xlsx_read.c — see xlsx_read.h. The path to the first sheet follows the
 * package's relationships (xl/workbook.xml's first <sheet r:id> →
 * xl/_rels/workbook.xml.rels), with xl/worksheets/sheet1.xml as the fallback;
 * the shared strings part likewise. Each part is streamed from libzip into
 * xmlReader through a read callback that counts inflated bytes, so a zip bomb
 * stops at the cap whatever sizes its directory claims, and nothing but the
 * shared strings and one row is held in memory. Documents with a DTD are
 * refused (no entity expansion at all) and the network is never used.
 */
#include "core/xlsx_read.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "core/buf.h"
#include "core/timefmt.h"
#include "core/validate.h"

#define E_NOTXLSX "文件不是有效的 Excel（.xlsx）文件"
#define E_BOMB "文件解压后超过 64 MiB，可能已损坏，或是压缩炸弹"
#define E_XML "表格内容已损坏（XML 无法解析）"
#define E_MEM "内存不足"

struct rd {
	zip_t *za;
	size_t total;		/* inflated bytes so far, all parts */
	char *err;
	size_t errlen;
	int failed;		/* err already set */
};

static void set_err(struct rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(struct rd *r, const char *fmt, ...)
{
	if (r->failed)
		return;
	r->failed = 1;
	if (!r->err || !r->errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	/* A part name or cell reference from the file, cut by the buffer or by
	 * "%.16s", may end inside a UTF-8 character; the message goes into a JSON
	 * answer, so the broken tail is dropped (found by fuzz/fuzz_xlsx.c). */
	size_t n = strlen(r->err);
	while (n && utf8_length(r->err, n) < 0)
		r->err[--n] = 0;
}

struct part {
	struct rd *r;
	zip_file_t *zf;
};

static int part_read(void *ctx, char *buf, int len)
{
	struct part *p = ctx;
	if (len <= 0)
		return 0;
	zip_int64_t n = zip_fread(p->zf, buf, (zip_uint64_t)len);
	if (n < 0) {
		set_err(p->r, E_NOTXLSX "（压缩数据损坏）");
		return -1;
	}
	p->r->total += (size_t)n;
	if (p->r->total > XLSX_MAX_UNCOMPRESSED) {
		set_err(p->r, E_BOMB);
		return -1;
	}
	return (int)n;
}

static int part_close(void *ctx)
{
	struct part *p = ctx;
	zip_fclose(p->zf);
	free(p);
	return 0;
}

/* Parse errors are answered by our own message, not printed on stderr. */
static void quiet(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

/* An xmlReader over one part; NULL (err set unless the part is merely
 * missing and optional) on failure. */
static xmlTextReaderPtr open_part(struct rd *r, const char *name, int optional)
{
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat(r->za, name, 0, &st) != 0) {
		if (!optional)
			set_err(r, "文件中缺少 %s，可能不是 Excel 表格", name);
		return NULL;
	}
	if ((st.valid & ZIP_STAT_SIZE) && st.size > XLSX_MAX_UNCOMPRESSED - r->total) {
		set_err(r, E_BOMB);
		return NULL;
	}
	struct part *p = calloc(1, sizeof *p);
	if (!p) {
		set_err(r, E_MEM);
		return NULL;
	}
	p->r = r;
	p->zf = zip_fopen(r->za, name, 0);
	if (!p->zf) {
		free(p);
		set_err(r, E_NOTXLSX "（无法解压 %s）", name);
		return NULL;
	}
	xmlTextReaderPtr x = xmlReaderForIO(part_read, part_close, p, name, NULL,
					    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!x)
		set_err(r, E_MEM);	/* xmlReaderForIO closed p */
	else
		xmlTextReaderSetStructuredErrorHandler(x, quiet, NULL);
	return x;
}

/* Steps the reader; 1 node, 0 end, -1 error (err set). DTDs are refused. */
static int next(struct rd *r, xmlTextReaderPtr x)
{
	int rc = xmlTextReaderRead(x);
	if (rc < 0) {
		set_err(r, E_XML);
		return -1;
	}
	if (rc == 1 && xmlTextReaderNodeType(x) == XML_READER_TYPE_DOCUMENT_TYPE) {
		set_err(r, E_XML "：不允许 DTD");
		return -1;
	}
	return rc;
}

static int is_start(xmlTextReaderPtr x, const char *local)
{
	return xmlTextReaderNodeType(x) == XML_READER_TYPE_ELEMENT &&
	       !strcmp((const char *)xmlTextReaderConstLocalName(x), local);
}

static int is_end(xmlTextReaderPtr x, const char *local)
{
	return xmlTextReaderNodeType(x) == XML_READER_TYPE_END_ELEMENT &&
	       !strcmp((const char *)xmlTextReaderConstLocalName(x), local);
}

static int is_text(xmlTextReaderPtr x)
{
	int t = xmlTextReaderNodeType(x);
	return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
	       t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || t == XML_READER_TYPE_WHITESPACE;
}

/* The value of the attribute with this local name (any namespace), malloc'd;
 * for r:id, whose prefix varies between writers. */
static char *attr_local(xmlTextReaderPtr x, const char *local, int need_prefix)
{
	char *v = NULL;
	if (xmlTextReaderMoveToFirstAttribute(x) == 1) {
		do {
			if (!strcmp((const char *)xmlTextReaderConstLocalName(x), local) &&
			    (!need_prefix || xmlTextReaderConstPrefix(x))) {
				v = strdup((const char *)xmlTextReaderConstValue(x));
				break;
			}
		} while (xmlTextReaderMoveToNextAttribute(x) == 1);
		xmlTextReaderMoveToElement(x);
	}
	return v;
}

static char *attr(xmlTextReaderPtr x, const char *name)
{
	return (char *)xmlTextReaderGetAttribute(x, (const xmlChar *)name);
}

/* "worksheets/sheet1.xml" relative to xl/, or "/xl/…" absolute → zip name. */
static char *part_name(const char *target)
{
	size_t n = strlen(target) + 4;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s%s", target[0] == '/' ? "" : "xl/", target[0] == '/' ? target + 1 : target);
	return s;
}

/* Finds the first sheet's and the shared strings' part names. Missing
 * pieces leave the conventional names; only XML errors and the cap fail. */
static int locate_parts(struct rd *r, char **sheet, char **strings)
{
	char *rid = NULL;
	xmlTextReaderPtr x = open_part(r, "xl/workbook.xml", 1);
	int rc = 0;
	if (x) {
		while ((rc = next(r, x)) == 1)
			if (is_start(x, "sheet")) {
				rid = attr_local(x, "id", 1);
				break;
			}
		xmlFreeTextReader(x);
		if (rc < 0)
			return -1;
	} else if (r->failed)
		return -1;
	x = open_part(r, "xl/_rels/workbook.xml.rels", 1);
	if (x) {
		while ((rc = next(r, x)) == 1) {
			if (!is_start(x, "Relationship"))
				continue;
			char *id = attr(x, "Id"), *type = attr(x, "Type"), *target = attr(x, "Target");
			size_t tl = type ? strlen(type) : 0;
			if (target && rid && id && !strcmp(id, rid) && !*sheet)
				*sheet = part_name(target);
			else if (target && tl >= 14 && !strcmp(type + tl - 14, "/sharedStrings") && !*strings)
				*strings = part_name(target);
			xmlFree(id);
			xmlFree(type);
			xmlFree(target);
		}
		xmlFreeTextReader(x);
	} else if (r->failed)
		rc = -1;
	free(rid);
	if (rc < 0)
		return -1;
	if (!*sheet)
		*sheet = strdup("xl/worksheets/sheet1.xml");
	if (!*strings)
		*strings = strdup("xl/sharedStrings.xml");
	if (!*sheet || !*strings) {
		set_err(r, E_MEM);
		return -1;
	}
	return 0;
}

struct strings {
	char **s;
	size_t n, alloc;
};

static void strings_free(struct strings *ss)
{
	for (size_t i = 0; i < ss->n; i++)
		free(ss->s[i]);
	free(ss->s);
}

/* The text of one <si> or <is>: every <t> except those in phonetic runs. */
static int read_rich_text(struct rd *r, xmlTextReaderPtr x, const char *end_name, buf_t *b)
{
	if (xmlTextReaderIsEmptyElement(x))
		return 0;
	int in_t = 0, in_rph = 0, rc;
	while ((rc = next(r, x)) == 1) {
		if (is_end(x, end_name))
			return 0;
		if (is_start(x, "rPh") && !xmlTextReaderIsEmptyElement(x))
			in_rph = 1;
		else if (is_end(x, "rPh"))
			in_rph = 0;
		else if (is_start(x, "t") && !xmlTextReaderIsEmptyElement(x))
			in_t = 1;
		else if (is_end(x, "t"))
			in_t = 0;
		else if (in_t && !in_rph && is_text(x) &&
			 buf_puts(b, (const char *)xmlTextReaderConstValue(x))) {
			set_err(r, E_BOMB);
			return -1;
		}
	}
	if (rc == 0)
		set_err(r, E_XML);
	return -1;
}

static int load_strings(struct rd *r, const char *name, struct strings *ss)
{
	xmlTextReaderPtr x = open_part(r, name, 1);
	if (!x)
		return r->failed ? -1 : 0;
	int rc;
	buf_t b;
	buf_init(&b, XLSX_MAX_UNCOMPRESSED);
	while ((rc = next(r, x)) == 1) {
		if (!is_start(x, "si"))
			continue;
		b.len = 0;
		if (buf_puts(&b, "") || read_rich_text(r, x, "si", &b)) {
			set_err(r, E_MEM);
			rc = -1;
			break;
		}
		if (ss->n == XLSX_MAX_STRINGS) {
			set_err(r, "表格的共享字符串超过 %d 个", XLSX_MAX_STRINGS);
			rc = -1;
			break;
		}
		if (ss->n == ss->alloc) {
			size_t na = ss->alloc ? ss->alloc * 2 : 256;
			char **ns = realloc(ss->s, na * sizeof *ns);
			if (!ns) {
				set_err(r, E_MEM);
				rc = -1;
				break;
			}
			ss->s = ns;
			ss->alloc = na;
		}
		if (!(ss->s[ss->n] = strdup(b.data))) {
			set_err(r, E_MEM);
			rc = -1;
			break;
		}
		ss->n++;
	}
	buf_free(&b);
	xmlFreeTextReader(x);
	return rc < 0 ? -1 : 0;
}

/* "BC12" → column 54 (0-based) in *col; the row number is not needed here.
 * -1 for anything that is not letters followed by digits within XFD. */
static int col_of_ref(const char *ref, size_t *col)
{
	size_t c = 0, letters = 0;
	const char *p = ref;
	for (; *p >= 'A' && *p <= 'Z'; p++, letters++) {
		c = c * 26 + (size_t)(*p - 'A' + 1);
		if (letters >= 3)
			return -1;
	}
	if (!letters || c > XLSX_MAX_COLS)
		return -1;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	*col = c - 1;
	return 0;
}

struct row {
	char **cell;		/* NULL = empty */
	size_t n, alloc;	/* n = one past the last column set */
};

static void row_clear(struct row *rw)
{
	for (size_t i = 0; i < rw->n; i++) {
		free(rw->cell[i]);
		rw->cell[i] = NULL;
	}
	rw->n = 0;
}

static int row_set(struct row *rw, size_t col, char *v)
{
	if (col >= rw->alloc) {
		size_t na = rw->alloc ? rw->alloc : 32;
		while (na <= col)
			na *= 2;
		char **nc = realloc(rw->cell, na * sizeof *nc);
		if (!nc)
			return -1;
		memset(nc + rw->alloc, 0, (na - rw->alloc) * sizeof *nc);
		rw->cell = nc;
		rw->alloc = na;
	}
	free(rw->cell[col]);
	rw->cell[col] = v;
	if (col >= rw->n)
		rw->n = col + 1;
	return 0;
}

/* Calls fn with the row's cells; rows with nothing in them are skipped. */
static int row_emit(struct row *rw, size_t rownum, xlsx_row_fn fn, void *ctx)
{
	size_t n = rw->n;
	while (n && (!rw->cell[n - 1] || !*rw->cell[n - 1]))
		n--;
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!rw->cell[i] && !(rw->cell[i] = strdup("")))
			return -1;
	return fn(ctx, rownum, (const char *const *)rw->cell, n);
}

/* One <c> (the reader is on its start tag): its value, malloc'd, in *out. */
static int read_cell(struct rd *r, xmlTextReaderPtr x, const struct strings *ss, char **out)
{
	char *type = attr(x, "t");
	buf_t b;
	buf_init(&b, XLSX_MAX_UNCOMPRESSED);
	int rc = buf_puts(&b, ""), in_v = 0, got_v = 0;
	if (!rc && !xmlTextReaderIsEmptyElement(x))
		for (;;) {
			if ((rc = next(r, x)) != 1) {
				rc = -1;	/* the document ended inside <c> */
				break;
			}
			rc = 0;
			if (is_end(x, "c"))
				break;
			if (is_start(x, "is"))
				rc = read_rich_text(r, x, "is", &b);
			else if (is_start(x, "v") && !xmlTextReaderIsEmptyElement(x))
				in_v = got_v = 1;
			else if (is_end(x, "v"))
				in_v = 0;
			else if (in_v && is_text(x))
				rc = buf_puts(&b, (const char *)xmlTextReaderConstValue(x)) ? -1 : 0;
			if (rc)
				break;
		}
	if (!rc && type && !strcmp(type, "s") && got_v) {
		char *e;
		unsigned long long i = strtoull(b.data, &e, 10);
		if (e == b.data || *e || i >= ss->n) {
			set_err(r, "表格内容已损坏：共享字符串编号无效");
			rc = -1;
		} else {
			b.len = 0;
			rc = buf_puts(&b, ss->s[i]);
		}
	} else if (!rc && type && !strcmp(type, "b") && got_v) {
		int t = !strcmp(b.data, "1");
		b.len = 0;
		rc = buf_puts(&b, t ? "TRUE" : "FALSE");
	}
	xmlFree(type);
	if (rc) {
		set_err(r, E_XML);
		buf_free(&b);
		return -1;
	}
	*out = b.data;	/* b.data is always set: buf_puts("") above */
	return 0;
}

static int read_sheet(struct rd *r, const char *name, const struct strings *ss, xlsx_row_fn fn, void *ctx)
{
	xmlTextReaderPtr x = open_part(r, name, 0);
	if (!x)
		return -1;
	struct row rw = {0};
	size_t rownum = 0, col = 0;
	int rc, in_row = 0, stop = 0;
	while ((rc = next(r, x)) == 1) {
		if (is_start(x, "row")) {
			char *ref = attr(x, "r");
			size_t n = rownum + 1;
			if (ref) {
				char *e;
				unsigned long long v = strtoull(ref, &e, 10);
				n = e == ref || *e || v == 0 || v > 1048576 ? 0 : (size_t)v;
				xmlFree(ref);
			}
			if (!n) {
				set_err(r, "表格内容已损坏：行号无效");
				rc = -1;
				break;
			}
			rownum = n;
			row_clear(&rw);
			col = 0;
			in_row = !xmlTextReaderIsEmptyElement(x);
		} else if (in_row && is_start(x, "c")) {
			char *ref = attr(x, "r");
			if (ref && col_of_ref(ref, &col)) {
				set_err(r, "表格内容已损坏：第 %zu 行单元格位置“%.16s”无效", rownum, ref);
				xmlFree(ref);
				rc = -1;
				break;
			}
			if (!ref && col >= XLSX_MAX_COLS) {
				set_err(r, "第 %zu 行列数超过 %d", rownum, XLSX_MAX_COLS);
				rc = -1;
				break;
			}
			xmlFree(ref);
			char *v;
			if (read_cell(r, x, ss, &v)) {
				rc = -1;
				break;
			}
			if (row_set(&rw, col, v)) {
				free(v);
				set_err(r, E_MEM);
				rc = -1;
				break;
			}
			col++;
		} else if (in_row && is_end(x, "row")) {
			in_row = 0;
			if ((stop = row_emit(&rw, rownum, fn, ctx)) != 0)
				break;
		}
	}
	if (rc == 0 && r->failed)	/* the reader may end quietly after an I/O error */
		rc = -1;
	row_clear(&rw);
	free(rw.cell);
	xmlFreeTextReader(x);
	if (stop)
		return stop;
	return rc < 0 ? -1 : 0;
}

int xlsx_read_rows(const void *data, size_t len, xlsx_row_fn fn, void *ctx, char *err, size_t errlen)
{
	struct rd r = {.err = err, .errlen = errlen};
	if (err && errlen)
		err[0] = 0;
	if (!fn) {
		set_err(&r, "内部错误：参数无效");
		return -1;
	}
	if (!data || len < 4) {
		set_err(&r, E_NOTXLSX "（文件为空或过短）");
		return -1;
	}
	if (!memcmp(data, "\xD0\xCF\x11\xE0", 4)) {
		set_err(&r, "这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中另存为 .xlsx 后再导入");
		return -1;
	}
	if (memcmp(data, "PK\x03\x04", 4)) {
		set_err(&r, E_NOTXLSX);
		return -1;
	}
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		zip_error_fini(&ze);
		set_err(&r, E_MEM);
		return -1;
	}
	r.za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	zip_error_fini(&ze);
	if (!r.za) {
		zip_source_free(src);
		set_err(&r, E_NOTXLSX "（压缩包已损坏）");
		return -1;
	}
	char *sheet = NULL, *strname = NULL;
	struct strings ss = {0};
	int rc = locate_parts(&r, &sheet, &strname);
	if (!rc)
		rc = load_strings(&r, strname, &ss);
	if (!rc)
		rc = read_sheet(&r, sheet, &ss, fn, ctx);
	strings_free(&ss);
	free(sheet);
	free(strname);
	zip_discard(r.za);
	if (rc == -1 && !r.failed)
		set_err(&r, E_NOTXLSX);
	return rc;
}

int xlsx_serial_date(const char *cell, int *y, unsigned *m, unsigned *d)
{
	if (!cell || !*cell)
		return -1;
	char *e;
	double v = strtod(cell, &e);
	/* 61 = 1900-03-01 (Excel's phantom 1900-02-29 lies below); 2958465 = 9999-12-31 */
	if (*e || !(v >= 61 && v < 2958466))
		return -1;
	civil_from_days((int64_t)v - 25569, y, m, d);
	return 0;
}
