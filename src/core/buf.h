/*
 * buf.h — growable byte buffer with a maximum size (curl's dynbuf idea).
 * Appending past the maximum fails and marks the buffer; the caller answers
 * 413 (bodies) or 400 instead of growing without bound.
 */
#ifndef WM_BUF_H
#define WM_BUF_H
#include <stddef.h>

typedef struct buf {
	char *data;	/* always NUL-terminated when non-NULL */
	size_t len, alloc, max;
	int overflow;	/* set once an append hit max */
} buf_t;

void buf_init(buf_t *b, size_t max);
/* 0 on success, -1 when it would exceed max (buffer unchanged, overflow set)
 * or on allocation failure. */
int buf_append(buf_t *b, const void *p, size_t n);
int buf_puts(buf_t *b, const char *s);
int buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_free(buf_t *b);
#endif
