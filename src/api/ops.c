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
				json_array_append_new(params, json_pack("{s:o, s:s, s:{s:s}}", "name", json_stringn(q, n),
									"in", "query", "schema", "type", "string"));
			q += n;
		}
		json_t *op = json_pack("{s:s, s:o, s:{s:{s:s}, s:{s:s}}}", "operationId", rt->name, "parameters",
				       params, "responses", "default", "description", "error: {\"error\":{...}}",
				       "200", "description", "success");
		if (rt->perm)
			json_object_set_new(op, "x-permission", json_string(rt->perm));
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
