/*
 * pdf_doc.c — see pdf_doc.h. The blocks are stored first (copies of the
 * caller's strings), so the layout can run twice over the same content:
 * once into a PDF surface that discards its bytes, to count the pages,
 * then for real with "共 N 页" known. Both runs use PDF surfaces, so text
 * measures identically and the page breaks fall in the same places.
 */
#include "core/pdf_doc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "core/render.h"
#include "core/validate.h"

#define MM (72.0 / 25.4)
#define PAGE_W (210 * MM)
#define PAGE_H (297 * MM)
#define MARGIN (20 * MM)
#define PAD (1.2 * MM)
#define SERIF "Noto Serif CJK SC"
#define SANS "Noto Sans CJK SC"

enum kind { B_SUBTITLE, B_HEADING, B_PARA, B_CENTER, B_KV, B_SPACE, B_TABLE, B_ROW, B_SIGN };

struct block {
	enum kind k;
	int n;		/* strings in s */
	char **s;	/* entries may be NULL (empty cell, blank signer) */
	double num;	/* B_CENTER points, B_SPACE millimetres */
	double *share;	/* B_TABLE column shares, summing to 1 */
};

struct pdf_doc {
	char *title, *footer;
	int framed, bad, ncols;	/* ncols: the current table's, 0 = none */
	size_t text, nb, cap;
	struct block *b;
};

struct ctx {
	cairo_t *cr;
	const struct pdf_doc *d;
	const struct block *table;	/* the table whose rows are being drawn */
	int page, total;		/* total = 0 in the counting run */
	double y, left, right, top, bottom;
};

/* ---- building ---------------------------------------------------------- */

static char *dup_text(struct pdf_doc *d, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	if (utf8_length(s, n) < 0 || (d->text += n) > PDF_DOC_MAX_TEXT) {
		d->bad = 1;
		return NULL;
	}
	char *c = strdup(s);
	if (!c)
		d->bad = 1;
	return c;
}

/* Appends a block of n strings copied from s (NULL entries kept). */
static struct block *add(struct pdf_doc *d, enum kind k, int n, const char *const *s)
{
	if (!d || d->bad)
		return NULL;
	if (d->nb >= PDF_DOC_MAX_BLOCKS) {
		d->bad = 1;
		return NULL;
	}
	if (d->nb == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;
		struct block *nb = realloc(d->b, cap * sizeof *nb);
		if (!nb) {
			d->bad = 1;
			return NULL;
		}
		d->b = nb;
		d->cap = cap;
	}
	struct block *b = &d->b[d->nb];
	*b = (struct block){.k = k, .n = n};
	if (n && !(b->s = calloc((size_t)n, sizeof *b->s))) {
		d->bad = 1;
		return NULL;
	}
	d->nb++;
	for (int i = 0; i < n; i++)
		if (s[i] && !(b->s[i] = dup_text(d, s[i])))
			return NULL;
	return b;
}

struct pdf_doc *pdf_doc_new(const char *title)
{
	if (!title || utf8_length(title, strlen(title)) < 0 || strlen(title) > 1000)
		return NULL;
	struct pdf_doc *d = calloc(1, sizeof *d);
	if (d && !(d->title = strdup(title))) {
		free(d);
		return NULL;
	}
	return d;
}

void pdf_doc_framed(struct pdf_doc *d)
{
	if (d)
		d->framed = 1;
}

void pdf_doc_footer(struct pdf_doc *d, const char *text)
{
	if (!d || d->bad)
		return;
	free(d->footer);
	d->footer = dup_text(d, text);
}

static void one(struct pdf_doc *d, enum kind k, const char *text)
{
	if (!text && d)
		d->bad = 1;
	add(d, k, 1, &text);
}

void pdf_doc_subtitle(struct pdf_doc *d, const char *text) { one(d, B_SUBTITLE, text); }
void pdf_doc_heading(struct pdf_doc *d, const char *text) { one(d, B_HEADING, text); }
void pdf_doc_para(struct pdf_doc *d, const char *text) { one(d, B_PARA, text); }

void pdf_doc_center(struct pdf_doc *d, const char *text, double pt)
{
	if (d && !(pt >= 6 && pt <= 48))
		d->bad = 1;
	one(d, B_CENTER, text);
	if (d && !d->bad)
		d->b[d->nb - 1].num = pt;
}

void pdf_doc_kv(struct pdf_doc *d, const char *key, const char *value)
{
	const char *s[2] = {key, value ? value : ""};
	if (!key && d)
		d->bad = 1;
	add(d, B_KV, 2, s);
}

void pdf_doc_space(struct pdf_doc *d, double mm)
{
	if (d && !(mm >= 0 && mm <= 100))
		d->bad = 1;
	struct block *b = add(d, B_SPACE, 0, NULL);
	if (b)
		b->num = mm;
}

void pdf_doc_table(struct pdf_doc *d, int ncols, const char *const *head, const double *share)
{
	if (!d || d->bad)
		return;
	if (ncols < 1 || ncols > PDF_DOC_MAX_COLS || !head) {
		d->bad = 1;
		return;
	}
	double sum = 0;
	for (int i = 0; share && i < ncols; i++)
		if (!(share[i] > 0 && share[i] <= 1000))
			d->bad = 1;
		else
			sum += share[i];
	struct block *b = d->bad ? NULL : add(d, B_TABLE, ncols, head);
	if (!b || !(b->share = malloc((size_t)ncols * sizeof *b->share))) {
		d->bad = 1;
		return;
	}
	for (int i = 0; i < ncols; i++)
		b->share[i] = share ? share[i] / sum : 1.0 / ncols;
	d->ncols = ncols;
}

void pdf_doc_row(struct pdf_doc *d, const char *const *cells)
{
	if (d && (!d->ncols || !cells))
		d->bad = 1;
	add(d, B_ROW, d ? d->ncols : 0, cells);
}

void pdf_doc_signatures(struct pdf_doc *d, int n, const char *const *labels, const char *const *names,
			const char *date)
{
	if (!d || d->bad)
		return;
	if (n < 1 || n > 3 || !labels) {
		d->bad = 1;
		return;
	}
	const char *s[7] = {0};
	for (int i = 0; i < n; i++) {
		s[i] = labels[i] ? labels[i] : "";
		s[n + i] = names ? names[i] : NULL;
	}
	s[2 * n] = date;
	struct block *b = add(d, B_SIGN, 2 * n + 1, s);
	if (b)
		b->num = n;
}

void pdf_doc_free(struct pdf_doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nb; i++) {
		for (int j = 0; j < d->b[i].n; j++)
			free(d->b[i].s[j]);
		free(d->b[i].s);
		free(d->b[i].share);
	}
	free(d->b);
	free(d->title);
	free(d->footer);
	free(d);
}

/* ---- text ------------------------------------------------------------- */

static PangoLayout *layout(cairo_t *cr, const char *font, double w, const char *text, PangoAlignment al)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	PangoContext *pc = pango_layout_get_context(l);
	pango_context_set_language(pc, pango_language_from_string("zh-cn"));
	pango_cairo_context_set_resolution(pc, 72);	/* font sizes in PDF points (pango assumes 96 dpi) */
	pango_layout_context_changed(l);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, al);
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

static double height_of(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* Draws text at (x, y) in width w when draw is set; returns its height. */
static double text_at(cairo_t *cr, const char *font, double x, double y, double w, const char *text,
		      PangoAlignment al, int draw)
{
	PangoLayout *l = layout(cr, font, w, text, al);
	if (draw) {
		cairo_move_to(cr, x, y);
		pango_cairo_show_layout(cr, l);
	}
	double h = height_of(l);
	g_object_unref(l);
	return h;
}

/* ---- layout ----------------------------------------------------------- */

static void frame(cairo_t *cr)
{
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0.62, 0.1, 0.1);
	cairo_set_line_width(cr, 2.2);
	cairo_rectangle(cr, MARGIN, MARGIN, PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN);
	cairo_stroke(cr);
	cairo_set_line_width(cr, 0.6);
	cairo_rectangle(cr, MARGIN + 1.6 * MM, MARGIN + 1.6 * MM, PAGE_W - 2 * MARGIN - 3.2 * MM,
			PAGE_H - 2 * MARGIN - 3.2 * MM);
	cairo_stroke(cr);
	cairo_restore(cr);
}

static void footer(struct ctx *x)
{
	char s[1200];	/* total is 0 in the counting run: same place, same height */
	snprintf(s, sizeof s, "%.1000s%s第 %d 页 / 共 %d 页", x->d->footer ? x->d->footer : "",
		 x->d->footer ? "　　" : "", x->page, x->total);
	cairo_set_source_rgb(x->cr, 0.4, 0.4, 0.4);
	text_at(x->cr, SANS " 9", x->left, PAGE_H - MARGIN - 7 * MM, x->right - x->left, s, PANGO_ALIGN_CENTER, 1);
	cairo_set_source_rgb(x->cr, 0, 0, 0);
}

static void new_page(struct ctx *x)
{
	if (x->page) {
		footer(x);
		cairo_show_page(x->cr);
	}
	x->page++;
	if (x->d->framed)
		frame(x->cr);
	x->y = x->top;
}

/* A new page unless h fits below y (or y is already the top: too tall for
 * any page, it is drawn and clipped rather than looping). */
static void ensure(struct ctx *x, double h)
{
	if (x->y + h > x->bottom && x->y > x->top)
		new_page(x);
}

static void draw_block_text(struct ctx *x, const char *font, const char *text, PangoAlignment al, double before,
			    double after, double keep)
{
	double w = x->right - x->left;
	double h = text_at(x->cr, font, x->left, 0, w, text, al, 0);
	x->y += before;
	ensure(x, h + keep);
	x->y += text_at(x->cr, font, x->left, x->y, w, text, al, 1) + after;
}

static void col_x(const struct ctx *x, const struct block *t, double *xs)
{
	double at = x->left, w = x->right - x->left;
	for (int i = 0; i < t->n; i++) {
		xs[i] = at;
		at += w * t->share[i];
	}
	xs[t->n] = x->right;
}

/* One table row (the header when head is set); on a new page the header is
 * drawn again first. A cell is cut at 30 lines so a row always fits a page. */
static void row(struct ctx *x, const struct block *t, char *const *cells, int head, int shade)
{
	cairo_t *cr = x->cr;
	double xs[PDF_DOC_MAX_COLS + 1], h = 0;
	PangoLayout *l[PDF_DOC_MAX_COLS];
	col_x(x, t, xs);
	for (int i = 0; i < t->n; i++) {
		l[i] = layout(cr, head ? SANS " Bold 9.5" : SANS " 9.5", xs[i + 1] - xs[i] - 2 * PAD, cells[i],
			      head ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
		pango_layout_set_height(l[i], -30);
		pango_layout_set_ellipsize(l[i], PANGO_ELLIPSIZE_END);
		double hi = height_of(l[i]);
		h = hi > h ? hi : h;
	}
	h += 2 * PAD;
	if (x->y + h > x->bottom && x->y > x->top) {
		for (int i = 0; i < t->n; i++)
			g_object_unref(l[i]);
		new_page(x);
		if (!head)
			row(x, t, t->s, 1, 0);
		row(x, t, cells, head, shade);
		return;
	}
	if (head || shade) {
		cairo_set_source_rgb(cr, head ? 0.93 : 0.975, head ? 0.89 : 0.965, head ? 0.86 : 0.955);
		cairo_rectangle(cr, x->left, x->y, x->right - x->left, h);
		cairo_fill(cr);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int i = 0; i < t->n; i++) {
		cairo_move_to(cr, xs[i] + PAD, x->y + PAD);
		pango_cairo_show_layout(cr, l[i]);
		g_object_unref(l[i]);
	}
	cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
	cairo_set_line_width(cr, 0.5);
	cairo_rectangle(cr, x->left, x->y, x->right - x->left, h);
	for (int i = 1; i < t->n; i++) {
		cairo_move_to(cr, xs[i], x->y);
		cairo_line_to(cr, xs[i], x->y + h);
	}
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	x->y += h;
}

/* Signature blocks side by side; measured first so the whole moves to a
 * new page when it does not fit. */
static double signatures(struct ctx *x, const struct block *b, int draw)
{
	int n = (int)b->num;
	double gap = 8 * MM, w = (x->right - x->left - gap * (n - 1)) / n, tallest = 0;
	const char *date = b->s[2 * n];
	char when[200];
	snprintf(when, sizeof when, "日期：%.150s", date ? date : "______年____月____日");
	for (int i = 0; i < n; i++) {
		double cx = x->left + i * (w + gap), y = x->y;
		char who[600];
		snprintf(who, sizeof who, "签字：%.500s", b->s[n + i] ? b->s[n + i] : "____________________");
		y += text_at(x->cr, SERIF " Bold 12", cx, y, w, b->s[i] ? b->s[i] : "", PANGO_ALIGN_LEFT, draw) + 10 * MM;
		y += text_at(x->cr, SERIF " 12", cx, y, w, who, PANGO_ALIGN_LEFT, draw) + 4 * MM;
		y += text_at(x->cr, SERIF " 12", cx, y, w, when, PANGO_ALIGN_LEFT, draw);
		tallest = y - x->y > tallest ? y - x->y : tallest;
	}
	return tallest;
}

static void render_block(struct ctx *x, const struct block *b, int *shade)
{
	PangoAlignment head_al = x->d->framed ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT;
	char kv[1 << 12];
	switch (b->k) {
	case B_SUBTITLE:
		cairo_set_source_rgb(x->cr, 0.35, 0.35, 0.35);
		draw_block_text(x, SANS " 11", b->s[0], PANGO_ALIGN_CENTER, 0, 5 * MM, 0);
		cairo_set_source_rgb(x->cr, 0, 0, 0);
		break;
	case B_HEADING:	/* kept with ~20 mm of what follows */
		draw_block_text(x, SERIF " Bold 13", b->s[0], head_al, 3 * MM, 2 * MM, 20 * MM);
		break;
	case B_PARA:
		draw_block_text(x, SERIF " 11.5", b->s[0], PANGO_ALIGN_LEFT, 0, 2.5 * MM, 0);
		break;
	case B_CENTER: {
		char font[64];
		snprintf(font, sizeof font, SERIF " %.1f", b->num);
		draw_block_text(x, font, b->s[0], PANGO_ALIGN_CENTER, 0, 3 * MM, 0);
		break;
	}
	case B_KV:
		snprintf(kv, sizeof kv, "%.1000s：%.3000s", b->s[0], b->s[1] ? b->s[1] : "");
		draw_block_text(x, SERIF " 11.5", kv, PANGO_ALIGN_LEFT, 0, 1.5 * MM, 0);
		break;
	case B_SPACE:
		x->y += b->num * MM;
		break;
	case B_TABLE:
		x->y += 1 * MM;
		ensure(x, 25 * MM);
		x->table = b;
		*shade = 0;
		row(x, b, b->s, 1, 0);
		break;
	case B_ROW:
		row(x, x->table, b->s, 0, (*shade)++ & 1);
		break;
	case B_SIGN:
		x->y += 8 * MM;
		ensure(x, signatures(x, b, 0));
		x->y += signatures(x, b, 1) + 3 * MM;
		break;
	}
}

/* One full layout run; returns the number of pages (0 on a cairo error). */
static int render(cairo_surface_t *s, const struct pdf_doc *d, int total)
{
	double inset = d->framed ? 8 * MM : 0;
	struct ctx x = {.d = d, .total = total, .left = MARGIN + inset, .right = PAGE_W - MARGIN - inset,
			.top = MARGIN + inset, .bottom = PAGE_H - MARGIN - 10 * MM};
	int shade = 0;
	x.cr = cairo_create(s);
	new_page(&x);
	cairo_set_source_rgb(x.cr, 0.62, 0.1, 0.1);
	draw_block_text(&x, SERIF " Bold 20", d->title, PANGO_ALIGN_CENTER, d->framed ? 10 * MM : 0, 5 * MM, 0);
	cairo_set_source_rgb(x.cr, 0, 0, 0);
	for (size_t i = 0; i < d->nb; i++) {
		if (i && d->b[i - 1].k == B_ROW && d->b[i].k != B_ROW)
			x.y += 4 * MM;	/* after a table */
		render_block(&x, &d->b[i], &shade);
	}
	footer(&x);
	cairo_show_page(x.cr);
	int ok = cairo_status(x.cr) == CAIRO_STATUS_SUCCESS;
	cairo_destroy(x.cr);
	return ok ? x.page : 0;
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len)
{
	(void)closure;
	(void)data;
	(void)len;
	return CAIRO_STATUS_SUCCESS;
}

int pdf_doc_finish(struct pdf_doc *d, buf_t *out)
{
	if (!d || !out || d->bad) {
		pdf_doc_free(d);
		return -1;
	}
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(discard, NULL, PAGE_W, PAGE_H);
	int pages = render(s, d, 0);
	cairo_surface_finish(s);
	cairo_surface_destroy(s);
	int rc = -1;
	if (pages) {
		s = cairo_pdf_surface_create_for_stream(render_to_buf, out, PAGE_W, PAGE_H);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, d->title);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "wenming");
		rc = render(s, d, pages) == pages ? 0 : -1;
		cairo_surface_finish(s);
		if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS || buf_failed(out))
			rc = -1;
		cairo_surface_destroy(s);
	}
	pdf_doc_free(d);
	return rc;
}
