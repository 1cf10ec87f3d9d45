/*
 * arena.h — per-request bump allocator with a hard cap.
 *
 * Every request gets one arena; everything a handler allocates for the
 * request lives there and is freed in one go when the response is done.
 * The cap turns a runaway allocation into a clean 413/500 instead of OOM.
 */
#ifndef WM_ARENA_H
#define WM_ARENA_H
#include <stddef.h>

struct arena_block;
typedef struct arena {
	struct arena_block *head;
	size_t used;	/* bytes handed out, all blocks */
	size_t cap;	/* 0 = unlimited */
} arena_t;

void arena_init(arena_t *a, size_t cap);
/* NULL when the cap would be exceeded or memory is exhausted. */
void *arena_alloc(arena_t *a, size_t n);
char *arena_strndup(arena_t *a, const char *s, size_t n);
char *arena_strdup(arena_t *a, const char *s);
char *arena_printf(arena_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(arena_t *a);
#endif
