/*
 * validate.c — see validate.h. Pure functions, no allocation: they are the
 * first thing the fuzzers and the table-driven unit tests hit.
 */
#include "validate.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int id_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char id_checks[] = "10X98765432";

char id_check_char(const char *first17)
{
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (first17[i] - '0') * id_weights[i];
	return id_checks[sum % 11];
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

enum id_error id_validate(const char *id, struct id_info *info, int today_ymd)
{
	if (!id || strlen(id) != 18)
		return ID_ELENGTH;
	for (int i = 0; i < 17; i++)
		if (id[i] < '0' || id[i] > '9')
			return ID_ECHARS;
	char last = id[17] == 'x' ? 'X' : id[17];
	if (!((last >= '0' && last <= '9') || last == 'X'))
		return ID_ECHARS;
	int y = 0, m = 0, d = 0;
	for (int i = 6; i < 10; i++)
		y = y * 10 + id[i] - '0';
	m = (id[10] - '0') * 10 + id[11] - '0';
	d = (id[12] - '0') * 10 + id[13] - '0';
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return ID_EDATE;
	if (today_ymd && y * 10000 + m * 100 + d > today_ymd)
		return ID_EDATE;
	if (id_check_char(id) != last)
		return ID_ECHECK;
	if (info) {
		memcpy(info->birth_date, id + 6, 4);
		info->birth_date[4] = '-';
		memcpy(info->birth_date + 5, id + 10, 2);
		info->birth_date[7] = '-';
		memcpy(info->birth_date + 8, id + 12, 2);
		info->birth_date[10] = 0;
		snprintf(info->gender, sizeof info->gender, "%s", (id[16] - '0') % 2 ? "male" : "female");
	}
	return ID_OK;
}

const char *id_error_code(enum id_error e)
{
	switch (e) {
	case ID_OK: return "ok";
	case ID_ELENGTH: return "id_length";
	case ID_ECHARS: return "id_chars";
	case ID_EDATE: return "id_birth_date";
	case ID_ECHECK: return "id_check_digit";
	}
	return "invalid";
}

int phone_valid(const char *s)
{
	if (!s || strlen(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9')
		return 0;
	for (int i = 2; i < 11; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void mask_keep(const char *s, size_t head, size_t tail, char *out, size_t outsz)
{
	size_t n = s ? strlen(s) : 0, o = 0;
	if (outsz == 0)
		return;
	for (size_t i = 0; i < n && o + 1 < outsz; i++) {
		int keep = (n > head + tail) && (i < head || i >= n - tail);
		out[o++] = keep ? s[i] : '*';
	}
	out[o] = 0;
}

void mask_phone(const char *phone, char *out, size_t outsz)
{
	/* Always exactly four stars between the kept parts, as users know it. */
	size_t n = phone ? strlen(phone) : 0;
	if (outsz == 0)
		return;
	if (n < 8 || n > 32) {
		mask_keep(phone, 0, 0, out, outsz);
		return;
	}
	char tmp[64];
	if (n >= sizeof tmp - 1)
		n = sizeof tmp - 2;
	size_t o = 0;
	memcpy(tmp, phone, 3);
	o = 3;
	memcpy(tmp + o, "****", 4);
	o += 4;
	memcpy(tmp + o, phone + n - 4, 4);
	o += 4;
	tmp[o] = 0;
	size_t c = o < outsz - 1 ? o : outsz - 1;
	memcpy(out, tmp, c);
	out[c] = 0;
}

void mask_id(const char *id, char *out, size_t outsz)
{
	mask_keep(id, 2, 3, out, outsz);
}

long utf8_length(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	long count = 0;
	size_t i = 0;
	while (i < n) {
		unsigned c = p[i];
		size_t len;
		unsigned min;
		if (c < 0x80) {
			i++;
			count++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2;
			min = 0x80;
			c &= 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3;
			min = 0x800;
			c &= 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4;
			min = 0x10000;
			c &= 0x07;
		} else
			return -1;
		if (i + len > n)
			return -1;
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return -1;
			c = (c << 6) | (p[i + k] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return -1;
		i += len;
		count++;
	}
	return count;
}

int xml_char_ok(unsigned cp)
{
	if (cp < 0x20)
		return cp == '\t' || cp == '\n' || cp == '\r';
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp >= 0xFDD0 && cp <= 0xFDEF)
		return 0;
	if ((cp & 0xFFFE) == 0xFFFE)
		return 0;
	return cp <= 0x10FFFF;
}

/* Decodes one well-formed UTF-8 sequence at p (n bytes left) into *cp:
 * its length, or 0 when the bytes there are not UTF-8. */
static size_t utf8_decode(const unsigned char *p, size_t n, unsigned *cp)
{
	unsigned c = p[0], min;
	size_t len;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		len = 2, min = 0x80, c &= 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3, min = 0x800, c &= 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4, min = 0x10000, c &= 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[k] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

int utf8_valid_text(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t len = utf8_decode(p + i, n - i, &cp);
		if (!len || cp == 0x7F || !xml_char_ok(cp))
			return 0;
		i += len;
	}
	return 1;
}

size_t utf8_xml_clean(const char *s, size_t n, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t len = utf8_decode(p + i, n - i, &cp);
		if (!len) {
			i++;	/* a stray byte: dropped */
			continue;
		}
		if (xml_char_ok(cp) || cp == 0x7F) {
			memcpy(out + w, s + i, len);
			w += len;
		}
		i += len;
	}
	out[w] = 0;
	return w;
}

int utf8_xml_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t len = utf8_decode(p + i, n - i, &cp);
		if (!len || (!xml_char_ok(cp) && cp != 0x7F))
			return 0;
		i += len;
	}
	return 1;
}

int coord_parse(const char *s, double max, double *out)
{
	if (!s || !*s || strlen(s) > 32)
		return -1;
	int digits = 0, dots = 0;
	for (const char *c = s; *c; c++) {
		if (*c >= '0' && *c <= '9')
			digits++;
		else if (*c == '.')
			dots++;
		else if (!(*c == '-' && c == s))
			return -1;
	}
	if (!digits || dots > 1)
		return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || fabs(v) > max)
		return -1;
	*out = v;
	return 0;
}

int tile_url_origin(const char *url, char *origin, size_t n)
{
	size_t len = url ? strlen(url) : 0;
	const char *host;
	if (!len || len > 400)
		return -1;
	if (!strncmp(url, "https://", 8))
		host = url + 8;
	else if (!strncmp(url, "http://", 7))
		host = url + 7;
	else
		return -1;
	for (const char *c = url; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f || *c == '"' || *c == '\'' || *c == ';' || *c == ',' || *c == '\\')
			return -1;
	if (!strstr(url, "{z}") || !strstr(url, "{x}") || !strstr(url, "{y}"))
		return -1;
	size_t hl = strcspn(host, "/?#");
	const char *h = host;
	int wildcard = 0;
	if (!strncmp(h, "{s}.", 4)) {
		wildcard = 1;
		h += 4;
		hl -= 4;
	}
	if (!hl || hl > 253)
		return -1;
	for (size_t i = 0; i < hl; i++) {
		char c = h[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':'))
			return -1;	/* also refuses "user@host" and braces elsewhere in the host */
	}
	int w = snprintf(origin, n, "%.*s%s%.*s", (int)(host - url), url, wildcard ? "*." : "", (int)hl, h);
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

double haversine_m(double lat1, double lng1, double lat2, double lng2)
{
	const double rad = M_PI / 180.0, R = 6371008.8;
	double dlat = (lat2 - lat1) * rad, dlng = (lng2 - lng1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * rad) * cos(lat2 * rad) * sin(dlng / 2) * sin(dlng / 2);
	return 2 * R * asin(sqrt(a < 1 ? a : 1));
}
