/*
 * fuzz.h — what every harness shares: the libFuzzer entry points and a
 * CHECK() that aborts with the failed property, so that libFuzzer saves the
 * input and the replay test (replay.c) fails on it. Harnesses assert
 * properties of the output (round trips, well-formedness), not only "it did
 * not crash".
 */
#ifndef WM_FUZZ_H
#define WM_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                     \
		}                                                                    \
	} while (0)

/* A NUL-terminated copy of the input (the C parsers take strings). */
static inline char *fuzz_strndup(const uint8_t *d, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		abort();
	for (size_t i = 0; i < n; i++)
		s[i] = (char)d[i];
	s[n] = 0;
	return s;
}
#endif
