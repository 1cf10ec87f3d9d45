/* privacy.c — see privacy.h. */
#include "privacy.h"
#include "crypto.h"
#include "validate.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t (*clock_now)(void);

void privacy_use_clock(int64_t (*now)(void))
{
	clock_now = now;
}

int today_ymd_cn(void)
{
	time_t t = (time_t)(clock_now ? clock_now() : (int64_t)time(NULL)) + 8 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

void privacy_id_hash(const char *id, char *out, size_t n)
{
	char up[19];
	snprintf(up, sizeof up, "%s", id);
	if (up[17] == 'x')
		up[17] = 'X';
	keyed_hash(up, out, n);
}

int privacy_seal_id(json_t *row, const char *id)
{
	struct id_info info;
	if (id_validate(id, &info, 0) != ID_OK)
		return -1;
	char up[19], hash[65], masked[32];
	snprintf(up, sizeof up, "%s", id);
	if (up[17] == 'x')
		up[17] = 'X';
	char *enc = secret_encrypt(up);
	if (!enc)
		return -1;
	privacy_id_hash(up, hash, sizeof hash);
	mask_id(up, masked, sizeof masked);
	json_object_set_new(row, "id_enc", json_string(enc));
	json_object_set_new(row, "id_hash", json_string(hash));
	json_object_set_new(row, "id_masked", json_string(masked));
	json_object_set_new(row, "gender", json_string(info.gender));
	json_object_set_new(row, "birth_date", json_string(info.birth_date));
	free(enc);
	return 0;
}

int privacy_seal_phone(json_t *row, const char *phone)
{
	char masked[32];
	char *enc = secret_encrypt(phone);
	if (!enc)
		return -1;
	mask_phone(phone, masked, sizeof masked);
	json_object_set_new(row, "phone_enc", json_string(enc));
	json_object_set_new(row, "phone_masked", json_string(masked));
	free(enc);
	return 0;
}

static int age_on(const char *birth, int ymd)
{
	if (!birth || strlen(birth) != 10)
		return -1;
	int y = atoi(birth), m = atoi(birth + 5), d = atoi(birth + 8);
	int age = ymd / 10000 - y;
	if ((ymd / 100) % 100 * 100 + ymd % 100 < m * 100 + d)
		age--;
	return age;
}

json_t *privacy_person_view(const json_t *s)
{
	json_t *v = json_deep_copy(s);
	json_object_del(v, "id_enc");
	json_object_del(v, "id_hash");
	json_object_del(v, "phone_enc");
	json_object_del(v, "birth_date");	/* part of the ID number: only in the full view */
	json_t *idm = json_object_get(s, "id_masked"), *phm = json_object_get(s, "phone_masked");
	json_object_set(v, "id_number_masked", idm ? idm : json_null());
	json_object_set(v, "phone_masked", phm ? phm : json_null());
	json_object_del(v, "id_masked");
	int age = age_on(json_string_value(json_object_get(s, "birth_date")), today_ymd_cn());
	json_object_set_new(v, "age", age >= 0 ? json_integer(age) : json_null());
	return v;
}

json_t *privacy_person_secrets(const json_t *s)
{
	const char *ie = json_string_value(json_object_get(s, "id_enc"));
	const char *pe = json_string_value(json_object_get(s, "phone_enc"));
	char *id = ie ? secret_decrypt(ie) : NULL, *ph = pe ? secret_decrypt(pe) : NULL;
	json_t *o = json_pack("{s:o, s:o, s:O}", "id_number", id ? json_string(id) : json_null(), "phone",
			      ph ? json_string(ph) : json_null(), "birth_date",
			      json_object_get(s, "birth_date") ? json_object_get(s, "birth_date") : json_null());
	free(id);
	free(ph);
	return o;
}
