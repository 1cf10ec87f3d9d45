/*
 * demo_targets.c — placeholder, filled below.
 */
#include "demo.h"
int demo_targets(const int64_t *communities, int ncomm, int64_t street)
{
	(void)communities;
	(void)ncomm;
	(void)street;
	return 0;
}
