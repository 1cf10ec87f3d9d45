/*
 * open311_contact.c — an Open311 reporter's contact details (first_name,
 * last_name, phone, email, device_id, account_id) as personal data (SPEC §2,
 * review 2026-12-07 #3): sealed with the data key at report time, masked
 * copies for the staff who work the problem in its community (office, 居委,
 * inspector — never the handler unit nor co-reporters), and the clear values
 * only through POST /api/v1/problems/{id}/contact, for office and the 居委 in
 * scope, each read written to the audit log as "reveal".
 */
#include "api.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/validate.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char *const contact_keys[] = {"first_name", "last_name", "phone", "email", "device_id", "account_id"};
#define NKEYS (sizeof contact_keys / sizeof *contact_keys)

/* Who sees the masked copies, and who may reveal (over the problem's community). */
#define CONTACT_VIEW_ROLES (R_OFFICE | R_COMMITTEE | R_INSPECTOR)
#define CONTACT_REVEAL_ROLES (R_OFFICE | R_COMMITTEE)

/* The byte length of the first UTF-8 character of s (valid UTF-8: jansson). */
static size_t first_char(const char *s)
{
	size_t n = 1;
	while (s[n] && ((unsigned char)s[n] & 0xC0) == 0x80 && n < 4)
		n++;
	return n;
}

/* The first character of s and two stars: "王**". */
static json_t *mask_name(const char *s)
{
	char out[16];
	size_t n = first_char(s);
	memcpy(out, s, n);
	memcpy(out + n, "**", 3);
	return json_string(out);
}

/* "138****5678" for a number with 8+ digits (separators dropped), else "****". */
static json_t *mask_contact_phone(const char *s)
{
	char digits[40], out[40];
	size_t n = 0;
	for (; *s && n < sizeof digits - 1; s++)
		if (*s >= '0' && *s <= '9')
			digits[n++] = *s;
	digits[n] = 0;
	if (n < 8)
		return json_string("****");
	mask_phone(digits, out, sizeof out);
	return json_string(out);
}

/* "w***@example.com"; without an @ only the first character. */
static json_t *mask_email(const char *s)
{
	const char *at = strrchr(s, '@');
	char out[320];
	if (!at || at == s)
		return mask_name(s);
	snprintf(out, sizeof out, "%.*s***%.*s", (int)first_char(s), s, 300, at);
	return json_string(out);
}

/* The first 4 characters of a device id: enough to tell two apart. */
static json_t *mask_device(const char *s)
{
	char out[24];
	size_t n = 0;
	for (int k = 0; k < 4 && s[n]; k++)
		n += first_char(s + n);
	snprintf(out, sizeof out, "%.*s…", (int)n, s);
	return json_string(out);
}

int open311_contact_seal(int64_t problem_id, const json_t *given)
{
	json_t *clear = json_object(), *row = json_object();
	for (size_t k = 0; k < NKEYS; k++) {
		const char *v = jstr(given, contact_keys[k]);
		if (v && *v)
			json_object_set_new(clear, contact_keys[k], json_string(v));
	}
	int rc = STORE_OK;
	if (json_object_size(clear) == 0)
		goto out;
	char *text = json_dumps(clear, JSON_COMPACT | JSON_SORT_KEYS);
	char *sealed = text ? secret_encrypt(text) : NULL;
	if (text)
		sodium_memzero(text, strlen(text));
	free(text);
	if (!sealed) {
		rc = STORE_EIO;
		goto out;
	}
	json_object_set_new(row, "sealed", json_string(sealed));
	free(sealed);
	const char *name = jstr(clear, "last_name") ? jstr(clear, "last_name") : jstr(clear, "first_name");
	if (name)
		json_object_set_new(row, "name_masked", mask_name(name));
	if (jstr(clear, "phone"))
		json_object_set_new(row, "phone_masked", mask_contact_phone(jstr(clear, "phone")));
	if (jstr(clear, "email"))
		json_object_set_new(row, "email_masked", mask_email(jstr(clear, "email")));
	if (jstr(clear, "device_id"))
		json_object_set_new(row, "device_masked", mask_device(jstr(clear, "device_id")));
	rc = store_problem_contact_put(problem_id, row);
out:
	json_decref(clear);
	json_decref(row);
	return rc;
}

int open311_seal_legacy(void)
{
	int sealed = 0;
	for (;;) {
		json_t *rows = store_problem_contacts_legacy(200);
		if (!rows)
			return -1;
		if (json_array_size(rows) == 0) {
			json_decref(rows);
			break;
		}
		int rc = store_begin();
		size_t i;
		json_t *x;
		json_array_foreach(rows, i, x) {
			int64_t id = jint(x, "problem_id", 0);
			if (!rc)
				rc = open311_contact_seal(id, json_object_get(x, "data"));
			if (!rc)
				rc = store_problem_contact_legacy_done(id);
			sealed += !rc;
		}
		json_decref(rows);
		if (rc || store_commit()) {
			store_rollback();
			log_error("could not seal the Open311 contact details of older reports");
			return -1;
		}
	}
	if (sealed)
		log_info("sealed the Open311 contact details of %d older report(s)", sealed);
	return 0;
}

/* Numbers a reporter typed into the description ("联系我 13812345678") are
 * personal data too (SPEC §2: full values only to roles that need them, each
 * view audited): masked in every view but the reporter's own, with
 * `description_masked` set; office and the 居委 read the text as typed
 * through the audited contact route below. */
void problem_description_view(struct req *r, json_t *p)
{
	if (r->account_id && jint(p, "reporter_id", 0) == r->account_id)
		return;
	if (mask_text_field(p, "description")) {
		json_object_set_new(p, "description_masked", json_true());
		json_object_set_new(p, "can_reveal", json_boolean(grants_cover(r, CONTACT_REVEAL_ROLES, jstr(p, "org_path"))));
	}
}

void open311_contact_view(struct req *r, json_t *p)
{
	problem_description_view(r, p);
	if (!grants_cover(r, CONTACT_VIEW_ROLES, jstr(p, "org_path")))
		return;
	json_t *c = store_problem_contact_get(jint(p, "id", 0));
	if (!c)
		return;
	json_object_del(c, "sealed");
	json_object_set_new(c, "can_reveal", json_boolean(grants_cover(r, CONTACT_REVEAL_ROLES, jstr(p, "org_path"))));
	json_object_set_new(p, "contact", c);
}

/* The reporter's contact details as typed into a JSON object, or NULL on a
 * decryption failure; an empty object when the problem has none. */
static json_t *contact_clear(int64_t id)
{
	json_t *c = store_problem_contact_get(id);
	if (!c)
		return json_object();
	char *text = secret_decrypt(jstr(c, "sealed"));
	json_decref(c);
	json_t *clear = text ? json_loads(text, 0, NULL) : NULL;
	if (text)
		sodium_memzero(text, strlen(text));
	free(text);
	return clear;
}

/* POST /api/v1/problems/{id}/contact: the clear contact details and, when it
 * holds numbers that views mask, the description as typed; audited. 404 for
 * a problem out of scope (its existence is not revealed) and for one that
 * has neither. */
int problems_contact(struct req *r)
{
	int64_t id = req_id(r, 0);
	json_t *p = store_problem_get(id);
	if (!p || !grants_cover(r, CONTACT_REVEAL_ROLES, jstr(p, "org_path"))) {
		json_decref(p);
		return reply_error(r, 404, "not_found", "问题不存在或无权查看", NULL);
	}
	json_t *clear = contact_clear(id);
	if (clear && jstr(p, "description")) {
		json_t *m = json_pack("{s:s}", "description", jstr(p, "description"));
		if (mask_text_field(m, "description"))
			json_object_set(clear, "description", json_object_get(p, "description"));
		json_decref(m);
	}
	json_decref(p);
	if (!clear)
		return reply_error(r, 500, "internal", "联系方式无法解密", NULL);
	if (json_object_size(clear) == 0) {
		json_decref(clear);
		return reply_error(r, 404, "not_found", "该问题没有上报人联系方式", NULL);
	}
	/* The read itself is the audited event; what was read is not copied into the log. */
	json_t *fields = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(clear, k, v) json_array_append_new(fields, json_string(k));
	int rc = audit(r, "reveal", "problem", id, NULL, json_pack("{s:s, s:o}", "what", "contact", "fields", fields));
	if (rc) {
		json_decref(clear);
		return reply_store_error(r, rc);
	}
	reply_header(r, "Cache-Control", "no-store");
	return reply_json(r, 200, clear);
}
