/*
 * test_arena.c — unit tests for src/core/arena.{h,c} and src/core/buf.{h,c}.
 *   arena: 16-byte alignment for every size, many small allocations spanning
 *   several blocks without overlap, allocations larger than a block (and
 *   larger than the 1 MiB block ceiling), the cap (exactly reaching it works,
 *   one byte more returns NULL and leaves used/contents intact), requests so
 *   large that size arithmetic would wrap, arena_strdup / arena_strndup /
 *   arena_printf (short, empty, longer than a block, beyond the cap), and
 *   arena_free followed by reuse.
 *   buf: append / puts / printf (short, the 255/256-byte boundary of the
 *   internal stack buffer, long), NUL termination and binary data, growth
 *   over many appends, the max (exactly reaching it works; beyond it fails,
 *   sets overflow, leaves the content unchanged, and later appends keep
 *   failing), and buf_free.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static int aligned16(const void *p)
{
	return ((uintptr_t)p & 15u) == 0;
}

/* ---- arena ------------------------------------------------------------- */

static void t_arena_alignment(void **state)
{
	(void)state;
	static const size_t sizes[] = {0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65,
				       100, 255, 256, 1000, 4095, 4096, 4097, 10000};
	arena_t a;
	arena_init(&a, 0);
	unsigned char *ptrs[N_ELEMS(sizes)];
	for (size_t i = 0; i < N_ELEMS(sizes); i++) {
		ptrs[i] = arena_alloc(&a, sizes[i]);
		assert_non_null(ptrs[i]);
		if (!aligned16(ptrs[i]))
			fail_msg("size %zu: %p not 16-aligned", sizes[i], (void *)ptrs[i]);
		memset(ptrs[i], (int)(i + 1), sizes[i]);
	}
	/* no allocation overwrote another */
	for (size_t i = 0; i < N_ELEMS(sizes); i++)
		for (size_t k = 0; k < sizes[i]; k++)
			assert_int_equal(ptrs[i][k], (unsigned char)(i + 1));
	arena_free(&a);
}

static void t_arena_many_small(void **state)
{
	(void)state;
	enum { N = 20000, SZ = 24 };
	arena_t a;
	arena_init(&a, 0);
	unsigned char **ptrs = malloc(N * sizeof *ptrs);
	assert_non_null(ptrs);
	for (size_t i = 0; i < N; i++) {
		ptrs[i] = arena_alloc(&a, SZ);
		assert_non_null(ptrs[i]);
		assert_true(aligned16(ptrs[i]));
		memset(ptrs[i], (int)(i & 0xff), SZ);
	}
	/* SZ rounds up to 32; 640 KB spans several blocks */
	assert_int_equal(a.used, (size_t)N * 32);
	for (size_t i = 0; i < N; i++)
		for (size_t k = 0; k < SZ; k++)
			if (ptrs[i][k] != (unsigned char)(i & 0xff))
				fail_msg("allocation %zu byte %zu clobbered", i, k);
	free(ptrs);
	arena_free(&a);
	assert_null(a.head);
	assert_int_equal(a.used, 0);
}

static void t_arena_large(void **state)
{
	(void)state;
	arena_t a;
	arena_init(&a, 0);
	/* a small one first so a block exists, then one far bigger than it */
	char *small = arena_alloc(&a, 10);
	assert_non_null(small);
	memcpy(small, "012345678", 10);
	size_t big_n = 100000;
	unsigned char *big = arena_alloc(&a, big_n);
	assert_non_null(big);
	assert_true(aligned16(big));
	memset(big, 0xab, big_n);
	/* bigger than the 1 MiB block ceiling */
	size_t huge_n = (3u << 20) + 5;
	unsigned char *huge = arena_alloc(&a, huge_n);
	assert_non_null(huge);
	assert_true(aligned16(huge));
	memset(huge, 0xcd, huge_n);
	/* small allocations keep working afterwards */
	char *after[64];
	for (size_t i = 0; i < N_ELEMS(after); i++) {
		after[i] = arena_alloc(&a, 100);
		assert_non_null(after[i]);
		memset(after[i], 'z', 100);
	}
	assert_string_equal(small, "012345678");
	for (size_t i = 0; i < big_n; i++)
		assert_int_equal(big[i], 0xab);
	for (size_t i = 0; i < huge_n; i++)
		if (huge[i] != 0xcd)
			fail_msg("huge[%zu] clobbered", i);
	arena_free(&a);
}

static void t_arena_cap(void **state)
{
	(void)state;
	arena_t a;
	arena_init(&a, 1024);
	char *p = arena_alloc(&a, 1000);	/* rounded to 1008 */
	assert_non_null(p);
	memset(p, 'p', 1000);
	assert_int_equal(a.used, 1008);
	char *q = arena_alloc(&a, 16);		/* exactly reaches the cap */
	assert_non_null(q);
	memset(q, 'q', 16);
	assert_int_equal(a.used, 1024);
	/* anything more fails and changes nothing */
	assert_null(arena_alloc(&a, 1));
	assert_null(arena_alloc(&a, 0));
	assert_null(arena_alloc(&a, 4096));
	assert_null(arena_strdup(&a, "x"));
	assert_null(arena_printf(&a, "%d", 1));
	assert_int_equal(a.used, 1024);
	for (size_t i = 0; i < 1000; i++)
		assert_int_equal(p[i], 'p');
	for (size_t i = 0; i < 16; i++)
		assert_int_equal(q[i], 'q');
	arena_free(&a);

	/* a single request over the cap on a fresh arena */
	arena_init(&a, 1024);
	assert_null(arena_alloc(&a, 1025));
	assert_null(arena_alloc(&a, 1 << 20));
	assert_int_equal(a.used, 0);
	/* ...while one of exactly the cap fits */
	assert_non_null(arena_alloc(&a, 1024));
	assert_null(arena_alloc(&a, 1));
	arena_free(&a);

	/* the cap survives arena_free: the arena is reusable with the same limit */
	assert_int_equal(a.cap, 1024);
	assert_int_equal(a.used, 0);
	assert_non_null(arena_alloc(&a, 512));
	assert_non_null(arena_alloc(&a, 512));
	assert_null(arena_alloc(&a, 1));
	arena_free(&a);

	/* a cap that is not a multiple of 16: rounding counts against it */
	arena_init(&a, 100);
	assert_non_null(arena_alloc(&a, 90));	/* 96 */
	assert_null(arena_alloc(&a, 4));	/* 96 + 16 > 100 */
	assert_int_equal(a.used, 96);
	arena_free(&a);
}

/* Requests near SIZE_MAX must fail instead of wrapping the 16-byte round-up
 * (or the block-header addition) around to a tiny allocation. With the
 * current arena.c, SIZE_MAX - 31 with no cap makes malloc(sizeof header + n)
 * wrap to malloc(0), and the header write overflows that chunk. */
static void t_arena_huge_request(void **state)
{
	(void)state;
	/* n near SIZE_MAX: (n + 15) & ~15 wraps to 0 and would become 16. Sizes
	 * chosen so a wrapped computation never reaches malloc with a huge
	 * value (which ASan would abort on instead of returning NULL). */
	static const size_t huge[] = {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 14, SIZE_MAX - 31};
	static const size_t caps[] = {0, 1 << 20};
	int bad = 0;
	for (size_t c = 0; c < N_ELEMS(caps); c++) {
		for (size_t i = 0; i < N_ELEMS(huge); i++) {
			arena_t a;
			arena_init(&a, caps[c]);
			void *p = arena_alloc(&a, huge[i]);
			size_t used = a.used;
			arena_free(&a);
			if (p) {
				print_error("cap %zu: arena_alloc(SIZE_MAX - %zu) returned %p (used now %zu), want NULL\n",
					    caps[c], SIZE_MAX - huge[i], p, used);
				bad++;
			}
		}
	}
	if (bad)
		fail_msg("%d oversized request(s) were not refused", bad);
}

static void t_arena_strings(void **state)
{
	(void)state;
	arena_t a;
	arena_init(&a, 0);
	char src[] = "hello, 世界";
	char *d = arena_strdup(&a, src);
	assert_non_null(d);
	assert_string_equal(d, src);
	assert_true(d != src);
	src[0] = 'J';
	assert_string_equal(d, "hello, 世界");	/* a copy */
	assert_true(aligned16(d));

	char *e = arena_strdup(&a, "");
	assert_non_null(e);
	assert_string_equal(e, "");

	char *n = arena_strndup(&a, "abcdef", 3);
	assert_string_equal(n, "abc");
	char *nz = arena_strndup(&a, "a\0b", 3);	/* copies n bytes, terminates */
	assert_memory_equal(nz, "a\0b\0", 4);

	char *f = arena_printf(&a, "%s-%d-%05.1f-%c", "id", 42, 3.14159, 'x');
	assert_string_equal(f, "id-42-003.1-x");
	char *empty = arena_printf(&a, "%s", "");
	assert_string_equal(empty, "");

	/* longer than a 4 KiB block */
	char *big = malloc(10001);
	assert_non_null(big);
	memset(big, 'b', 10000);
	big[10000] = 0;
	char *g = arena_printf(&a, "<%s>", big);
	assert_non_null(g);
	assert_int_equal(strlen(g), 10002);
	assert_true(g[0] == '<' && g[10001] == '>');
	assert_memory_equal(g + 1, big, 10000);
	free(big);

	/* earlier strings untouched */
	assert_string_equal(d, "hello, 世界");
	assert_string_equal(n, "abc");
	assert_string_equal(f, "id-42-003.1-x");
	arena_free(&a);
	arena_free(&a);	/* second free is harmless */
	assert_null(a.head);

	/* strings count against the cap (strlen + 1, rounded up) */
	arena_init(&a, 32);
	assert_non_null(arena_strdup(&a, "0123456789abcde"));	/* 16 bytes */
	assert_non_null(arena_printf(&a, "%015d", 7));		/* 16 bytes */
	assert_null(arena_strdup(&a, ""));
	arena_free(&a);
	arena_init(&a, 32);
	assert_null(arena_printf(&a, "%040d", 1));		/* 41 > 32 */
	assert_int_equal(a.used, 0);
	arena_free(&a);
}

/* ---- buf --------------------------------------------------------------- */

static void t_buf_append(void **state)
{
	(void)state;
	buf_t b;
	buf_init(&b, 1 << 20);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.overflow, 0);

	assert_int_equal(buf_append(&b, "abc", 3), 0);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.data, "abc");
	assert_true(b.alloc > b.len);

	assert_int_equal(buf_append(&b, "", 0), 0);	/* empty append */
	assert_int_equal(b.len, 3);

	assert_int_equal(buf_puts(&b, "def"), 0);
	assert_int_equal(buf_puts(&b, ""), 0);
	assert_string_equal(b.data, "abcdef");
	assert_int_equal(b.len, 6);

	/* binary data with NUL bytes: len counts them, still terminated */
	assert_int_equal(buf_append(&b, "\0x\0", 3), 0);
	assert_int_equal(b.len, 9);
	assert_memory_equal(b.data, "abcdef\0x\0", 10);
	buf_free(&b);

	/* an empty append on a fresh buffer gives an empty string */
	buf_init(&b, 16);
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	buf_free(&b);
}

static void t_buf_growth(void **state)
{
	(void)state;
	buf_t b;
	buf_init(&b, 1 << 20);
	enum { N = 100000 };
	for (size_t i = 0; i < N; i++) {
		char c = (char)('a' + i % 26);
		assert_int_equal(buf_append(&b, &c, 1), 0);
	}
	assert_int_equal(b.len, N);
	assert_true(b.alloc > N);
	assert_int_equal(b.data[N], 0);
	for (size_t i = 0; i < N; i++)
		if (b.data[i] != (char)('a' + i % 26))
			fail_msg("byte %zu wrong", i);
	/* one large append */
	char *blob = malloc(300000);
	assert_non_null(blob);
	memset(blob, 'Q', 300000);
	assert_int_equal(buf_append(&b, blob, 300000), 0);
	assert_int_equal(b.len, N + 300000);
	assert_memory_equal(b.data + N, blob, 300000);
	assert_int_equal(b.data[b.len], 0);
	free(blob);
	buf_free(&b);
}

static void t_buf_printf(void **state)
{
	(void)state;
	buf_t b;
	buf_init(&b, 1 << 16);
	assert_int_equal(buf_printf(&b, "%d:%s:%c", 42, "x", 'y'), 0);
	assert_string_equal(b.data, "42:x:y");
	assert_int_equal(buf_printf(&b, "%s", ""), 0);
	assert_int_equal(b.len, 6);
	assert_int_equal(buf_printf(&b, "[%s]", "中文"), 0);
	assert_string_equal(b.data, "42:x:y[中文]");
	buf_free(&b);

	/* around the 256-byte internal buffer and well past it */
	static const size_t lens[] = {1, 254, 255, 256, 257, 300, 511, 512, 4000, 20000};
	for (size_t i = 0; i < N_ELEMS(lens); i++) {
		size_t n = lens[i];
		char *payload = malloc(n + 1);
		char *want = malloc(n + 3);
		assert_non_null(payload);
		assert_non_null(want);
		memset(payload, 'x', n);
		payload[n] = 0;
		want[0] = 'P';	/* prefix already in the buffer */
		memcpy(want + 1, payload, n);
		want[n + 1] = '!';
		want[n + 2] = 0;
		buf_init(&b, 1 << 16);
		assert_int_equal(buf_puts(&b, "P"), 0);
		/* formatted output is n + 1 bytes: 255 fits the stack buffer, 256 not */
		assert_int_equal(buf_printf(&b, "%s%c", payload, '!'), 0);
		assert_int_equal(b.len, n + 2);
		assert_string_equal(b.data, want);
		buf_free(&b);

		/* the same length produced by a width specifier */
		buf_init(&b, 1 << 16);
		assert_int_equal(buf_printf(&b, "%*d", (int)n, 7), 0);
		assert_int_equal(b.len, n);
		assert_int_equal(b.data[n - 1], '7');
		assert_int_equal(b.data[n], 0);
		if (n > 1)
			assert_int_equal(b.data[0], ' ');
		buf_free(&b);
		free(want);
		free(payload);
	}
}

static void t_buf_max(void **state)
{
	(void)state;
	buf_t b;
	buf_init(&b, 10);
	assert_int_equal(buf_append(&b, "12345", 5), 0);
	/* 5 + 6 > 10: fails, marks, changes nothing */
	assert_int_equal(buf_append(&b, "678901", 6), -1);
	assert_int_equal(b.overflow, 1);
	assert_int_equal(b.len, 5);
	assert_string_equal(b.data, "12345");
	/* sticky: even appends that would fit keep failing */
	assert_int_equal(buf_append(&b, "6", 1), -1);
	assert_int_equal(buf_puts(&b, "6"), -1);
	assert_int_equal(buf_printf(&b, "%d", 6), -1);
	assert_int_equal(b.len, 5);
	assert_string_equal(b.data, "12345");
	assert_int_equal(b.overflow, 1);
	buf_free(&b);

	/* exactly reaching max is fine; one more byte is not */
	buf_init(&b, 10);
	assert_int_equal(buf_puts(&b, "0123456789"), 0);
	assert_int_equal(b.len, 10);
	assert_int_equal(b.overflow, 0);
	assert_int_equal(buf_append(&b, "", 0), 0);	/* nothing added: still fine */
	assert_int_equal(buf_puts(&b, "x"), -1);
	assert_int_equal(b.overflow, 1);
	assert_string_equal(b.data, "0123456789");
	buf_free(&b);

	/* a single append bigger than max on an empty buffer */
	buf_init(&b, 10);
	assert_int_equal(buf_puts(&b, "0123456789A"), -1);
	assert_int_equal(b.overflow, 1);
	assert_int_equal(b.len, 0);
	buf_free(&b);

	/* a length that would wrap len + n */
	buf_init(&b, 100);
	assert_int_equal(buf_puts(&b, "abc"), 0);
	assert_int_equal(buf_append(&b, "x", SIZE_MAX), -1);
	assert_int_equal(buf_append(&b, "x", SIZE_MAX - 2), -1);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.data, "abc");
	buf_free(&b);

	/* printf over max, both through the small and the malloc'd path */
	buf_init(&b, 300);
	assert_int_equal(buf_printf(&b, "%250d", 1), 0);
	assert_int_equal(buf_printf(&b, "%100d", 2), -1);	/* 350 > 300, short path */
	assert_int_equal(b.len, 250);
	assert_int_equal(b.overflow, 1);
	buf_free(&b);
	buf_init(&b, 300);
	assert_int_equal(buf_puts(&b, "keep"), 0);
	assert_int_equal(buf_printf(&b, "%400d", 3), -1);	/* long path */
	assert_int_equal(b.overflow, 1);
	assert_string_equal(b.data, "keep");
	buf_free(&b);
}

static void t_buf_free(void **state)
{
	(void)state;
	buf_t b;
	buf_init(&b, 100);
	buf_free(&b);	/* never used: fine */
	assert_null(b.data);

	buf_init(&b, 100);
	assert_int_equal(buf_puts(&b, "data"), 0);
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
	assert_int_equal(b.overflow, 0);
	buf_free(&b);	/* twice: fine */
	assert_null(b.data);

	/* re-initialised after free: usable again, overflow cleared */
	buf_init(&b, 4);
	assert_int_equal(buf_puts(&b, "12345"), -1);
	assert_int_equal(b.overflow, 1);
	buf_free(&b);
	buf_init(&b, 4);
	assert_int_equal(b.overflow, 0);
	assert_int_equal(buf_puts(&b, "1234"), 0);
	assert_string_equal(b.data, "1234");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_arena_alignment),
		cmocka_unit_test(t_arena_many_small),
		cmocka_unit_test(t_arena_large),
		cmocka_unit_test(t_arena_cap),
		cmocka_unit_test(t_arena_strings),
		cmocka_unit_test(t_buf_append),
		cmocka_unit_test(t_buf_growth),
		cmocka_unit_test(t_buf_printf),
		cmocka_unit_test(t_buf_max),
		cmocka_unit_test(t_buf_free),
		/* last: on the unfixed arena.c one case corrupts the heap (ASan aborts) */
		cmocka_unit_test(t_arena_huge_request),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
