/*
 * ops.c — operations endpoints: liveness, readiness (the database answers),
 * Prometheus metrics, and the OpenAPI document generated from the routes
 * table itself, so the two can never disagree.
 */
#include "api.h"
#include "http/metrics.h"
#include <stdlib.h>
#include <string.h>

int ops_healthz(struct req *r)
{
	return reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

int ops_readyz(struct req *r)
{
	if (store_ping() != STORE_OK)
		return reply_error(r, 503, "not_ready", "数据库不可用", NULL);
	return reply_json(r, 200, json_pack("{s:s, s:i}", "status", "ready", "schema_version",
					    store_schema_version()));
}

int ops_metrics(struct req *r)
{
	char *s = metrics_render();
	if (!s)
		return reply_error(r, 500, "internal", "服务器内部错误", NULL);
	reply_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", s, strlen(s), 0);
	free(s);
	return 200;
}

/* "/api/v1/orgs/{id}" is already OpenAPI's template syntax; "{*path}" is not. */
static json_t *path_params(const char *pattern)
{
	json_t *ps = json_array();
	for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *e = strchr(p, '}');
		if (!e)
			break;
		int rest = p[1] == '*';
		json_t *name = json_stringn(p + 1 + rest, (size_t)(e - p - 1 - rest));
		json_array_append_new(ps, json_pack("{s:o, s:s, s:b, s:o}", "name", name, "in", "path", "required", 1,
						    "schema", rest ? json_pack("{s:s}", "type", "string")
								   : json_pack("{s:s, s:i}", "type", "integer",
									       "minimum", 1)));
	}
	return ps;
}

/*
 * Query parameters keep one meaning across routes (limit, cursor, org_id, from…),
 * so their schema is looked up by name here rather than repeated per route; the
 * generated bad-input corpus (tests/api/badinput-generated.test.mjs) derives
 * its wrong-type cases from it. Names not listed are free text.
 */
static const struct qparam {
	const char *name, *type, *format;
	int min, max;	/* integers: bounds; max 0 = none */
} qparams[] = {
	{"limit", "integer", NULL, 1, 0},	/* the maximum is per route: lists 200, the map 5000, the feed 100 */
	{"cursor", "string", "cursor", 0, 0},
	{"year", "integer", NULL, 1900, 9999},
	{"resource_id", "string", NULL, 0, 0},	/* audit: some resources are keyed by code */
	{"px", "integer", NULL, 1, 0},
	{"top", "integer", NULL, 1, 0},
	{"radius", "integer", NULL, 1, 0},
	{"version", "integer", NULL, 1, 0},
	{"min_accepted", "integer", NULL, 0, 0},
	{"from", "string", "date", 0, 0},
	{"to", "string", "date", 0, 0},
	{"due_before", "string", "date", 0, 0},
	{"due_after", "string", "date", 0, 0},
	{"date", "string", "date", 0, 0},
	{"week", "string", "date", 0, 0},
	{"lat", "number", NULL, 0, 0},
	{"lng", "number", NULL, 0, 0},
	{"open", "boolean", NULL, 0, 0},
	{"overdue", "boolean", NULL, 0, 0},
	{"mine", "boolean", NULL, 0, 0},
	{"unread", "boolean", NULL, 0, 0},
	{"all", "boolean", NULL, 0, 0},
	{"watched", "boolean", NULL, 0, 0},
	{"active", "boolean", NULL, 0, 0},
	{"valid_only", "boolean", NULL, 0, 0},
	{"manage", "boolean", NULL, 0, 0},
};

static json_t *query_schema(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof qparams / sizeof *qparams; i++) {
		const struct qparam *q = &qparams[i];
		if (strlen(q->name) != n || strncmp(q->name, name, n))
			continue;
		json_t *s = json_pack("{s:s}", "type", q->type);
		if (q->format)
			json_object_set_new(s, "format", json_string(q->format));
		if (!strcmp(q->type, "integer")) {
			json_object_set_new(s, "minimum", json_integer(q->min));
			if (q->max)
				json_object_set_new(s, "maximum", json_integer(q->max));
		}
		return s;
	}
	/* Every other "…_id" is a row id. */
	if (n > 3 && !strncmp(name + n - 3, "_id", 3))
		return json_pack("{s:s, s:i}", "type", "integer", "minimum", 1);
	if (n == 5 && !strncmp(name, "under", 5))
		return json_pack("{s:s, s:i}", "type", "integer", "minimum", 1);
	return json_pack("{s:s}", "type", "string");
}

int ops_openapi(struct req *r)
{
	json_t *paths = json_object();
	for (size_t i = 0; i < api_nroutes; i++) {
		const struct route *rt = &api_routes[i];
		char path[256];
		const char *star = strstr(rt->pattern, "{*");
		if (star)
			snprintf(path, sizeof path, "%.*s{%s", (int)(star - rt->pattern), rt->pattern, star + 2);
		else
			snprintf(path, sizeof path, "%s", rt->pattern);
		json_t *item = json_object_get(paths, path);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, path, item);
		}
		char method[8];
		size_t k;
		for (k = 0; rt->method[k] && k < sizeof method - 1; k++)
			method[k] = (char)(rt->method[k] | 0x20);
		method[k] = 0;
		json_t *params = path_params(rt->pattern);
		const char *q = strcmp(rt->query, "*") ? rt->query : "";
		while (q && *q) {
			while (*q == ' ')
				q++;
			const char *e = strchr(q, ' ');
			size_t n = e ? (size_t)(e - q) : strlen(q);
			if (n)
				json_array_append_new(params, json_pack("{s:o, s:s, s:o}", "name", json_stringn(q, n),
									"in", "query", "schema", query_schema(q, n)));
			q += n;
		}
		json_t *op = json_pack("{s:s, s:o, s:{s:{s:s}, s:{s:s}}}", "operationId", rt->name, "parameters",
				       params, "responses", "default", "description", "error: {\"error\":{...}}",
				       "200", "description", "success");
		if (rt->perm != P_NONE)
			json_object_set_new(op, "x-permission", json_string(perm_name(rt->perm)));
		if (rt->flags & R_PUBLIC)
			json_object_set_new(op, "security", json_array());
		if (rt->body_max)
			json_object_set_new(op, "requestBody",
					    (rt->flags & R_RAW)
						    ? json_pack("{s:{s:{s:{s:s, s:s}}}}", "content", "*/*", "schema", "type",
								"string", "format", "binary")
						    : json_pack("{s:{s:{s:{s:s}}}}", "content", "application/json", "schema",
								"type", "object"));
		if (rt->flags & R_CREATE)
			json_object_set_new(op, "x-idempotency-key", json_true());
		/* What the dispatcher enforces, for clients and for the generated tests. */
		json_object_set_new(op, "x-body-limit-kib", json_integer((json_int_t)(rt->body_max / 1024)));
		if (rt->flags & (R_WRITE | R_AUDIT))
			json_object_set_new(op, "x-write", json_true());
		if (!strcmp(rt->query, "*"))
			json_object_set_new(op, "x-any-query", json_true());
		json_object_set_new(item, method, op);
	}
	json_t *doc = json_pack(
		"{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:{s:{s:s, s:s}, s:{s:s, s:s, s:s}}}, s:[{s:[]}, {s:[]}]}",
		"openapi", "3.0.3", "info", "title", "Wenming API", "version", WENMING_VERSION, "description",
		"文明 — civilized-city operations platform", "paths", paths, "components", "securitySchemes",
		"bearer", "type", "http", "scheme", "bearer", "cookie", "type", "apiKey", "in", "cookie", "name",
		"wm_session", "security", "bearer", "cookie");
	return reply_json(r, 200, doc);
}
