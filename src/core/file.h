/*
 * file.h — reading a whole file: the exports that a library writes to a
 * temporary file (xlsx), the photos served from the data dir, test fixtures.
 */
#ifndef WM_FILE_H
#define WM_FILE_H
#include <stddef.h>

/* The whole regular file at path in a malloc'd buffer, NUL-terminated (the
 * NUL not counted in *len; an empty file gives "" and *len 0), or NULL with
 * errno set: it cannot be opened or read (a short read, the file shrinking
 * under us, is EIO), or it is larger than max bytes (EFBIG; max 0 = no cap).
 * *len is 0 on failure. */
char *file_slurp(const char *path, size_t max, size_t *len);
#endif
