/* log.c — see log.h. One fputs per line; stdio's lock keeps lines whole. */
#include "log.h"
#include <stdarg.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

static int quiet;

void log_quiet(int q)
{
	quiet = q;
}

void log_now(char *out, size_t n)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct tm tm;
	gmtime_r(&tv.tv_sec, &tm);
	char base[24];
	strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, n, "%s.%03dZ", base, (int)(tv.tv_usec / 1000));
}

static void emit(FILE *f, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (s) {
		fprintf(f, "%s\n", s);
		fflush(f);
		free(s);
	}
}

void log_msg(const char *level, const char *fmt, ...)
{
	if (quiet && level[0] == 'i')
		return;
	char msg[1024], ts[40];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_now(ts, sizeof ts);
	json_t *o = json_pack("{s:s, s:s, s:s}", "ts", ts, "level", level, "msg", msg);
	emit(stderr, o);
	json_decref(o);
}

void log_access(json_t *entry)
{
	if (!quiet)
		emit(stdout, entry);
	json_decref(entry);
}
