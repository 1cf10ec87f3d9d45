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
 * A query parameter's schema, from its typed declaration in routes.def
 * (core/qspec.h) — the same data the dispatcher validates with, so the
 * document and the checks cannot disagree. The generated bad-input corpus
 * (tests/api/badinput-generated.test.mjs) derives its cases from these.
 */
static json_t *query_schema(const struct qparam *q)
{
	json_t *s = NULL;
	switch (q->type) {
	case Q_INT:
		s = json_pack("{s:s, s:I, s:I}", "type", "integer", "minimum", (json_int_t)q->min, "maximum",
			      (json_int_t)q->max);
		if (q->has_dflt)
			json_object_set_new(s, "default", json_integer(q->dflt));
		break;
	case Q_ID:
		s = json_pack("{s:s, s:i}", "type", "integer", "minimum", 1);
		break;
	case Q_IDLIST:
		s = json_pack("{s:s, s:{s:s, s:i}, s:i}", "type", "array", "items", "type", "integer", "minimum", 1,
			      "maxItems", QSPEC_IDS);
		break;
	case Q_CURSOR:
		s = json_pack("{s:s, s:s}", "type", "string", "format", "cursor");
		break;
	case Q_TOKEN:
		s = json_pack("{s:s, s:s, s:I}", "type", "string", "format", "cursor", "maxLength", (json_int_t)q->max);
		break;
	case Q_BOOL:
		s = json_pack("{s:s, s:[s, s, s, s]}", "type", "string", "enum", "true", "false", "1", "0");
		if (q->words[0])
			json_array_append_new(json_object_get(s, "enum"), json_string(q->words));
		json_object_set_new(s, "x-boolean", json_true());
		break;
	case Q_DATE:
		s = json_pack("{s:s, s:s}", "type", "string", "format", "date");
		break;
	case Q_TIME:
		s = json_pack("{s:s, s:s, s:s}", "type", "string", "format", "date-time", "description",
			      "RFC 3339 date-time with offset, or YYYY-MM-DD (00:00 +08:00)");
		break;
	case Q_ENUM: {
		s = json_pack("{s:s, s:[]}", "type", "string", "enum");
		json_t *e = json_object_get(s, "enum");
		for (const char *w = q->words; *w;) {
			size_t n = strcspn(w, " ");
			json_array_append_new(e, json_stringn(w, n));
			w += n + (w[n] == ' ');
		}
		break;
	}
	case Q_NUM:
		s = json_pack("{s:s, s:f, s:f}", "type", "number", "minimum", q->fmin, "maximum", q->fmax);
		break;
	case Q_TEXT:
		s = json_pack("{s:s, s:I}", "type", "string", "maxLength", (json_int_t)q->max);
		break;
	}
	json_object_set_new(s, "x-query-type", json_string(qtype_name(q->type)));
	return s;
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
		const struct qspec *qs = api_route_qspec(rt);
		for (int j = 0; qs && j < qs->n; j++)
			json_array_append_new(params, json_pack("{s:s, s:s, s:o}", "name", qs->p[j].name, "in", "query",
								"schema", query_schema(&qs->p[j])));
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
		if (qs && qs->any)
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
