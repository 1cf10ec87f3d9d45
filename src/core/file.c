/* file.c — see file.h. */
#include "file.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads exactly n bytes (retrying on EINTR and partial reads); 0 or -1. */
static int read_full(int fd, char *data, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t k = read(fd, data + got, n - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = EIO;
			return -1;
		}
		got += (size_t)k;
	}
	return 0;
}

char *file_slurp(const char *path, size_t max, size_t *len)
{
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	char *data = NULL;
	if (fstat(fd, &st) != 0)
		goto out;
	if (!S_ISREG(st.st_mode) || st.st_size < 0) {
		errno = EINVAL;
		goto out;
	}
	if ((max && (uintmax_t)st.st_size > max) || (uintmax_t)st.st_size >= SIZE_MAX) {
		errno = EFBIG;
		goto out;
	}
	size_t n = (size_t)st.st_size;
	if (!(data = malloc(n + 1)))
		goto out;
	if (read_full(fd, data, n) != 0) {
		free(data);
		data = NULL;
		goto out;
	}
	data[n] = '\0';
	*len = n;
out:;
	int e = errno;
	close(fd);
	errno = e;
	return data;
}
