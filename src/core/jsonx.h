/*
 * jsonx.h — request-body checking against a field table, collecting *every*
 * field error into one array so a client gets one complete answer
 * ({"field","code","message"} items of the SPEC §11 error shape).
 */
#ifndef WM_JSONX_H
#define WM_JSONX_H
#include <jansson.h>
#include <stdint.h>

enum ftype { F_STR, F_INT, F_BOOL, F_NUM, F_STRARR, F_OBJ, F_ARR };
enum { F_REQ = 1, F_NULL = 2 };

struct fspec {
	const char *name;
	enum ftype type;
	unsigned flags;
	long long min, max;	/* F_STR: code points; F_INT/F_NUM: value; F_*ARR: items; 0,0 = unbounded */
};

/* Appends {"field","code","message"} to the array `fields`. */
void field_error(json_t *fields, const char *field, const char *code, const char *message);
/* Checks obj against the table: object type, unknown keys, required keys,
 * types, text validity (UTF-8, no control characters) and ranges. Returns the
 * number of errors appended to `fields`. */
int json_check(const json_t *obj, const struct fspec *spec, json_t *fields);

/* Accessors that tolerate missing keys. */
const char *jstr(const json_t *o, const char *key);		/* NULL if absent/not string */
int64_t jint(const json_t *o, const char *key, int64_t dflt);
int jbool(const json_t *o, const char *key, int dflt);
int jhas(const json_t *o, const char *key);
#endif
