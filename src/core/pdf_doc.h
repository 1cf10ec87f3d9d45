/*
 * pdf_doc.h — a plain A4 document as PDF, for the reports and letters that
 * are not the volunteer certificate (certificate.c has its own layout): the
 * 双报到 quarterly feedback, the 目标责任书, honour certificates.
 *
 * Build the document block by block, then pdf_doc_finish renders it (twice:
 * once to count the pages for "第 p 页 / 共 N 页") and frees it. Text is
 * plain UTF-8 (no markup; escaping is done here). Errors are sticky: a
 * block that cannot be stored (out of memory, invalid UTF-8, over the
 * limits) marks the document bad, and finish then returns -1 without
 * writing. Layout: Noto Serif/Sans CJK SC, 20 mm margins; a table's header
 * row repeats on every page; a signature block never splits across pages.
 * Not thread-safe per document; documents on different threads are fine
 * (pango's font map is shared, render.h).
 *
 *   struct pdf_doc *d = pdf_doc_new("双报到党员服务情况季度反馈表");
 *   pdf_doc_subtitle(d, "2026 年第四季度");
 *   pdf_doc_kv(d, "报到单位", "浦发银行花木支行");
 *   static const char *const head[] = {"姓名", "服务次数", "时长"};
 *   static const double share[] = {0.5, 0.25, 0.25};
 *   pdf_doc_table(d, 3, head, share);
 *   pdf_doc_row(d, (const char *const[]){"张志愿", "3", "7.5"});
 *   if (pdf_doc_finish(d, &out)) …
 */
#ifndef WM_PDF_DOC_H
#define WM_PDF_DOC_H
#include <stddef.h>
#include "core/buf.h"

#define PDF_DOC_MAX_COLS 12
#define PDF_DOC_MAX_BLOCKS 50000	/* rows count as blocks */
#define PDF_DOC_MAX_TEXT (4u << 20)	/* bytes of text in all blocks */

struct pdf_doc;

/* A new document whose first page starts with `title` (also the PDF's
 * metadata title). NULL when out of memory or the title is not UTF-8. */
struct pdf_doc *pdf_doc_new(const char *title);

/* A double frame around every page and centred headings (certificates). */
void pdf_doc_framed(struct pdf_doc *d);
/* Text at the left of every page's footer, e.g. a serial number. */
void pdf_doc_footer(struct pdf_doc *d, const char *text);

/* A line under the title, centred, grey. */
void pdf_doc_subtitle(struct pdf_doc *d, const char *text);
/* A section heading. */
void pdf_doc_heading(struct pdf_doc *d, const char *text);
/* A paragraph, wrapped; "\n" starts a new line. */
void pdf_doc_para(struct pdf_doc *d, const char *text);
/* Centred text at `pt` points (6–48), e.g. a name on a certificate. */
void pdf_doc_center(struct pdf_doc *d, const char *text, double pt);
/* "key：value" on one line (wrapped when long). */
void pdf_doc_kv(struct pdf_doc *d, const char *key, const char *value);
/* Vertical space in millimetres (0–100). */
void pdf_doc_space(struct pdf_doc *d, double mm);

/* Starts a table of `ncols` (1–PDF_DOC_MAX_COLS) columns: their headers and
 * relative widths (weights in (0, 1000], e.g. {2, 1, 1}; NULL: equal). Rows
 * follow. */
void pdf_doc_table(struct pdf_doc *d, int ncols, const char *const *head, const double *share);
/* One row of the current table: ncols cells (NULL cells print empty). A
 * row without a table marks the document bad. */
void pdf_doc_row(struct pdf_doc *d, const char *const *cells);

/* n (1–3) signature blocks side by side: each its label (e.g. "甲方（盖章）"),
 * then optional signer names (NULL: a blank line to sign on) and a date line. */
void pdf_doc_signatures(struct pdf_doc *d, int n, const char *const *labels, const char *const *names,
			const char *date);

/* Renders into out and frees d (also on failure). 0 on success; -1 when
 * the document is bad, cairo fails or out overflowed. */
int pdf_doc_finish(struct pdf_doc *d, buf_t *out);
/* Frees d without rendering. */
void pdf_doc_free(struct pdf_doc *d);
#endif
