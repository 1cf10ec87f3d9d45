/*
 * render.h — what qr.c and certificate.c share around cairo and pango: the
 * stream writer into a buf_t, and the process-wide text state (pango's font
 * map, fontconfig's caches), which needs no set-up: the first PDF loads it.
 *
 * Known leak: cairo 1.16 (Debian 12) loses ~1.5 KiB per CJK font per PDF
 * while subsetting fonts in cairo_surface_finish; tests/lsan.supp names it
 * for the sanitizer tier.
 */
#ifndef WM_RENDER_H
#define WM_RENDER_H
#include <cairo.h>
#include "core/buf.h"

/* A cairo_write_func_t appending to the buf_t in closure. A full buffer is
 * not reported to cairo (cairo 1.16 leaks when a PDF stream fails while
 * finishing): callers check out->overflow after finishing the surface. */
cairo_status_t render_to_buf(void *closure, const unsigned char *data, unsigned int len);

/* Releases the text state at exit, after every thread that drew text has
 * finished, so that LeakSanitizer sees no leftovers. */
void render_shutdown(void);
#endif
