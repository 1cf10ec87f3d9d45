/*
 * star.h — volunteer star levels from recorded service hours. The national
 * ladder (1★ 100 h, 2★ 300 h, 3★ 600 h, 4★ 1000 h, 5★ 1500 h) is the default;
 * cities with their own scheme replace it from configuration, once, at start-up.
 */
#ifndef WM_STAR_H
#define WM_STAR_H
#include <stddef.h>

#define STARS_MAX 10

/* The default ladder: hours needed for 1★, 2★, … (ascending). */
extern const double star_default_ladder[5];

/* The star level (0 = below the first rung) for hours on the current ladder.
 * NaN or negative hours give 0. Thread-safe once configuration is loaded. */
int stars_for_hours(double hours);
/* The same on a given ladder (ascending thresholds, ladder[i] = hours for i+1 stars). */
int stars_for_hours_on(double hours, const double *ladder, size_t n);
/* Replaces the current ladder (copied). 0 on success; -1 (nothing changed) when
 * n is 0 or over STARS_MAX, or the thresholds are not finite, positive and
 * strictly ascending. Call before serving requests: it is not locked. */
int stars_set_ladder(const double *ladder, size_t n);
/* Restores the default ladder. */
void stars_reset_ladder(void);
/* The current ladder; *n gets its length. */
const double *stars_ladder(size_t *n);
#endif
