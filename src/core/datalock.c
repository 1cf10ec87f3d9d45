/* datalock.c — see datalock.h. */
#include "datalock.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

int datalock_take(const char *dir, pid_t *holder)
{
	char path[4096];
	*holder = 0;
	if ((size_t)snprintf(path, sizeof path, "%s/wenming.lock", dir) >= sizeof path) {
		errno = ENAMETOOLONG;
		return -2;
	}
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -2;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;
		if (e == EWOULDBLOCK) {
			char buf[32] = {0};
			if (pread(fd, buf, sizeof buf - 1, 0) > 0)
				*holder = (pid_t)atol(buf);
		}
		close(fd);
		errno = e;
		return e == EWOULDBLOCK ? -1 : -2;
	}
	/* The pid is only for the message another process prints; the lock is
	 * the flock, not the file's content or existence. */
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
		/* a full disk must not stop a server that could still run */
	}
	return fd;
}
