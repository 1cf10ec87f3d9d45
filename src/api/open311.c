/*
 * open311.c — Open311 GeoReport v2 at /open311/v2/ (discovery, services,
 * service definitions, requests GET and POST, tokens), in JSON and XML.
 *
 * Categories are services; a request is a problem (a citizen tip, source
 * "open311"). Our states map to open/closed, with the Chinese state in
 * status_notes. Public output names no reporter and gives the place only as
 * the community and a location rounded to about 100 m (SPEC §2).
 * POST without api_key is an anonymous citizen tip; with a key issued by an
 * admin (POST /api/v1/open311/keys) it is reported by the key's account.
 * Errors follow the GeoReport format: [{"code":N,"description":"…"}]; every
 * success is 200, as in the GeoReport examples (a created request too).
 * Addresses are not geocoded: address_string must name one of our compounds
 * or communities, else lat & long are needed.
 */
#include "api.h"
#include "lifecycle.h"
#include "open311.h"
#include "core/crypto.h"
#include "core/mask_text.h"
#include "core/throttle.h"
#include "core/timefmt.h"
#include "core/validate.h"
#include "core/workflow.h"
#include <libxml/xmlwriter.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *singular(const char *plural)
{
	static const char *const map[][2] = {
		{"endpoints", "endpoint"}, {"formats", "format"}, {"attributes", "attribute"}, {"values", "value"},
		{"services", "service"},   {"service_requests", "request"}, {"errors", "error"},
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strcmp(map[i][0], plural))
			return map[i][1];
	return "item";
}

/*
 * XML 1.0 cannot carry C0 controls other than tab, LF and CR, nor U+FFFE and
 * U+FFFF, even as character references, and libxml2's writer copies them
 * through, making the document ill-formed for every client (found by
 * fuzz/fuzz_open311.c). They become U+FFFD. s is valid UTF-8 (jansson).
 * Returns a malloc'd copy, or NULL when out of memory.
 */
static char *xml_text(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n * 3 + 1), *o = out;	/* a 1-byte control grows to 3 bytes */
	if (!out)
		return NULL;
	for (const unsigned char *c = (const unsigned char *)s; *c;) {
		int ctl = *c < 0x20 && *c != '\t' && *c != '\n' && *c != '\r';
		int nonchar = c[0] == 0xEF && c[1] == 0xBF && (c[2] == 0xBE || c[2] == 0xBF);
		if (ctl || nonchar) {
			memcpy(o, "\xEF\xBF\xBD", 3);
			o += 3;
			c += ctl ? 1 : 3;
		} else
			*o++ = (char)*c++;
	}
	*o = 0;
	return out;
}

static void xml_value(xmlTextWriterPtr w, const char *name, json_t *v)
{
	xmlTextWriterStartElement(w, BAD_CAST name);
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x) xml_value(w, k, x);
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) xml_value(w, singular(name), x);
	} else if (json_is_string(v)) {
		char *t = xml_text(json_string_value(v));
		if (t)
			xmlTextWriterWriteString(w, BAD_CAST t);
		free(t);
	}
	else if (json_is_integer(v))
		xmlTextWriterWriteFormatString(w, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		xmlTextWriterWriteFormatString(w, "%.6f", json_real_value(v));
	else if (json_is_boolean(v))
		xmlTextWriterWriteString(w, BAD_CAST(json_is_true(v) ? "true" : "false"));
	xmlTextWriterEndElement(w);
}

char *open311_render(int xml, json_t *body, const char *root, size_t *len)
{
	if (!xml) {
		char *s = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(9));
		*len = s ? strlen(s) : 0;
		return s;
	}
	xmlBufferPtr b = xmlBufferCreate();
	xmlTextWriterPtr w = b ? xmlNewTextWriterMemory(b, 0) : NULL;
	if (!w) {
		if (b)
			xmlBufferFree(b);
		return NULL;
	}
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xml_value(w, root, body);
	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	char *s = malloc((size_t)xmlBufferLength(b) + 1);
	if (s) {
		*len = (size_t)xmlBufferLength(b);
		memcpy(s, xmlBufferContent(b), *len);
		s[*len] = 0;
	}
	xmlBufferFree(b);
	return s;
}

/* Answers body (stolen) as JSON or as XML under `root`. */
static int answer(struct req *r, int xml, int status, json_t *body, const char *root)
{
	reply_header(r, "Access-Control-Allow-Origin", "*");
	size_t len = 0;
	char *s = open311_render(xml, body, root, &len);
	json_decref(body);
	if (!s && xml)
		return reply_error(r, 500, "internal", "服务器内部错误", NULL);
	if (xml)
		reply_raw(r, status, "text/xml; charset=utf-8", s, len, 0);
	else
		reply_raw(r, status, "application/json; charset=utf-8", s ? s : "[]", s ? len : 2, 0);
	free(s);
	return status;
}

static int o311_error(struct req *r, int xml, int status, const char *desc)
{
	return answer(r, xml, status, json_pack("[{s:i, s:s}]", "code", status, "description", desc), "errors");
}

int open311_status_error(struct req *r, int status)
{
	const char *dot = strrchr(r->path, '.');
	int xml = dot && !strcmp(dot, ".xml");
	const char *desc = status == 405   ? "method not allowed: use GET, or POST for requests"
			   : status == 413 ? "request body too large (a description holds at most 4000 characters)"
			   : status == 404 ? "unknown endpoint"
			   : status == 429 ? "too many requests"
					   : "bad request";
	return o311_error(r, xml, status, desc);
}

/* Splits "name.json" / "name.xml": returns 0 json, 1 xml, -1 neither; *base
 * receives the name without the extension (arena copy). */
static int split_format(struct req *r, const char *seg, char **base)
{
	const char *dot = strrchr(seg, '.');
	if (!dot)
		return -1;
	*base = arena_strndup(&r->arena, seg, (size_t)(dot - seg));
	return !strcmp(dot, ".json") ? 0 : !strcmp(dot, ".xml") ? 1 : -1;
}

static json_t *service_json(json_t *c, json_t *parent)
{
	char desc[512];
	snprintf(desc, sizeof desc, "%s（默认处置时限 %lld %s）", jstr(c, "name"), (long long)jint(c, "deadline_amount", 0),
		 !strcmp(jstr(c, "deadline_unit") ? jstr(c, "deadline_unit") : "", "work_days")    ? "个工作日"
		 : !strcmp(jstr(c, "deadline_unit") ? jstr(c, "deadline_unit") : "", "work_hours") ? "个工作小时"
												    : "小时");
	return json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "service_code", jstr(c, "code"), "service_name",
			 jstr(c, "name"), "description", desc, "metadata", 0, "type", "realtime", "keywords",
			 jstr(c, "name_en") ? jstr(c, "name_en") : "", "group",
			 parent ? jstr(parent, "name") : jstr(c, "name"));
}

/* Leaf categories that may be reported (active, not record-only). */
static json_t *services(void)
{
	json_t *all = store_category_list(0), *out = json_array();
	size_t i, k;
	json_t *c, *d;
	json_array_foreach(all, i, c) {
		if (jbool(c, "record_only", 0))
			continue;
		int has_children = 0;
		json_array_foreach(all, k, d) has_children |= jint(d, "parent_id", 0) == jint(c, "id", -1);
		if (has_children)
			continue;
		json_t *parent = NULL;
		json_array_foreach(all, k, d) if (jint(d, "id", -1) == jint(c, "parent_id", 0)) parent = d;
		json_array_append_new(out, service_json(c, parent));
	}
	json_decref(all);
	return out;
}

json_t *open311_request_json(json_t *p)
{
	const char *state = jstr(p, "state");
	int s = wf_state_parse(state);
	static const char *const notes[] = {"已受理待立案", "已立案", "不予立案", "已合并到其他问题", "已派遣处置单位",
					    "处置单位已签收，整改中", "已整改，待核查", "已核查销号", "问题回潮，重新处理"};
	char buf[32];
	/* Public output: phone and ID numbers residents typed into the text are masked. */
	const char *d = jstr(p, "description");
	char *desc = strdup(d ? d : "");
	if (!desc)
		return NULL;
	mask_text_numbers(desc, strlen(desc));
	mask_text_places(desc, strlen(desc));	/* below compound level: building, room (SPEC §2) */
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "service_request_id", jstr(p, "code"),
			      "status", wf_is_final(s) ? "closed" : "open", "status_notes",
			      s >= 0 ? notes[s] : "", "service_name", jstr(p, "category_name"), "service_code",
			      jstr(p, "category"), "description", desc, "agency_responsible",
			      jstr(p, "handler_name") ? jstr(p, "handler_name") : "", "service_notice", "");
	free(desc);
	if (!o)
		return NULL;
	time_rfc3339(jint(p, "created_at", 0), buf, sizeof buf);
	json_object_set_new(o, "requested_datetime", json_string(buf));
	time_rfc3339(jint(p, "updated_at", 0), buf, sizeof buf);
	json_object_set_new(o, "updated_datetime", json_string(buf));
	if (json_is_integer(json_object_get(p, "deadline"))) {
		time_rfc3339(jint(p, "deadline", 0), buf, sizeof buf);
		json_object_set_new(o, "expected_datetime", json_string(buf));
	}
	/* Public output: the community, and the point rounded to ~100 m. */
	json_object_set_new(o, "address", json_string(jstr(p, "org_name") ? jstr(p, "org_name") : ""));
	json_object_set_new(o, "address_id", json_string(""));
	json_object_set_new(o, "zipcode", json_string(""));
	json_t *lat = json_object_get(p, "lat"), *lng = json_object_get(p, "lng");
	if (json_is_number(lat) && json_is_number(lng)) {
		json_object_set_new(o, "lat", json_real(round(json_number_value(lat) * 1000) / 1000));
		json_object_set_new(o, "long", json_real(round(json_number_value(lng) * 1000) / 1000));
	}
	return o;
}

static json_t *csv_array(const char *s)
{
	json_t *a = json_array();
	char buf[4096];	/* query values are at most 2048 bytes (dispatch.c): never cut */
	snprintf(buf, sizeof buf, "%s", s);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (*t)
			json_array_append_new(a, json_string(t));
	return a;
}

static void set_json_text(json_t *f, const char *key, json_t *arr)
{
	char *s = json_dumps(arr, JSON_COMPACT);
	json_object_set_new(f, key, json_string(s));
	free(s);
	json_decref(arr);
}

/* The public feed holds what citizens reported (citizen tips and Open311
 * requests), never the street's own findings (inspections, 暗访, patrols,
 * self-checks, volunteers' reports): review 2026-12-07 #14. The list's
 * filter takes one source, so two lists merged newest first. */
static json_t *citizen_rows(json_t *f, int limit)
{
	json_object_set_new(f, "source", json_string("citizen_tip"));
	json_t *a = store_problem_list(f, 0, limit);
	json_object_set_new(f, "source", json_string("open311"));
	json_t *b = store_problem_list(f, 0, limit);
	json_t *out = a && b ? json_array() : NULL;
	size_t i = 0, k = 0;
	while (out && (int)json_array_size(out) < limit && (i < json_array_size(a) || k < json_array_size(b))) {
		json_t *x = json_array_get(a, i), *y = json_array_get(b, k);
		int take_a = x && (!y || jint(x, "id", 0) > jint(y, "id", 0));
		json_array_append(out, take_a ? x : y);
		take_a ? i++ : k++;
	}
	json_decref(a);
	json_decref(b);
	return out;
}

static int requests_get(struct req *r, int xml)
{
	json_t *f = json_pack("{s:b}", "scope_all", 1);
	int64_t t;
	const char *ids = qstr(r, "service_request_id");
	if (ids)
		set_json_text(f, "codes", csv_array(ids));
	else {
		if (qstr(r, "service_code"))
			set_json_text(f, "category_codes", csv_array(qstr(r, "service_code")));
		const char *st = qstr(r, "status");
		if (st) {
			json_t *states = json_array(), *want = csv_array(st);
			size_t i;
			json_t *w;
			json_array_foreach(want, i, w) {
				const char *v = json_string_value(w);
				if (!strcmp(v, "open")) {
					static const char *const open[] = {"reported", "accepted", "dispatched", "acknowledged",
									   "rectified", "reopened"};
					for (int k = 0; k < 6; k++)
						json_array_append_new(states, json_string(open[k]));
				} else if (!strcmp(v, "closed")) {
					json_array_append_new(states, json_string("closed"));
					json_array_append_new(states, json_string("rejected"));
					json_array_append_new(states, json_string("merged"));
				} else {
					json_decref(want);
					json_decref(states);
					json_decref(f);
					return o311_error(r, xml, 400, "status must be open or closed");
				}
			}
			json_decref(want);
			set_json_text(f, "states", states);
		}
		static const char *const keys[] = {"start_date", "end_date"};
		for (int i = 0; i < 2; i++) {
			const char *d = qstr(r, keys[i]);
			if (!d)
				continue;
			if (time_parse(d, 1, &t)) {
				json_decref(f);
				return o311_error(r, xml, 400, "start_date and end_date must be w3c / RFC 3339 date-times");
			}
			json_object_set_new(f, i ? "to" : "from", json_integer(t));
		}
		/* GeoReport's default window: the last 90 days. */
		if (!qstr(r, "start_date") && !qstr(r, "end_date"))
			json_object_set_new(f, "from", json_integer(app_now() - 90 * 86400));
	}
	json_t *rows = citizen_rows(f, 1000);
	json_decref(f);
	if (!rows)
		return o311_error(r, xml, 500, "internal error");
	json_t *out = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(rows, i, p) json_array_append_new(out, open311_request_json(p));
	json_decref(rows);
	return answer(r, xml, 200, out, "service_requests");
}

static int request_one(struct req *r, int xml, const char *id)
{
	json_t *p = store_problem_by_code(id);
	if (!p || !citizen_source(jstr(p, "source"))) {	/* the street's own findings are not published */
		json_decref(p);
		return o311_error(r, xml, 404, "service_request_id not found");
	}
	json_t *out = json_pack("[o]", open311_request_json(p));
	json_decref(p);
	return answer(r, xml, 200, out, "service_requests");
}

#define DISCOVERY_CHANGESET "2026-12-07T00:00:00+08:00"

int open311_get(struct req *r)
{
	const char *rest = r->m.rest;
	char *base = NULL;
	const char *slash = strchr(rest, '/');
	int xml = split_format(r, slash ? slash + 1 : rest, &base);
	if (xml < 0)
		return o311_error(r, 0, 404, "unknown endpoint: add .json or .xml");
	if (!slash && !strcmp(base, "discovery")) {
		char url[600], pub[512];
		link_base(r, pub, sizeof pub);	/* never the Host header (security review #17) */
		snprintf(url, sizeof url, "%s/open311/v2", pub);
		/* The last time this document changed (Service Discovery's "changeset"):
		 * change it with the document. */
		const char *now = DISCOVERY_CHANGESET;
		return answer(r, xml, 200,
			      json_pack("{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:[s, s]}]}", "changeset", now,
					"contact", "街道文明办", "key_service", "API keys are issued by the administrator",
					"endpoints", "specification", "http://wiki.open311.org/GeoReport_v2", "url", url,
					"changeset", now, "type", "production", "formats", "application/json", "text/xml"),
			      "discovery");
	}
	if (!slash && !strcmp(base, "services"))
		return answer(r, xml, 200, services(), "services");
	if (!slash && !strcmp(base, "requests"))
		return requests_get(r, xml);
	if (slash && !strncmp(rest, "services/", 9)) {
		json_t *c = store_category_by_code(base);
		if (!c || !jbool(c, "active", 1)) {
			json_decref(c);
			return o311_error(r, xml, 404, "service_code not found");
		}
		json_decref(c);
		return answer(r, xml, 200, json_pack("{s:s, s:[]}", "service_code", base, "attributes"),
			      "service_definition");
	}
	if (slash && !strncmp(rest, "requests/", 9))
		return request_one(r, xml, base);
	if (slash && !strncmp(rest, "tokens/", 7)) {
		/* The token is the tracking code the POST answered (citizen.c). */
		int64_t pid = citizen_track_lookup(base);
		json_t *p = pid ? store_problem_get(pid) : NULL;
		if (!p)
			return o311_error(r, xml, 404, "token not found");
		json_t *out = json_pack("[{s:s, s:s}]", "service_request_id", jstr(p, "code"), "token", base);
		json_decref(p);
		return answer(r, xml, 200, out, "service_requests");
	}
	return o311_error(r, xml, 404, "unknown endpoint");
}

/* Addresses are not geocoded; an address naming one of our compounds, sites
 * or communities (e.g. "锦绣前城 3号楼") is placed there; the longest name
 * found wins ("由由五村" over a site "由由"). The community id (and the
 * place's point into lat/lng, NAN when it has none), or 0. */
static int64_t org_in_address(const char *addr, double *lat, double *lng)
{
	static const char *const kinds[] = {"compound", "community"};
	int64_t best = 0;
	size_t best_len = 0;
	for (int k = 0; k < 3; k++) {
		json_t *f = k < 2 ? json_pack("{s:s}", "kind", kinds[k]) : json_pack("{s:[s]}", "scope_org_paths", "");
		json_t *list = k < 2 ? store_org_list(f, NULL, 1000) : store_site_list(f, 0, 1000);
		json_decref(f);
		size_t i;
		json_t *o;
		json_array_foreach(list, i, o) {
			const char *name = jstr(o, "name");
			if (!name || strlen(name) <= best_len || !strstr(addr, name) || (k == 2 && !jbool(o, "active", 1)))
				continue;
			int64_t id = store_community_of(k == 2 ? jint(o, "org_id", 0) : jint(o, "id", 0));
			if (id <= 0)
				continue;
			json_t *pt = json_object_get(o, "lat"), *pn = json_object_get(o, "lng");
			*lat = json_is_number(pt) ? json_number_value(pt) : NAN;
			*lng = json_is_number(pn) ? json_number_value(pn) : NAN;
			best = id;
			best_len = strlen(name);
		}
		json_decref(list);
	}
	return best;
}

/* Where a request goes (review 2026-12-07, coverage 5): the community that
 * owns the compound or site its address names; else the owner of the
 * compound or site within about 300 m of its point; else the community whose
 * centre is nearest. lat/lng: the point given (NAN when none); receive the
 * named place's point when none was given. 0 when nothing fits. */
#define PLACE_RADIUS_M 300
static int64_t route_request(const char *addr, double *lat, double *lng)
{
	int have_point = isfinite(*lat) && isfinite(*lng);
	if (addr) {
		double alat = NAN, alng = NAN;
		int64_t org = org_in_address(addr, &alat, &alng);
		if (org > 0) {
			if (!have_point)
				*lat = alat, *lng = alng;
			return org;
		}
	}
	if (!have_point)
		return 0;
	int64_t place = store_place_near(*lat, *lng, PLACE_RADIUS_M);
	int64_t org = place > 0 ? store_community_of(place) : 0;
	return org > 0 ? org : store_nearest_community(*lat, *lng);
}

/* application/x-www-form-urlencoded into an object; -1 on bad encoding. */
static int parse_form(const char *s, size_t n, json_t *out)
{
	char *buf = malloc(n + 1);
	if (!buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = 0;
	int rc = 0;
	for (char *save = NULL, *pair = strtok_r(buf, "&", &save); pair && !rc; pair = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(pair, '=');
		if (eq)
			*eq = 0;
		/* A pair without '=' has an empty value: point at the pair's own NUL,
		 * not at a literal "" that the decoder below writes to (found by
		 * fuzz/fuzz_api.c: "a&b" crashed the server, anonymously). */
		char *parts[2] = {pair, eq ? eq + 1 : pair + strlen(pair)};
		for (int k = 0; k < 2; k++) {
			char *w = parts[k];
			for (char *p = parts[k]; *p; p++) {
				if (*p == '+')
					*w++ = ' ';
				else if (*p == '%' && p[1] && p[2]) {
					char hex[3] = {p[1], p[2], 0}, *end;
					long v = strtol(hex, &end, 16);
					if (*end || v == 0) {
						rc = -1;
						break;
					}
					*w++ = (char)v;
					p += 2;
				} else
					*w++ = *p;
			}
			*w = 0;
		}
		if (!rc && (!utf8_valid_text(parts[0], strlen(parts[0])) || !utf8_valid_text(parts[1], strlen(parts[1]))))
			rc = -1;
		if (!rc)
			json_object_set_new(out, parts[0], json_string(parts[1]));
	}
	free(buf);
	return rc;
}

/* Anonymous (keyless) reports per client address (review 2026-12-07 #11): a
 * burst of 10, then 30 an hour, on the application clock. Trusted clients
 * with an api_key are not limited. WENMING_OPEN311_ANON_LIMIT="burst,per_hour"
 * changes it ("0" turns it off), read once (docs/OPERATIONS.md). */
static struct throttle_limit anon_limit = {10, 30};
static pthread_once_t anon_once = PTHREAD_ONCE_INIT;

static void anon_limit_load(void)
{
	const char *e = getenv("WENMING_OPEN311_ANON_LIMIT");
	int b, h;
	if (e && sscanf(e, "%d,%d", &b, &h) == 2 && b >= 0 && h >= 0)
		anon_limit = (struct throttle_limit){b, h};
	else if (e && !strcmp(e, "0"))
		anon_limit = (struct throttle_limit){0, 0};
}

static int anon_allowed(struct req *r, int64_t *retry_after)
{
	pthread_once(&anon_once, anon_limit_load);
	char key[80];
	snprintf(key, sizeof key, "open311:%s", r->ip);
	return throttle_take(&anon_limit, key, app_now(), retry_after);
}

/* What goes with a new request's row, in the caller's transaction: the
 * report's lifecycle effects (the "report" event, the search index, the
 * chronic-spot check), the sealed contact details, the reporter's tracking
 * code (into track, 24 bytes) and the audit entry; now is the request's
 * created_at. */
static int record_request(struct req *r, int64_t id, const json_t *form, int64_t account, int64_t now,
			  const char *pcode, char *track)
{
	/* Contact details are personal data: sealed apart (open311_contact.c),
	 * never in the history nor in Open311 output. */
	json_t *data = json_object();
	if (jstr(form, "media_url") && *jstr(form, "media_url"))
		json_object_set_new(data, "media_url", json_string(jstr(form, "media_url")));
	/* The report's effects (lifecycle.c): event, index, chronic check. */
	struct lc_run x = {.transition = LC_REPORT_OPEN311, .id = id, .actor = account, .now = now,
			   .to = wf_state_name(WF_REPORTED), .note = "Open311", .data = data};
	int rc = lifecycle_run(&x);
	json_decref(data);
	if (!rc)
		rc = open311_contact_seal(id, form);
	if (!rc)
		rc = citizen_track_issue(id, "open311", track, 24);
	if (!rc)
		rc = audit(r, "report", "problem", id, NULL, json_pack("{s:s, s:s}", "code", pcode, "source", "open311"));
	return rc;
}

static int refuse_throttled(struct req *r, int xml, int64_t wait)
{
	char ra[24];
	snprintf(ra, sizeof ra, "%lld", (long long)wait);
	reply_header(r, "Retry-After", ra);
	return o311_error(r, xml, 429, "too many anonymous requests from this address: try again later, or ask for an api_key");
}

/* Files the request as a problem (source open311) with its Open311 record,
 * in a transaction of its own; pcode and track are set. 0, or nonzero when
 * nothing was saved. */
static int file_request(struct req *r, const json_t *form, const json_t *cat, int64_t org, double lat, double lng,
			int64_t account, char pcode[48], char track[24])
{
	const char *desc = jstr(form, "description");
	int64_t now = app_now();
	char *prefix = store_setting_get("code_prefix"), counter[32];
	int year;
	unsigned mo, d;
	civil_from_days((now + 8 * 3600) / 86400, &year, &mo, &d);
	snprintf(counter, sizeof counter, "problem:%d", year);
	int rc = store_begin();
	int64_t seq = rc ? 0 : store_counter_next(counter);
	if (seq < 0)	/* the counter's write failed (a STORE_* code) */
		rc = (int)seq;
	snprintf(pcode, 48, "%s-%d-%06lld", prefix ? prefix : "WM", year, (long long)seq);
	free(prefix);
	json_t *row = json_pack("{s:s, s:s, s:O, s:I, s:s, s:s, s:s, s:I}", "code", pcode, "state", "reported",
				"category_id", json_object_get(cat, "id"), "org_id", (json_int_t)org, "source", "open311",
				"urgency", "normal", "description", desc && *desc ? desc : jstr(cat, "name"), "created_at",
				(json_int_t)now);
	if (isfinite(lat) && isfinite(lng)) {
		json_object_set_new(row, "lat", json_real(lat));
		json_object_set_new(row, "lng", json_real(lng));
	}
	if (account)
		json_object_set_new(row, "reporter_id", json_integer(account));
	if (jstr(form, "address_string"))
		json_object_set_new(row, "address", json_string(jstr(form, "address_string")));
	int64_t id = 0;
	if (!rc)
		rc = store_problem_create(row, &id);
	json_decref(row);
	track[0] = '\0';
	if (!rc)
		rc = record_request(r, id, form, account, now, pcode, track);
	if (rc || store_commit()) {
		store_rollback();
		return rc ? rc : STORE_EIO;
	}
	return 0;
}

int open311_post(struct req *r)
{
	const char *rest = r->m.rest;
	char *base = NULL;
	int xml = split_format(r, rest, &base);
	if (xml < 0 || strcmp(base, "requests"))
		return o311_error(r, xml < 0 ? 0 : xml, 404, "unknown endpoint");
	const char *ct = req_header(r, "Content-Type");
	if (ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33))
		return o311_error(r, xml, 400, "send the request as application/x-www-form-urlencoded");
	json_t *form = json_object();
	if (parse_form(r->body.data ? r->body.data : "", r->body.len, form)) {
		json_decref(form);
		return o311_error(r, xml, 400, "malformed form encoding");
	}
	/* Query-string parameters count too (some clients send them there). */
	json_object_update_missing(form, r->query);
	int64_t account = 0;
	const char *key = jstr(form, "api_key");
	if (key && *key) {
		char h[65];
		token_hash(key, h, sizeof h);
		account = store_open311_key_account(h);
		if (account <= 0) {
			json_decref(form);
			return o311_error(r, xml, 403, "invalid api_key");
		}
	}
	const char *code = jstr(form, "service_code");
	json_t *cat = code && *code ? store_category_by_code(code) : NULL;
	const char *slat = jstr(form, "lat"), *slng = jstr(form, "long");
	char *e1 = NULL, *e2 = NULL;
	double lat = slat ? strtod(slat, &e1) : NAN, lng = slng ? strtod(slng, &e2) : NAN;
	const char *desc = jstr(form, "description");
	const char *addr = jstr(form, "address_string");
	if (addr && !*addr)
		addr = NULL;
	const char *problem = !code || !*code			   ? "service_code is required"
			      : !cat || !jbool(cat, "active", 1) || jbool(cat, "record_only", 0) ? "service_code not found"
			      : (!slat || !slng) && !addr	   ? "a location is required: lat & long, or address_string"
			      : slat && slng && (*e1 || *e2 || !isfinite(lat) || !isfinite(lng) || fabs(lat) > 90 || fabs(lng) > 180)
				      ? "lat and long must be decimal degrees"
			      : desc && utf8_length(desc, strlen(desc)) > 4000
				      ? "description is too long (4000 characters at most)"
				      : NULL;
	if (problem) {
		json_decref(cat);
		json_decref(form);
		return o311_error(r, xml, problem[0] == 's' && strstr(problem, "not found") ? 404 : 400, problem);
	}
	int64_t wait = 0;
	if (!account && !anon_allowed(r, &wait)) {
		json_decref(cat);
		json_decref(form);
		return refuse_throttled(r, xml, wait);
	}
	if (!(slat && slng))
		lat = lng = NAN;
	int64_t org = route_request(addr, &lat, &lng);
	if (org <= 0) {
		json_decref(cat);
		json_decref(form);
		return o311_error(r, xml, 400, slat && slng ? "no community of this installation is near that location"
							   : "address_string names no compound or community of this installation; send lat & long");
	}
	char pcode[48], track[24];
	int rc = file_request(r, form, cat, org, lat, lng, account, pcode, track);
	json_decref(cat);
	json_decref(form);
	if (rc)
		return o311_error(r, xml, 500, "the request could not be saved");
	/* The token is the reporter's tracking code (GET tokens/{token}, and the
	 * tracking page /#/track): the request id alone tracks nothing. */
	char notice[160];
	snprintf(notice, sizeof notice, "已受理。请保存查询码 %s，凭它查询处理进度", track);
	return answer(r, xml, 200,
		      json_pack("[{s:s, s:s, s:s}]", "service_request_id", pcode, "token", track, "service_notice", notice),
		      "service_requests");
}

/* Admin: issue and list API keys for trusted Open311 clients. The key is
 * shown once; only its hash is kept. */
int open311_keys_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"name", F_STR, F_REQ, 1, 100}, {"account_id", F_INT, F_REQ, 1, INT64_MAX}, {NULL, 0, 0, 0, 0}};
	int st = body_check(r, spec);
	if (st)
		return st;
	json_t *a = store_account_get(jint(r->json, "account_id", 0));
	json_decref(a);
	if (!a)
		return reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "account_id", "code", "not_found", "message",
						 "账号不存在"));
	char key[64], h[65];
	token_new(key, sizeof key, 24);
	token_hash(key, h, sizeof h);
	int64_t id;
	int rc = store_open311_key_add(h, jstr(r->json, "name"), jint(r->json, "account_id", 0), app_now(), &id);
	if (!rc)
		rc = audit(r, "create", "open311_key", id, NULL, json_pack("{s:O}", "name", json_object_get(r->json, "name")));
	if (rc)
		return reply_store_error(r, rc);
	return reply_json(r, 201, json_pack("{s:I, s:O, s:O, s:s}", "id", (json_int_t)id, "name",
					    json_object_get(r->json, "name"), "account_id",
					    json_object_get(r->json, "account_id"), "api_key", key));
}

int open311_keys_list(struct req *r)
{
	json_t *items = store_open311_key_list();
	if (!items)
		return reply_store_error(r, STORE_EIO);
	static const char *const keys[] = {"created_at", "revoked_at", NULL};
	size_t i;
	json_t *k;
	json_array_foreach(items, i, k) render_times(k, keys);
	return reply_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}
