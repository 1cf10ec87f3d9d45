/*
 * fonts.h — the process-wide text rendering state that qr.c and
 * certificate.c use through pango (the font map, fontconfig's caches).
 * Nothing to set up: the first PDF loads it.
 *
 * Known leak: cairo 1.16 (Debian 12) loses ~1.5 KiB per CJK font per PDF
 * while subsetting fonts in cairo_surface_finish; tests/lsan.supp names it
 * for the sanitizer tier.
 */
#ifndef WM_FONTS_H
#define WM_FONTS_H

/* Releases it all at exit, after every thread that drew text has finished,
 * so that LeakSanitizer sees no leftovers; a later PDF loads it again. */
void fonts_shutdown(void);
#endif
