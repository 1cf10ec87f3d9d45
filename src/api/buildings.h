/*
 * buildings.h — what buildings.c, building_notices.c and home_watch.c
 * share: loading a building within the route's scope, today's date from the
 * application clock, date fields and masked names.
 */
#ifndef WM_API_BUILDINGS_H
#define WM_API_BUILDINGS_H
#include "api.h"

/* The building (store_building_get) if it exists, is a building and lies in
 * the route's scope; else answers 404 (the same for all three) and returns
 * NULL with *st set. */
json_t *building_load(struct req *r, int64_t id, int *st);
/* Today in China as 'YYYY-MM-DD' (out >= 11 bytes) and as a day number. */
int64_t building_today(char *out, size_t n);
/* Appends a field error when the body's `key` is present and not a date. */
void check_date_field(struct req *r, json_t *fields, const char *key);
/* "张三" → "张*", "欧阳娜娜" → "欧***": the first character kept (new ref). */
json_t *masked_name(const char *name);
#endif
