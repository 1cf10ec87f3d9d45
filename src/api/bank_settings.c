/*
 * bank_settings.c — the love bank's earning rules (bank.h): points per hour,
 * activity and tip, expiry and the transfer switch and cap, stored as one
 * JSON setting (bank_rules) and read with defaults for keys not set.
 */
#include "api.h"
#include "api/bank.h"	/* not src/store/bank.h */
#include <stddef.h>
#include <stdlib.h>

static const struct {
	const char *key;
	size_t off;
	int dflt, min, max;
} cfg_keys[] = {
	{"points_per_hour", offsetof(struct bank_cfg, per_hour), 10, 0, 1000},
	{"points_per_activity", offsetof(struct bank_cfg, per_activity), 5, 0, 1000},
	{"points_per_tip", offsetof(struct bank_cfg, per_tip), 5, 0, 1000},
	{"expiry_days", offsetof(struct bank_cfg, expiry_days), 0, 0, 3650},	/* 0 = points never expire */
	{"transfer_max_per_month", offsetof(struct bank_cfg, transfer_max), 200, 1, 1000000},	/* per sender, China month */
	{"points_per_good_deed", offsetof(struct bank_cfg, per_good_deed), 5, 0, 1000},	/* a verified 好人好事 */
};
#define NCFG (sizeof cfg_keys / sizeof cfg_keys[0])

void bank_cfg_load(struct bank_cfg *c)
{
	char *s = store_setting_get("bank_rules");
	json_t *o = s ? json_loads(s, 0, NULL) : NULL;
	free(s);
	for (size_t i = 0; i < NCFG; i++)
		*(int *)((char *)c + cfg_keys[i].off) = (int)jint(o, cfg_keys[i].key, cfg_keys[i].dflt);
	c->transfer_enabled = jbool(o, "transfer_enabled", 0);
	json_decref(o);
}

json_t *bank_cfg_json(const struct bank_cfg *c)
{
	json_t *o = json_object();
	for (size_t i = 0; i < NCFG; i++)
		json_object_set_new(o, cfg_keys[i].key, json_integer(*(const int *)((const char *)c + cfg_keys[i].off)));
	json_object_set_new(o, "transfer_enabled", json_boolean(c->transfer_enabled));
	return o;
}

int bank_settings_get(struct req *r)
{
	struct bank_cfg c;
	bank_cfg_load(&c);
	return reply_json(r, 200, bank_cfg_json(&c));
}

int bank_settings_put(struct req *r)
{
	struct fspec spec[NCFG + 2];
	for (size_t i = 0; i < NCFG; i++)
		spec[i] = (struct fspec){cfg_keys[i].key, F_INT, 0, cfg_keys[i].min, cfg_keys[i].max};
	spec[NCFG] = (struct fspec){"transfer_enabled", F_BOOL, 0, 0, 0};
	spec[NCFG + 1] = (struct fspec){NULL, 0, 0, 0, 0};
	int st = body_check(r, spec);
	if (st)
		return st;
	struct bank_cfg before, c;
	bank_cfg_load(&before);
	c = before;
	for (size_t i = 0; i < NCFG; i++)
		if (jhas(r->json, cfg_keys[i].key))
			*(int *)((char *)&c + cfg_keys[i].off) = (int)jint(r->json, cfg_keys[i].key, 0);
	if (jhas(r->json, "transfer_enabled"))
		c.transfer_enabled = jbool(r->json, "transfer_enabled", 0);
	json_t *o = bank_cfg_json(&c);
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	int rc = store_setting_set("bank_rules", s);
	free(s);
	json_decref(o);
	if (rc)
		return reply_store_error(r, rc);
	audit(r, "update", "bank_rules", 0, bank_cfg_json(&before), bank_cfg_json(&c));
	return reply_json(r, 200, bank_cfg_json(&c));
}
