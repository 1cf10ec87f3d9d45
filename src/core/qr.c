/*
 * qr.c — see qr.h. libqrencode makes the module matrix (bit 0 of each byte is
 * "dark"); cairo turns it into a PNG (its own writer, from a 1-bit A1 surface) or
 * PDF; the SVG is text. Text and PDF are drawn with pango so that Chinese
 * titles wrap and fall back to the CJK fonts of fonts-noto-cjk.
 */
#include "core/qr.h"
#include "core/render.h"

#include <stdio.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

static QRcode *encode(const char *text)
{
	if (!text || !*text)
		return NULL;
	size_t n = strlen(text);
	if (n > QR_MAX_BYTES)
		return NULL;
	/* encodeData: the whole text as 8-bit data, no mode guessing. */
	return QRcode_encodeData((int)n, (const unsigned char *)text, 0, QR_ECLEVEL_M);
}


int qr_png(const char *text, int module_px, buf_t *out)
{
	if (!out || module_px < 1 || module_px > QR_MAX_MODULE_PX)
		return -1;
	QRcode *q = encode(text);
	if (!q)
		return -1;
	int side = (q->width + 2 * QR_QUIET) * module_px;
	/* A1: one bit per pixel, written by cairo as grey; 1 = opaque =
	 * white in the PNG, so light modules set their bits. */
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A1, side, side);
	int rc = -1;
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		goto out;
	cairo_surface_flush(s);
	unsigned char *px = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	for (int y = 0; y < side; y++) {
		uint32_t *row = (uint32_t *)(px + (size_t)y * stride);
		int my = y / module_px - QR_QUIET;
		for (int x = 0; x < side; x++) {
			int mx = x / module_px - QR_QUIET;
			int dark = mx >= 0 && my >= 0 && mx < q->width && my < q->width &&
				   (q->data[my * q->width + mx] & 1);
			/* cairo's A1 bit order follows the CPU's word order */
#ifdef WORDS_BIGENDIAN
			uint32_t bit = 0x80000000u >> (x & 31);
#else
			uint32_t bit = 1u << (x & 31);
#endif
			if (dark)
				row[x >> 5] &= ~bit;
			else
				row[x >> 5] |= bit;
		}
	}
	cairo_surface_mark_dirty(s);
	rc = cairo_surface_write_to_png_stream(s, render_to_buf, out) == CAIRO_STATUS_SUCCESS && !out->overflow ? 0 : -1;
out:
	cairo_surface_destroy(s);
	QRcode_free(q);
	return rc;
}

int qr_svg(const char *text, buf_t *out)
{
	if (!out)
		return -1;
	QRcode *q = encode(text);
	if (!q)
		return -1;
	int w = q->width, side = w + 2 * QR_QUIET;
	int rc = buf_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
			    "width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\">"
			    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
			    side, side, side * 8, side * 8, side, side);
	/* One subpath per horizontal run of dark modules. */
	for (int y = 0; y < w && !rc; y++)
		for (int x = 0; x < w && !rc;) {
			if (!(q->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (q->data[y * w + x + run] & 1))
				run++;
			rc = buf_printf(out, "M%d %dh%dv1h-%dz", x + QR_QUIET, y + QR_QUIET, run, run);
			x += run;
		}
	if (!rc)
		rc = buf_puts(out, "\"/></svg>\n");
	QRcode_free(q);
	return rc ? -1 : 0;
}

static void draw_modules(cairo_t *cr, const QRcode *q, double x, double y, double size)
{
	int w = q->width;
	double m = size / (w + 2 * QR_QUIET);
	cairo_save(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, size, size);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	/* Runs, not single modules: fewer path segments and no hairline seams
	 * between neighbours in PDF viewers. */
	for (int r = 0; r < w; r++)
		for (int c = 0; c < w;) {
			if (!(q->data[r * w + c] & 1)) {
				c++;
				continue;
			}
			int run = 1;
			while (c + run < w && (q->data[r * w + c + run] & 1))
				run++;
			cairo_rectangle(cr, x + (c + QR_QUIET) * m, y + (r + QR_QUIET) * m, run * m, m);
			c += run;
		}
	cairo_fill(cr);
	cairo_restore(cr);
}

int qr_draw(cairo_t *cr, const char *text, double x, double y, double size)
{
	if (!cr || !(size > 0))
		return -1;
	QRcode *q = encode(text);
	if (!q)
		return -1;
	draw_modules(cr, q, x, y, size);
	QRcode_free(q);
	return cairo_status(cr) == CAIRO_STATUS_SUCCESS ? 0 : -1;
}

/* Sheet geometry, in PDF points (1 mm = 72 / 25.4 pt). */
#define MM (72.0 / 25.4)
#define PAGE_W (210 * MM)
#define PAGE_H (297 * MM)
#define MARGIN (10 * MM)
#define FOOT (8 * MM)
#define COLS 3
#define ROWS 4
#define CODE (38 * MM)

/* Writes text centred in a box of width w from y, at most lines lines
 * (ellipsised); returns the height used. */
static double text_block(cairo_t *cr, const char *text, const char *font, double x, double y, double w,
			 int lines)
{
	if (!text || !*text)
		return 0;
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_cairo_context_set_resolution(pango_layout_get_context(l), 72);	/* sizes in points */
	pango_layout_context_changed(l);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	pango_layout_set_height(l, -lines);
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	pango_layout_set_text(l, text, -1);
	int pw, ph;
	pango_layout_get_size(l, &pw, &ph);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
	return (double)ph / PANGO_SCALE;
}

int qr_sheet_pdf(const struct qr_label *labels, size_t n, buf_t *out)
{
	if (!labels || !out || n == 0 || n > QR_SHEET_MAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!labels[i].text || !*labels[i].text || strlen(labels[i].text) > QR_MAX_BYTES)
			return -1;
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(render_to_buf, out, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "二维码标签");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "wenming");
	cairo_t *cr = cairo_create(s);
	const double cw = (PAGE_W - 2 * MARGIN) / COLS, ch = (PAGE_H - 2 * MARGIN - FOOT) / ROWS;
	const size_t per = COLS * ROWS, pages = (n + per - 1) / per;
	int rc = 0;
	for (size_t pg = 0; pg < pages && !rc; pg++) {
		/* dashed cut lines around every cell of the page */
		cairo_save(cr);
		cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
		cairo_set_line_width(cr, 0.5);
		double dash[] = {3, 3};
		cairo_set_dash(cr, dash, 2, 0);
		for (int c = 0; c <= COLS; c++) {
			cairo_move_to(cr, MARGIN + c * cw, MARGIN);
			cairo_line_to(cr, MARGIN + c * cw, MARGIN + ROWS * ch);
		}
		for (int r = 0; r <= ROWS; r++) {
			cairo_move_to(cr, MARGIN, MARGIN + r * ch);
			cairo_line_to(cr, MARGIN + COLS * cw, MARGIN + r * ch);
		}
		cairo_stroke(cr);
		cairo_restore(cr);
		for (size_t k = 0; k < per && pg * per + k < n && !rc; k++) {
			const struct qr_label *lb = &labels[pg * per + k];
			double x = MARGIN + (double)(k % COLS) * cw, y = MARGIN + (double)(k / COLS) * ch;
			double top = y + 3 * MM;
			/* a long title or subtitle is ellipsised; the clip is the last word */
			cairo_save(cr);
			cairo_rectangle(cr, x, y, cw, ch);
			cairo_clip(cr);
			rc = qr_draw(cr, lb->text, x + (cw - CODE) / 2, top, CODE);
			double ty = top + CODE + 1 * MM;
			cairo_set_source_rgb(cr, 0, 0, 0);
			ty += text_block(cr, lb->title, "Noto Sans CJK SC Bold 14", x + 3 * MM, ty, cw - 6 * MM, 2);
			cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
			text_block(cr, lb->subtitle, "Noto Sans CJK SC 10", x + 3 * MM, ty + 0.8 * MM, cw - 6 * MM, 2);
			cairo_restore(cr);
		}
		char foot[64];
		snprintf(foot, sizeof foot, "第 %zu / %zu 页", pg + 1, pages);
		cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
		text_block(cr, foot, "Noto Sans CJK SC 10", MARGIN, PAGE_H - MARGIN - FOOT / 2 - 2 * MM, PAGE_W - 2 * MARGIN, 1);
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS || out->overflow)
		rc = -1;
	cairo_surface_destroy(s);
	return rc;
}
