/*
 * validate.h — validators for the real-name fields of SPEC §2: the 18-digit
 * resident ID (GB 11643 check digit, birth date and gender derived from it),
 * mainland mobile numbers, UTF-8 text, and the masking rules.
 */
#ifndef WM_VALIDATE_H
#define WM_VALIDATE_H
#include <stddef.h>

enum id_error {
	ID_OK = 0,
	ID_ELENGTH,	/* not 18 characters */
	ID_ECHARS,	/* not 17 digits + digit/X */
	ID_EDATE,	/* birth date impossible or in the future */
	ID_ECHECK,	/* check digit wrong */
};

struct id_info {
	char birth_date[11];	/* YYYY-MM-DD */
	char gender[7];		/* "male" / "female" */
};

/* Checks an ID number; fills info when valid (info may be NULL). A lowercase
 * x is accepted as the check character. today_ymd is YYYYMMDD for the
 * "not in the future" check (0 to skip). */
enum id_error id_validate(const char *id, struct id_info *info, int today_ymd);
const char *id_error_code(enum id_error e);
/* The check character for the first 17 digits. */
char id_check_char(const char *first17);

/* ^1[3-9]\d{9}$ */
int phone_valid(const char *s);

/* Masking: phone 3+****+4 ("138****1234"); ID 2 + stars + last 3. out must
 * hold at least 32 bytes. Input shorter than the kept parts is fully starred. */
void mask_phone(const char *phone, char *out, size_t outsz);
void mask_id(const char *id, char *out, size_t outsz);

/* Well-formed UTF-8 without NUL, DEL or C0 controls other than \t \n \r, and
 * without Unicode non-characters (U+FDD0–U+FDEF, U+xFFFE/U+xFFFF of every
 * plane): those include the two that XML 1.0 forbids, so one stored U+FFFF
 * would make every xlsx/XML export of it unreadable (security #12). */
int utf8_valid_text(const char *s, size_t n);
/* 1 when the code point may appear in an XML 1.0 document and is not a
 * non-character: what utf8_valid_text accepts, plus DEL. */
int xml_char_ok(unsigned cp);
/* Copies s (n bytes) to out without what XML 1.0 cannot hold: bytes that
 * are not UTF-8, C0 controls other than \t \n \r, surrogates and the
 * non-characters. out needs n + 1 bytes; returns the bytes written (NUL
 * terminated). For data stored before the rule, so an export never breaks. */
size_t utf8_xml_clean(const char *s, size_t n, char *out);
/* 1 when utf8_xml_clean would change nothing (s NUL terminated). */
int utf8_xml_safe(const char *s);
/* Number of code points, or -1 when not valid UTF-8. */
long utf8_length(const char *s, size_t n);

/* A decimal coordinate in [-max, max]: digits, an optional sign and point; no
 * spaces, exponents, hex, inf or nan. 0 and *out set when valid, else -1. */
int coord_parse(const char *s, double max, double *out);

/* A map tile URL template for Leaflet ("https://{s}.tile.example.org/{z}/{x}/{y}.png", {s} optional):
 * http(s), at most 400 bytes, no spaces, quotes, semicolons, commas or
 * controls (it goes into the CSP header), {z} {x} {y} present; braces in the
 * host only as a leading "{s}." label. Writes the CSP source for its origin
 * (scheme, host and port; a "{s}." label becomes "*.") to origin. 0 when valid, else -1. */
int tile_url_origin(const char *url, char *origin, size_t n);
/* Great-circle distance in metres between two points (haversine on the
 * mean Earth radius): duplicates nearby, revisit GPS checks, shift check-in. */
double haversine_m(double lat1, double lng1, double lat2, double lng2);
#endif
