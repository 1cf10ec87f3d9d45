/*
 * certificate.c — see certificate.h. The layout runs twice: once into a PDF
 * surface that throws its bytes away, to count the pages for "共 N 页", then
 * for real. Both runs use PDF surfaces, so text measures the same way.
 *
 * Page (A4, 20 mm margins): a double frame; on page 1 the title, the serial
 * at the top right and the statement paragraph; then the records table,
 * whose header row repeats on every page; after it the closing block
 * (特此证明, issuer, stamp area, date), moved whole to a new page when it does
 * not fit; the footer with serial and page numbers.
 */
#include "core/certificate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "core/star.h"
#include "core/render.h"
#include "core/timefmt.h"
#include "core/validate.h"

#define MM (72.0 / 25.4)
#define PAGE_W (210 * MM)
#define PAGE_H (297 * MM)
#define MARGIN (20 * MM)
#define LEFT (MARGIN + 6 * MM)
#define RIGHT (PAGE_W - MARGIN - 6 * MM)
#define TOP (MARGIN + 8 * MM)
#define BOTTOM (PAGE_H - MARGIN - 12 * MM)	/* content stops here; the footer sits below */
#define PAD (1.2 * MM)

#define SERIF "Noto Serif CJK SC"
#define SANS "Noto Sans CJK SC"

enum { C_NO, C_DATE, C_ACT, C_PLACE, C_HOURS, NCOL };
static const char *const col_head[NCOL] = {"序号", "日期", "活动名称", "服务地点", "时长"};
/* column widths as shares of the table width */
static const double col_share[NCOL] = {0.07, 0.17, 0.38, 0.26, 0.12};

struct ctx {
	cairo_t *cr;
	const struct cert_info *c;
	int page, total;	/* total = 0 in the counting run */
	double y;
	char date[40], hours[32];
};

/* "12.5", "100", "0.25": at most two decimals, no trailing zeros. */
static void fmt_hours(double h, char *out, size_t n)
{
	snprintf(out, n, "%.2f", h);
	char *dot = strchr(out, '.');
	if (dot) {
		char *e = out + strlen(out) - 1;
		while (e > dot && *e == '0')
			*e-- = 0;
		if (e == dot)
			*e = 0;
	}
}

static PangoLayout *layout(cairo_t *cr, const char *font, double w, int markup, const char *text,
			   PangoAlignment al, int max_lines)
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
	if (max_lines) {
		pango_layout_set_height(l, -max_lines);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	}
	if (markup)
		pango_layout_set_markup(l, text, -1);
	else
		pango_layout_set_text(l, text, -1);
	return l;
}

static double height_of(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* Draws text at (x, y) in width w; returns its height. */
static double draw_text(cairo_t *cr, const char *font, double x, double y, double w, int markup, const char *text,
			PangoAlignment al)
{
	PangoLayout *l = layout(cr, font, w, markup, text, al, 0);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	double h = height_of(l);
	g_object_unref(l);
	return h;
}

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
	char s[256];	/* total is 0 in the counting run: same place, same height */
	snprintf(s, sizeof s, "证明编号：%s　　第 %d 页 / 共 %d 页", x->c->serial, x->page, x->total);
	cairo_set_source_rgb(x->cr, 0.4, 0.4, 0.4);
	draw_text(x->cr, SANS " 9", LEFT, PAGE_H - MARGIN - 9 * MM, RIGHT - LEFT, 0, s, PANGO_ALIGN_CENTER);
	cairo_set_source_rgb(x->cr, 0, 0, 0);
}

static void new_page(struct ctx *x)
{
	if (x->page) {
		footer(x);
		cairo_show_page(x->cr);
	}
	x->page++;
	frame(x->cr);
	x->y = TOP;
	if (x->page > 1) {
		char s[512];
		snprintf(s, sizeof s, "志愿服务证明（续）　%s", x->c->name);
		cairo_set_source_rgb(x->cr, 0.3, 0.3, 0.3);
		x->y += draw_text(x->cr, SERIF " 11", LEFT, x->y, RIGHT - LEFT, 0, s, PANGO_ALIGN_LEFT) + 3 * MM;
		cairo_set_source_rgb(x->cr, 0, 0, 0);
	}
}

static const char *const cn_digit[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};

static void first_page_head(struct ctx *x)
{
	const struct cert_info *c = x->c;
	cairo_t *cr = x->cr;
	char s[256];
	snprintf(s, sizeof s, "编号：%s", c->serial);
	cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
	draw_text(cr, SANS " 9", LEFT, x->y, RIGHT - LEFT, 0, s, PANGO_ALIGN_RIGHT);
	x->y += 8 * MM;
	cairo_set_source_rgb(cr, 0.62, 0.1, 0.1);
	x->y += draw_text(cr, SERIF " Bold 32", LEFT, x->y, RIGHT - LEFT, 0, "志愿服务证明", PANGO_ALIGN_CENTER);
	cairo_set_source_rgb(cr, 0, 0, 0);
	x->y += 9 * MM;

	/* The statement: one paragraph of markup, every value escaped. */
	char stars[128] = "";
	if (c->stars > 0) {
		size_t o = 0;
		int shown = c->stars > 5 ? c->stars : 5;
		for (int i = 0; i < shown && o + 4 < sizeof stars; i++)
			o += (size_t)snprintf(stars + o, sizeof stars - o, "%s", i < c->stars ? "★" : "☆");
	}
	char *who = c->id_masked && *c->id_masked
		? g_markup_printf_escaped("<b>%s</b>（身份证号：%s）", c->name, c->id_masked)
		: g_markup_printf_escaped("<b>%s</b>", c->name);
	char *org = c->org && *c->org ? g_markup_printf_escaped("系<b>%s</b>志愿者，", c->org) : g_strdup("");
	char *level = c->stars > 0
		? g_strdup_printf("星级认定为<b>%s星级志愿者</b>（<span foreground=\"#b8860b\">%s</span>）", cn_digit[c->stars], stars)
		: g_strdup("尚未达到星级认定标准");
	char *para = g_strdup_printf("　　兹证明 %s %s截至 %s，经志愿服务信息系统记录，累计参加志愿服务 "
				     "<b>%s</b> 小时，%s。", who, org, x->date, x->hours, level);
	x->y += draw_text(cr, SERIF " 14", LEFT + 4 * MM, x->y, RIGHT - LEFT - 8 * MM, 1, para, PANGO_ALIGN_LEFT);
	g_free(who);
	g_free(org);
	g_free(level);
	g_free(para);
	x->y += 8 * MM;
}

static void col_x(double *xs)
{
	double w = RIGHT - LEFT, at = LEFT;
	for (int i = 0; i < NCOL; i++) {
		xs[i] = at;
		at += w * col_share[i];
	}
	xs[NCOL] = RIGHT;
}

/* One table row (header when head is set); moves to a new page (repeating
 * the header) when it does not fit. */
static void table_row(struct ctx *x, const char *const *cells, int head, int shade);

static void table_header(struct ctx *x)
{
	table_row(x, col_head, 1, 0);
}

static void table_row(struct ctx *x, const char *const *cells, int head, int shade)
{
	cairo_t *cr = x->cr;
	double xs[NCOL + 1];
	col_x(xs);
	PangoLayout *l[NCOL];
	double h = 0;
	for (int i = 0; i < NCOL; i++) {
		PangoAlignment al = i == C_ACT || i == C_PLACE ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER;
		if (head)
			al = PANGO_ALIGN_CENTER;
		l[i] = layout(cr, head ? SANS " Bold 9.5" : SANS " 9.5", xs[i + 1] - xs[i] - 2 * PAD, 0, cells[i], al, 4);
		double hi = height_of(l[i]);
		if (hi > h)
			h = hi;
	}
	h += 2 * PAD;
	if (x->y + h > BOTTOM) {
		for (int i = 0; i < NCOL; i++)
			g_object_unref(l[i]);
		new_page(x);
		if (!head)
			table_header(x);
		table_row(x, cells, head, shade);
		return;
	}
	if (head || shade) {
		cairo_set_source_rgb(cr, head ? 0.93 : 0.975, head ? 0.89 : 0.965, head ? 0.86 : 0.955);
		cairo_rectangle(cr, LEFT, x->y, RIGHT - LEFT, h);
		cairo_fill(cr);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int i = 0; i < NCOL; i++) {
		cairo_move_to(cr, xs[i] + PAD, x->y + PAD);
		pango_cairo_show_layout(cr, l[i]);
		g_object_unref(l[i]);
	}
	cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
	cairo_set_line_width(cr, 0.5);
	cairo_rectangle(cr, LEFT, x->y, RIGHT - LEFT, h);
	for (int i = 1; i < NCOL; i++) {
		cairo_move_to(cr, xs[i], x->y);
		cairo_line_to(cr, xs[i], x->y + h);
	}
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	x->y += h;
}

static void table(struct ctx *x)
{
	const struct cert_info *c = x->c;
	if (!c->n)
		return;
	char s[200];
	snprintf(s, sizeof s, "志愿服务记录（%zu 条，时长单位：小时）", c->n);
	if (x->y + 30 * MM > BOTTOM)
		new_page(x);
	x->y += draw_text(x->cr, SERIF " Bold 13", LEFT, x->y, RIGHT - LEFT, 0, s, PANGO_ALIGN_LEFT) + 2 * MM;
	table_header(x);
	for (size_t i = 0; i < c->n; i++) {
		const struct cert_line *ln = &c->lines[i];
		char no[24], hours[32];
		snprintf(no, sizeof no, "%zu", i + 1);
		fmt_hours(ln->hours, hours, sizeof hours);
		const char *cells[NCOL] = {no, ln->date ? ln->date : "", ln->activity ? ln->activity : "",
					   ln->place ? ln->place : "", hours};
		table_row(x, cells, 0, (int)(i & 1));
	}
	x->y += 4 * MM;
}

/* 特此证明 on the left; issuer, the stamp's place and the date on the right.
 * Drawn when draw is set; returns the height either way, so the block can
 * move whole to a new page. */
static double closing_block(struct ctx *x, int draw)
{
	const struct cert_info *c = x->c;
	cairo_t *cr = x->cr;
	double bw = 85 * MM, bx = RIGHT - bw, y = x->y + 3 * MM;
	PangoLayout *l[4] = {
		layout(cr, SERIF " 14", RIGHT - LEFT, 0, "　　特此证明。", PANGO_ALIGN_LEFT, 0),
		layout(cr, SERIF " 14", bw, 0, c->issuer, PANGO_ALIGN_CENTER, 3),
		layout(cr, SANS " 10", bw, 0, "（盖章）", PANGO_ALIGN_CENTER, 0),
		layout(cr, SERIF " 14", bw, 0, x->date, PANGO_ALIGN_CENTER, 0),
	};
	const double gap[4] = {10 * MM, 1 * MM, 2 * MM, 0};
	const double xs[4] = {LEFT + 4 * MM, bx, bx, bx};
	double top = y;
	if (draw) {
		/* the stamp goes over issuer and date: a faint guide circle, not a seal */
		cairo_save(cr);
		cairo_set_source_rgb(cr, 0.85, 0.75, 0.75);
		cairo_set_line_width(cr, 0.5);
		double dash[] = {2, 2};
		cairo_set_dash(cr, dash, 2, 0);
		cairo_arc(cr, bx + bw / 2, y + 10 * MM + 12 * MM, 19 * MM, 0, 2 * M_PI);
		cairo_stroke(cr);
		cairo_restore(cr);
	}
	for (int i = 0; i < 4; i++) {
		if (draw) {
			cairo_set_source_rgb(cr, i == 2 ? 0.45 : 0, i == 2 ? 0.45 : 0, i == 2 ? 0.45 : 0);
			cairo_move_to(cr, xs[i], y);
			pango_cairo_show_layout(cr, l[i]);
		}
		y += height_of(l[i]) + gap[i];
		g_object_unref(l[i]);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	return y - top + 3 * MM;
}

static void closing(struct ctx *x)
{
	double h = closing_block(x, 0);
	if (x->y + h > BOTTOM)
		new_page(x);
	x->y += closing_block(x, 1);
}

/* One full layout run; returns the number of pages (0 on a cairo error). */
static int render(cairo_surface_t *s, const struct cert_info *c, int total)
{
	struct ctx x = {.c = c, .total = total};
	int y;
	unsigned m, d;
	int64_t local = c->issued_at + 8 * 3600;
	civil_from_days(local >= 0 ? local / 86400 : (local - 86399) / 86400, &y, &m, &d);
	snprintf(x.date, sizeof x.date, "%d年%u月%u日", y, m, d);
	fmt_hours(c->total_hours, x.hours, sizeof x.hours);
	x.cr = cairo_create(s);
	new_page(&x);
	first_page_head(&x);
	table(&x);
	closing(&x);
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

static int text_ok(const char *s, int required)
{
	if (!s)
		return !required;
	if (required && !*s)
		return 0;
	return utf8_length(s, strlen(s)) >= 0;
}

static int hours_ok(double h)
{
	return isfinite(h) && h >= 0 && h < 1e9;
}

int certificate_pdf(const struct cert_info *c, buf_t *out)
{
	if (!c || !out || !text_ok(c->name, 1) || !text_ok(c->issuer, 1) || !text_ok(c->serial, 1) ||
	    !text_ok(c->id_masked, 0) || !text_ok(c->org, 0) || c->stars < 0 || c->stars > STARS_MAX ||
	    !hours_ok(c->total_hours) || (c->n && !c->lines) || c->n > CERT_MAX_LINES ||
	    strlen(c->serial) > 64 || strlen(c->name) > 200 || (c->org && strlen(c->org) > 300) ||
	    (c->id_masked && strlen(c->id_masked) > 64) || strlen(c->issuer) > 300)
		return -1;
	for (size_t i = 0; i < c->n; i++)
		if (!text_ok(c->lines[i].date, 0) || !text_ok(c->lines[i].activity, 0) ||
		    !text_ok(c->lines[i].place, 0) || !hours_ok(c->lines[i].hours))
			return -1;

	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(discard, NULL, PAGE_W, PAGE_H);
	int pages = render(s, c, 0);
	cairo_surface_finish(s);
	cairo_surface_destroy(s);
	if (!pages)
		return -1;

	s = cairo_pdf_surface_create_for_stream(render_to_buf, out, PAGE_W, PAGE_H);
	char title[300];
	snprintf(title, sizeof title, "志愿服务证明 %s", c->serial);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "wenming");
	int rc = render(s, c, pages) == pages ? 0 : -1;
	cairo_surface_finish(s);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS || out->overflow)
		rc = -1;
	cairo_surface_destroy(s);
	return rc;
}
