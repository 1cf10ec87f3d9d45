/* buf.c — see buf.h. */
#include "buf.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local int oom_count, fail_countdown;

int buf_oom_take(void)
{
	int n = oom_count;
	oom_count = 0;
	return n;
}

void buf_fail_alloc_after(int n)
{
	fail_countdown = n > 0 ? n : 0;
}

/* realloc, or NULL when a test armed this allocation to fail. */
static void *grow(void *p, size_t n)
{
	if (fail_countdown > 0 && --fail_countdown == 0)
		return NULL;
	return realloc(p, n);
}

static int out_of_memory(buf_t *b)
{
	b->oom = 1;
	oom_count++;
	return -1;
}

void buf_init(buf_t *b, size_t max)
{
	memset(b, 0, sizeof *b);
	b->max = max;
}

int buf_append(buf_t *b, const void *p, size_t n)
{
	if (b->oom)
		return -1;
	if (b->overflow || n > b->max || b->len > b->max - n) {
		b->overflow = 1;
		return -1;
	}
	if (b->len + n + 1 > b->alloc) {
		size_t na = b->alloc ? b->alloc : 256;
		while (na < b->len + n + 1)
			na *= 2;
		char *d = grow(b->data, na);
		if (!d)
			return out_of_memory(b);
		b->data = d;
		b->alloc = na;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
	return 0;
}

int buf_puts(buf_t *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_printf(buf_t *b, const char *fmt, ...)
{
	if (buf_failed(b))
		return -1;
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof small)
		return buf_append(b, small, (size_t)n);
	char *big = grow(NULL, (size_t)n + 1);
	if (!big)
		return out_of_memory(b);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	int rc = buf_append(b, big, (size_t)n);
	free(big);
	return rc;
}

void buf_free(buf_t *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}
