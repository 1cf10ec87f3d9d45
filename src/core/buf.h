/*
 * buf.h — growable byte buffer with a maximum size (curl's dynbuf idea).
 * Appending past the maximum fails and marks the buffer; the caller answers
 * 413 (bodies) or 400 instead of growing without bound.
 *
 * A failed allocation is sticky too (curl's dynbuf again): the buffer is
 * marked out of memory, every later append is a no-op that fails, and the
 * thread's out-of-memory count goes up. Code building a file or an answer
 * may append without checking each call and check once at the end
 * (buf_failed); the dispatcher also takes the thread's count after every
 * handler (buf_oom_take) and answers 500 when a buffer ran out, so a
 * truncated file is never sent even where the end check was forgotten.
 */
#ifndef WM_BUF_H
#define WM_BUF_H
#include <stddef.h>

typedef struct buf {
	char *data;	/* always NUL-terminated when non-NULL */
	size_t len, alloc, max;
	int overflow;	/* set once an append hit max */
	int oom;	/* set once a growth failed: later appends do nothing */
} buf_t;

void buf_init(buf_t *b, size_t max);
/* 0 on success, -1 when it would exceed max (buffer unchanged, overflow set)
 * or on allocation failure (buffer unchanged, oom set); -1 without doing
 * anything once either is set. */
int buf_append(buf_t *b, const void *p, size_t n);
int buf_puts(buf_t *b, const char *s);
int buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_free(buf_t *b);
/* 1 when the content is not all that was appended (overflow or oom). */
static inline int buf_failed(const buf_t *b)
{
	return b->overflow || b->oom;
}
/* How many growths failed on this thread since the last call; resets it. */
int buf_oom_take(void);
/* Tests: the n-th allocation from now on this thread fails (0 = off). */
void buf_fail_alloc_after(int n);
#endif
