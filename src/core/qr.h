/*
 * qr.h — QR codes for site labels and check-in posters (libqrencode): PNG,
 * SVG, a cairo drawing helper and a printable A4 sheet of labelled codes.
 * Every code is error-correction level M, the whole text in 8-bit mode
 * (UTF-8 bytes, so Chinese works in any phone's scanner), with the standard
 * quiet zone of 4 modules.
 */
#ifndef WM_QR_H
#define WM_QR_H
#include <stddef.h>
#include "core/buf.h"

typedef struct _cairo cairo_t;

/* Bytes that fit in one code (version 40, level M, 8-bit mode). */
#define QR_MAX_BYTES 2331
#define QR_QUIET 4		/* quiet zone, modules */
#define QR_MAX_MODULE_PX 32

/* All functions return 0, or -1 (out may hold a partial result; the caller
 * frees it as always) for NULL or empty text, text over QR_MAX_BYTES, a bad
 * argument, out's maximum reached or no memory. Thread-safe. */

/* A greyscale PNG (cairo's writer), module_px (1…QR_MAX_MODULE_PX) pixels per module. */
int qr_png(const char *text, int module_px, buf_t *out);
/* A standalone SVG: a white background and one <path> of the dark modules,
 * viewBox in modules (quiet zone included), crisp edges; scale it freely. */
int qr_svg(const char *text, buf_t *out);
/* Draws the code (quiet zone included) as filled rectangles into a square of
 * side size at (x, y) of any cairo context: vector in a PDF. */
int qr_draw(cairo_t *cr, const char *text, double x, double y, double size);

struct qr_label {
	const char *text;	/* what the code holds (a URL); required */
	const char *title;	/* printed under the code, e.g. the site's Chinese name; may be NULL */
	const char *subtitle;	/* smaller, grey, e.g. the address or code; may be NULL */
};
/* A printable A4 PDF: 3 × 4 labels per page with dashed cut lines, each code
 * 38 mm with its title (bold, up to 2 lines) and subtitle (up to 2 lines)
 * below, in Noto Sans CJK SC; as many pages as needed, "第 p / N 页" at the
 * foot. n must be 1…QR_SHEET_MAX and every label must have a text. */
#define QR_SHEET_MAX 5000
int qr_sheet_pdf(const struct qr_label *labels, size_t n, buf_t *out);
#endif
