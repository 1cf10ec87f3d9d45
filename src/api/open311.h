/*
 * open311.h — the Open311 writers, exposed for the fuzz harness
 * (fuzz/fuzz_open311.c) that checks their output parses back to the same
 * values; the routes themselves are in api.h.
 */
#ifndef WM_OPEN311_H
#define WM_OPEN311_H
#include <jansson.h>
#include <stddef.h>

/* body as GeoReport JSON, or as XML under the element `root` (arrays give
 * one child per item, named by singular()). Returns a malloc'd NUL-terminated
 * text and its length in *len, or NULL. body is not stolen. */
char *open311_render(int xml, json_t *body, const char *root, size_t *len);
/* One problem row (store_problem_get's shape) as a public GeoReport request:
 * no reporter, the community as address, the point rounded to ~100 m. */
json_t *open311_request_json(json_t *problem);
#endif
