/*
 * datalock.h — one process at a time owns a data directory: `wenming serve`,
 * `wenming demo` and `wenming restore` hold an exclusive flock(2) on
 * DIR/wenming.lock for as long as they run. Two servers on one database would
 * each keep their own caches and schedulers; a restore under a running server
 * would swap the file beneath its open connections. The kernel drops the lock
 * when the process ends, however it ends (kill -9 included), so there is no
 * stale lock to clean up after a crash.
 */
#ifndef WM_DATALOCK_H
#define WM_DATALOCK_H
#include <stddef.h>
#include <sys/types.h>

/* Takes the lock on DIR (which must exist) without waiting and writes our pid
 * into the file. Returns the open descriptor (keep it open: closing it
 * releases the lock), -1 when another process holds it (*holder = its pid
 * from the file, 0 when unknown), -2 on any other error (errno set). */
int datalock_take(const char *dir, pid_t *holder);
#endif
