/*
 * fuzz_open311.c — the Open311 writers (src/api/open311.c): a problem row
 * with arbitrary text in every field goes through open311_request_json and
 * open311_render as JSON and as XML. Input: the fields separated by 0x1F
 * bytes, in the order code, state, category_name, category, description,
 * handler_name, org_name; then created_at, lat and lng from the last bytes.
 * Properties: the JSON parses back (jansson) to the same values; the XML is
 * well-formed (libxml2, no network, no entities) with root service_requests,
 * one request element, and each string field's element holding exactly the
 * text that went in; no reporter field is ever written.
 */
#include "fuzz.h"
#include "api/open311.h"
#include "core/validate.h"
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

static const char *const keys[] = {"code", "state", "category_name", "category", "description", "handler_name",
				   "org_name"};
#define NKEYS (sizeof keys / sizeof *keys)

static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, silent);
	return 0;
}

static void check_json(json_t *req)
{
	json_t *body = json_pack("[O]", req);
	size_t len = 0;
	char *s = open311_render(0, body, "service_requests", &len);
	CHECK(s && len == strlen(s));
	json_error_t err;
	json_t *back = json_loadb(s, len, 0, &err);
	CHECK(back && json_is_array(back) && json_array_size(back) == 1);
	json_t *o = json_array_get(back, 0);
	const char *k;
	json_t *v;
	json_object_foreach(req, k, v) {
		json_t *w = json_object_get(o, k);
		CHECK(w);
		if (json_is_string(v))
			CHECK(json_equal(v, w));
		else if (json_is_number(v))
			CHECK(json_is_number(w) && json_number_value(w) - json_number_value(v) < 1e-6 &&
			      json_number_value(v) - json_number_value(w) < 1e-6);
	}
	CHECK(json_object_size(o) == json_object_size(req));
	json_decref(back);
	json_decref(body);
	free(s);
}

/* What XML 1.0 can carry (open311.c): the characters it has no room for
 * become U+FFFD. */
static char *xml_carried(const char *in)
{
	char *w = malloc(strlen(in) * 3 + 1), *o = w;
	CHECK(w);
	for (const unsigned char *c = (const unsigned char *)in; *c; c++) {
		if ((*c < 0x20 && !strchr("\t\n\r", *c)) ||
		    (c[0] == 0xEF && c[1] == 0xBF && (c[2] == 0xBE || c[2] == 0xBF))) {
			memcpy(o, "\xEF\xBF\xBD", 3);
			o += 3;
			c += *c < 0x20 ? 0 : 2;
		} else
			*o++ = (char)*c;
	}
	*o = 0;
	return w;
}

static void check_xml(json_t *req)
{
	json_t *body = json_pack("[O]", req);
	size_t len = 0;
	char *s = open311_render(1, body, "service_requests", &len);
	CHECK(s);
	xmlDocPtr doc = xmlReadMemory(s, (int)len, NULL, "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		fprintf(stderr, "ill-formed XML:\n%s\n", s);
	CHECK(doc);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	CHECK(root && !strcmp((const char *)root->name, "service_requests"));
	xmlNodePtr one = xmlFirstElementChild(root);
	CHECK(one && !strcmp((const char *)one->name, "request") && !xmlNextElementSibling(one));
	size_t seen = 0;
	for (xmlNodePtr f = xmlFirstElementChild(one); f; f = xmlNextElementSibling(f)) {
		json_t *v = json_object_get(req, (const char *)f->name);
		CHECK(v);
		seen++;
		if (json_is_string(v)) {
			xmlChar *text = xmlNodeGetContent(f);
			char *want = xml_carried(json_string_value(v));
			if (strcmp((const char *)text, want))
				fprintf(stderr, "field %s: wrote %s, read back %s\n", f->name, json_string_value(v), text);
			CHECK(!strcmp((const char *)text, want));
			free(want);
			xmlFree(text);
		}
	}
	CHECK(seen == json_object_size(req));
	xmlFreeDoc(doc);
	json_decref(body);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 16 * 1024)
		return 0;
	char *in = fuzz_strndup(data, size);
	json_t *p = json_object();
	char *cur = in;
	size_t k = 0;
	for (; k < NKEYS && cur; k++) {
		char *sep = strchr(cur, 0x1f);
		if (sep)
			*sep = 0;
		json_t *v = json_string(cur);	/* NULL for bytes that are not UTF-8: the store never holds those */
		if (v)
			json_object_set_new(p, keys[k], v);
		cur = sep ? sep + 1 : NULL;
	}
	int64_t t = 0;
	for (size_t i = 0; i < 5 && i < size; i++)
		t = t << 8 | data[size - 1 - i];
	json_object_set_new(p, "created_at", json_integer(t));
	json_object_set_new(p, "updated_at", json_integer(t / 2));
	if (size >= 2) {
		json_object_set_new(p, "lat", json_real((double)(data[size - 1] % 180) - 90 + data[size - 2] / 256.0));
		json_object_set_new(p, "lng", json_real((double)data[size - 2] - 128 + data[size - 1] / 256.0));
	}
	json_t *req = open311_request_json(p);
	if (req) {
		CHECK(!json_object_get(req, "reporter") && !json_object_get(req, "reporter_name") &&
		      !json_object_get(req, "phone"));
		check_json(req);
		check_xml(req);
		json_decref(req);
	}
	json_decref(p);
	free(in);
	return 0;
}
