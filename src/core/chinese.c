/*
 * chinese.c — one OpenCC converter for the process behind a mutex: OpenCC
 * does not promise that a converter may be used by several threads at once,
 * and a conversion is short (microseconds for a problem's text), so one
 * lock costs less than one dictionary set (several MB) per worker thread.
 */
#include "core/chinese.h"
#include "core/log.h"
#include "core/validate.h"
#include <opencc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t zh_lock = PTHREAD_MUTEX_INITIALIZER;
static opencc_t zh_cc = (opencc_t)-1;
static int zh_failed;	/* tried and failed: do not retry (and log) on every call */

static int open_locked(void)
{
	if (zh_cc != (opencc_t)-1)
		return 0;
	if (zh_failed)
		return -1;
	zh_cc = opencc_open(OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP);
	if (zh_cc == (opencc_t)-1) {
		zh_failed = 1;
		log_warn("opencc: cannot load %s (%s); search will not match traditional with simplified characters",
			 OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP, opencc_error());
		return -1;
	}
	return 0;
}

int zh_init(void)
{
	pthread_mutex_lock(&zh_lock);
	int rc = open_locked();
	pthread_mutex_unlock(&zh_lock);
	return rc;
}

char *zh_simplify(const char *utf8)
{
	if (!utf8)
		return NULL;
	size_t n = strlen(utf8);
	if (n == 0 || utf8_length(utf8, n) < 0)
		return strdup(utf8);
	char *out = NULL;
	pthread_mutex_lock(&zh_lock);
	if (open_locked() == 0) {
		char *s = opencc_convert_utf8(zh_cc, utf8, n);
		if (s) {
			out = strdup(s);
			opencc_convert_utf8_free(s);
		}
	}
	pthread_mutex_unlock(&zh_lock);
	return out ? out : strdup(utf8);
}

void zh_shutdown(void)
{
	pthread_mutex_lock(&zh_lock);
	if (zh_cc != (opencc_t)-1)
		opencc_close(zh_cc);
	zh_cc = (opencc_t)-1;
	zh_failed = 0;
	pthread_mutex_unlock(&zh_lock);
}
