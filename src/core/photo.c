/*
 * photo.c — see photo.h. The pipeline of one upload:
 *
 *   bytes ─ size cap ─ libmagic (JPEG/PNG/WebP only) ─ libvips header
 *         ─ pixel cap (40 MP) and sample cap (120 MB of samples: bit depth and
 *           bands count), before any pixel is decoded ─ EXIF time + GPS
 *         (libexif) ─ shrink to 2560 px (colour-managed to sRGB) ─ decode
 *         ─ autorotate ─ flatten alpha on white ─ JPEG q82, metadata stripped
 *         ─ thumbnail 320 px ─ sha256 ─ tmp file + fsync + rename.
 *
 * The loader is chosen by what libmagic found, never by libvips' own guess, so
 * a file can only reach the JPEG, PNG or WebP decoder (untrusted loaders are
 * blocked on top of that). libvips reads sequentially and fails on
 * truncation, so a half upload is an error rather than a grey bottom half.
 *
 * Written for libvips 8.14 (Debian 12): the "fail_on" load option (8.12+)
 * and the "strip" save option ("keep" replaces it only in 8.15).
 */
#include "core/photo.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <libexif/exif-data.h>
#include <magic.h>
#include <vips/vips.h>

/* libmagic sees only this much of the upload: every accepted format is
 * recognised from its first bytes, and the rest is not its business. */
#define SNIFF_BYTES (64 * 1024)
#define CHINA_UTC_OFFSET (8 * 3600)

enum kind { KIND_NONE, KIND_JPEG, KIND_PNG, KIND_WEBP };

/* magic_t is not thread-safe: one handle, used under this lock only. */
static pthread_mutex_t magic_lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t magic_db;

int photo_init(const char *argv0)
{
	if (VIPS_INIT(argv0 ? argv0 : "wenming"))
		return -1;
	/* The operation cache keys buffer loads on the buffer's address: a new
	 * upload in a reused buffer could be served an old image. Off. */
	vips_cache_set_max(0);
	vips_block_untrusted_set(TRUE);

	pthread_mutex_lock(&magic_lock);
	int rc = 0;
	if (!magic_db) {
		magic_db = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ELF |
				      MAGIC_NO_CHECK_TAR | MAGIC_NO_CHECK_CDF);
		if (!magic_db || magic_load(magic_db, NULL) != 0) {
			if (magic_db)
				magic_close(magic_db);
			magic_db = NULL;
			rc = -1;
		}
	}
	pthread_mutex_unlock(&magic_lock);
	return rc;
}

void photo_shutdown(void)
{
	pthread_mutex_lock(&magic_lock);
	if (magic_db)
		magic_close(magic_db);
	magic_db = NULL;
	pthread_mutex_unlock(&magic_lock);
	vips_shutdown();
}

const char *photo_error_message(int code)
{
	switch (code) {
	case PHOTO_OK: return "图片已保存";
	case PHOTO_EUNSUPPORTED: return "不支持的图片格式，请上传 JPEG、PNG 或 WebP 照片";
	case PHOTO_ETOOLARGE: return "图片文件或尺寸过大";
	case PHOTO_ECORRUPT: return "图片已损坏或不完整，请重新拍摄或上传";
	case PHOTO_EIO: return "图片保存失败，请稍后重试";
	default: return "图片处理失败";
	}
}

/* ---- sniffing ---------------------------------------------------------- */

/* What the bytes are, by libmagic; its answer is copied into sniffed.
 * -1 when libmagic itself failed (not initialised, out of memory). */
static int sniff(const void *data, size_t len, char *sniffed, size_t size)
{
	size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES;
	int ok = 0;

	pthread_mutex_lock(&magic_lock);
	const char *t = magic_db ? magic_buffer(magic_db, data, n) : NULL;
	if (t) {
		snprintf(sniffed, size, "%s", t);
		ok = 1;
	}
	pthread_mutex_unlock(&magic_lock);
	if (!ok)
		return -1;
	if (strcmp(sniffed, "image/jpeg") == 0)
		return KIND_JPEG;
	if (strcmp(sniffed, "image/png") == 0)
		return KIND_PNG;
	if (strcmp(sniffed, "image/webp") == 0)
		return KIND_WEBP;
	return KIND_NONE;
}

/* ---- EXIF -------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int digits(const unsigned char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int ascii_entry(const ExifEntry *e, size_t minlen)
{
	return e && e->format == EXIF_FORMAT_ASCII && e->data && e->size >= minlen;
}

/* "YYYY:MM:DD HH:MM:SS" (+ optional "±HH:MM" offset, else China time) to
 * unix seconds. 0 on success; cameras without a clock write blanks: -1. */
static int exif_time(const ExifEntry *dt, const ExifEntry *off, long long *out)
{
	if (!ascii_entry(dt, 19))
		return -1;
	const unsigned char *s = dt->data;
	if (s[4] != ':' || s[7] != ':' || s[10] != ' ' || s[13] != ':' || s[16] != ':')
		return -1;
	int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	int h = digits(s + 11, 2), mi = digits(s + 14, 2), sec = digits(s + 17, 2);
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return -1;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;

	long long offset = CHINA_UTC_OFFSET;
	if (ascii_entry(off, 6)) {
		const unsigned char *o = off->data;
		int oh = digits(o + 1, 2), om = digits(o + 4, 2);
		if ((o[0] == '+' || o[0] == '-') && o[3] == ':' && oh >= 0 && oh <= 14 && om >= 0 && om <= 59)
			offset = (o[0] == '-' ? -1 : 1) * (oh * 3600LL + om * 60LL);
	}
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600LL + mi * 60LL + sec - offset;
	return 0;
}

/* Degrees/minutes/seconds rationals plus an "N"/"S" ("E"/"W") reference to
 * signed degrees. A missing reference is refused rather than guessed. */
static int exif_coord(ExifData *ed, ExifTag tag, ExifTag reftag, char neg, double max, double *out)
{
	ExifEntry *e = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], tag);
	ExifEntry *r = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], reftag);
	if (!e || e->format != EXIF_FORMAT_RATIONAL || e->components < 3 || !e->data || e->size < 24 ||
	    !ascii_entry(r, 1))
		return -1;
	ExifByteOrder bo = exif_data_get_byte_order(ed);
	double v = 0, scale = 1;
	for (int i = 0; i < 3; i++, scale *= 60) {
		ExifRational q = exif_get_rational(e->data + 8 * i, bo);
		if (q.denominator == 0)
			return -1;
		v += (double)q.numerator / q.denominator / scale;
	}
	char ref = (char)(r->data[0] & ~0x20);	/* upper case */
	if (!isfinite(v) || v > max || (ref != neg && ref != (neg == 'S' ? 'N' : 'E')))
		return -1;
	*out = ref == neg ? -v : v;
	return 0;
}

/* Time and GPS from one EXIF block ("Exif\0\0" + TIFF). Broken EXIF only
 * means no time or no GPS: the photo itself is still good. */
static void read_exif(const unsigned char *p, size_t n, struct photo_info *out)
{
	if (n < 14 || n > UINT_MAX)
		return;
	ExifData *ed = exif_data_new();
	if (!ed)
		return;
	/* Read what is there: no "fixing" that could invent a timestamp, and
	 * OffsetTimeOriginal must not be dropped as unknown. */
	exif_data_unset_option(ed, EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
	exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_load_data(ed, p, (unsigned int)n);

	ExifEntry *dt = exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], EXIF_TAG_DATE_TIME_ORIGINAL);
	ExifEntry *off = exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], EXIF_TAG_OFFSET_TIME_ORIGINAL);
	if (exif_time(dt, off, &out->taken_at) == 0)
		out->has_time = 1;

	double lat, lng;
	if (exif_coord(ed, EXIF_TAG_GPS_LATITUDE, EXIF_TAG_GPS_LATITUDE_REF, 'S', 90, &lat) == 0 &&
	    exif_coord(ed, EXIF_TAG_GPS_LONGITUDE, EXIF_TAG_GPS_LONGITUDE_REF, 'W', 180, &lng) == 0 &&
	    !(lat == 0 && lng == 0)) {	/* 0,0 is what phones write without a fix */
		out->has_gps = 1;
		out->lat = lat;
		out->lng = lng;
	}
	exif_data_unref(ed);
}

/* The first APP1 "Exif" segment of a JPEG, walking the markers up to the
 * start of scan with every length checked against the buffer. */
static int jpeg_exif(const unsigned char *p, size_t n, const unsigned char **seg, size_t *seglen)
{
	size_t i = 2;
	if (n < 4 || p[0] != 0xFF || p[1] != 0xD8)
		return -1;
	while (i + 4 <= n) {
		if (p[i] != 0xFF)
			return -1;
		unsigned char m = p[i + 1];
		if (m == 0xFF) {	/* fill byte */
			i++;
			continue;
		}
		if (m == 0xDA || m == 0xD9)	/* SOS, EOI: no more metadata */
			return -1;
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {	/* no length */
			i += 2;
			continue;
		}
		size_t l = (size_t)p[i + 2] << 8 | p[i + 3];
		if (l < 2 || i + 2 + l > n)
			return -1;
		if (m == 0xE1 && l >= 2 + 6 && memcmp(p + i + 4, "Exif\0\0", 6) == 0) {
			*seg = p + i + 4;
			*seglen = l - 2;
			return 0;
		}
		i += 2 + l;
	}
	return -1;
}

/* PNG eXIf and WebP EXIF chunks as libvips found them in the header; the
 * "Exif\0\0" prefix libexif wants is added when the chunk lacks it. */
static void vips_exif(VipsImage *im, struct photo_info *out)
{
	const void *blob;
	size_t n;
	if (vips_image_get_typeof(im, VIPS_META_EXIF_NAME) == 0 ||
	    vips_image_get_blob(im, VIPS_META_EXIF_NAME, &blob, &n) || !blob || n < 8)
		return;
	if (memcmp(blob, "Exif\0\0", 6) == 0) {
		read_exif(blob, n, out);
		return;
	}
	unsigned char *b = g_try_malloc(n + 6);
	if (!b)
		return;
	memcpy(b, "Exif\0\0", 6);
	memcpy(b + 6, blob, n);
	read_exif(b, n + 6, out);
	g_free(b);
}

/* ---- image work -------------------------------------------------------- */

static int load_header(int kind, const void *data, size_t len, VipsImage **im)
{
	void *buf = (void *)data;	/* libvips only reads it */
	switch (kind) {
	case KIND_JPEG:
		return vips_jpegload_buffer(buf, len, im, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
					    VIPS_FAIL_ON_TRUNCATED, NULL);
	case KIND_PNG:
		return vips_pngload_buffer(buf, len, im, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
					   VIPS_FAIL_ON_TRUNCATED, NULL);
	case KIND_WEBP:
		return vips_webpload_buffer(buf, len, im, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
					    VIPS_FAIL_ON_TRUNCATED, NULL);
	default:
		return -1;
	}
}

/* Fit within side×side, never enlarging. An embedded ICC profile (Display
 * P3 from phones) or CMYK is converted to sRGB, since the profile itself is
 * stripped on save. Orientation is left for vips_autorot. */
static int shrink(VipsImage *in, int side, VipsImage **out)
{
	if (vips_image_get_typeof(in, VIPS_META_ICC_NAME) ||
	    vips_image_guess_interpretation(in) == VIPS_INTERPRETATION_CMYK)
		return vips_thumbnail_image(in, out, side, "height", side, "size", VIPS_SIZE_DOWN, "no_rotate", TRUE,
					    "export_profile", "srgb", NULL);
	return vips_thumbnail_image(in, out, side, "height", side, "size", VIPS_SIZE_DOWN, "no_rotate", TRUE, NULL);
}

/* 8-bit sRGB or grey, alpha flattened on white: what a JPEG can hold. */
static int saveable(VipsImage *in, VipsImage **out)
{
	VipsImage *a = in, *t = NULL;
	g_object_ref(a);
	VipsInterpretation it = vips_image_guess_interpretation(a);
	if (it != VIPS_INTERPRETATION_sRGB && it != VIPS_INTERPRETATION_B_W) {
		if (vips_colourspace(a, &t, VIPS_INTERPRETATION_sRGB, NULL))
			goto fail;
		g_object_unref(a);
		a = t;
	}
	if (vips_image_hasalpha(a)) {
		VipsArrayDouble *white = vips_array_double_newv(1, 255.0);
		int rc = vips_flatten(a, &t, "background", white, NULL);
		vips_area_unref(VIPS_AREA(white));
		if (rc)
			goto fail;
		g_object_unref(a);
		a = t;
	}
	if (vips_image_get_format(a) != VIPS_FORMAT_UCHAR) {
		if (vips_cast_uchar(a, &t, NULL))
			goto fail;
		g_object_unref(a);
		a = t;
	}
	*out = a;
	return 0;
fail:
	g_object_unref(a);
	return -1;
}

static int encode(VipsImage *im, void **buf, size_t *len)
{
	return vips_jpegsave_buffer(im, buf, len, "Q", PHOTO_QUALITY, "strip", TRUE, "optimize_coding", TRUE, NULL);
}

/* ---- storage ----------------------------------------------------------- */

static int valid_sha(const char *s)
{
	if (!s)
		return 0;
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[64] == '\0';
}

int photo_path(const char *dir, const char *sha256, int thumb, char *buf, size_t size)
{
	if (!dir || !buf || !valid_sha(sha256))
		return -1;
	int n = snprintf(buf, size, "%s/photos/%.2s/%s%s.jpg", dir, sha256, sha256, thumb ? "-t" : "");
	if (n < 0 || (size_t)n >= size) {
		if (size)
			buf[0] = '\0';
		return -1;
	}
	return 0;
}

static int fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* mkdir that tolerates an existing folder; a new one is made durable by
 * syncing its parent. */
static int make_dir(const char *path, const char *parent)
{
	if (mkdir(path, 0750) == 0)
		return parent ? fsync_dir(parent) : 0;
	struct stat st;
	return errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

/* Writes buf as final via a temporary file in the same folder: fsync, then
 * rename, then fsync the folder. A file already at final is identical
 * (content-addressed) and is left alone. */
static int store_file(const char *folder, const char *final, const void *buf, size_t len)
{
	char tmp[PATH_MAX];
	struct stat st;
	if (stat(final, &st) == 0)
		return 0;
	int n = snprintf(tmp, sizeof tmp, "%s/.tmp-XXXXXX", folder);
	if (n < 0 || (size_t)n >= sizeof tmp)
		return -1;
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -1;
	const char *p = buf;
	size_t left = len;
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		p += w;
		left -= (size_t)w;
	}
	if (fchmod(fd, 0640) || fsync(fd))
		goto fail;
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, final))
		goto fail;
	return fsync_dir(folder);
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

static int store(const char *dir, const char *sha, const void *full, size_t flen, const void *thumb, size_t tlen)
{
	char photos[PATH_MAX], folder[PATH_MAX], path[PATH_MAX];
	int a = snprintf(photos, sizeof photos, "%s/photos", dir);
	int b = snprintf(folder, sizeof folder, "%s/photos/%.2s", dir, sha);
	if (a < 0 || b < 0 || (size_t)a >= sizeof photos || (size_t)b >= sizeof folder)
		return -1;
	if (make_dir(dir, NULL) || make_dir(photos, dir) || make_dir(folder, photos))
		return -1;
	/* Thumbnail first: a full image on disk then always has its thumbnail. */
	if (photo_path(dir, sha, 1, path, sizeof path) || store_file(folder, path, thumb, tlen))
		return -1;
	if (photo_path(dir, sha, 0, path, sizeof path) || store_file(folder, path, full, flen))
		return -1;
	return 0;
}

/* ---- the pipeline ------------------------------------------------------ */

int photo_ingest(const char *dir, const void *data, size_t len, size_t max_bytes, struct photo_info *out)
{
	VipsImage *in = NULL, *big = NULL, *mem = NULL, *rot = NULL, *flat = NULL, *small = NULL;
	void *jpg = NULL, *tjpg = NULL;
	size_t jlen = 0, tlen = 0;
	int rc;

	if (!out)
		return PHOTO_EIO;
	memset(out, 0, sizeof *out);
	if (!dir)
		return PHOTO_EIO;
	if (len > max_bytes)
		return PHOTO_ETOOLARGE;
	if (!data || len == 0)
		return PHOTO_EUNSUPPORTED;

	int kind = sniff(data, len, out->sniffed, sizeof out->sniffed);
	if (kind < 0)
		return PHOTO_EIO;
	if (kind == KIND_NONE)
		return PHOTO_EUNSUPPORTED;

	/* Header only: sequential access decodes nothing until pixels are asked. */
	rc = PHOTO_ECORRUPT;
	if (load_header(kind, data, len, &in))
		goto out;
	long long w = vips_image_get_width(in), h = vips_image_get_height(in);
	if (w <= 0 || h <= 0)
		goto out;
	long long samples = w * h * vips_image_get_bands(in) * (long long)vips_format_sizeof(vips_image_get_format(in));
	if (w * h > PHOTO_MAX_PIXELS || samples > PHOTO_MAX_SAMPLE_BYTES) {
		rc = PHOTO_ETOOLARGE;
		goto out;
	}

	const unsigned char *seg;
	size_t seglen;
	if (kind == KIND_JPEG) {
		if (jpeg_exif(data, len, &seg, &seglen) == 0)
			read_exif(seg, seglen, out);
	} else {
		vips_exif(in, out);
	}

	/* Shrink while decoding, then hold the (small) result in memory: the
	 * sequential source can be read once only, and rotation needs it whole.
	 * Truncation surfaces here, as a decode error. */
	if (shrink(in, PHOTO_MAX_SIDE, &big) || !(mem = vips_image_copy_memory(big)))
		goto out;
	if (vips_autorot(mem, &rot, NULL) || saveable(rot, &flat))
		goto out;
	if (encode(flat, &jpg, &jlen))
		goto out;
	if (shrink(flat, PHOTO_THUMB_SIDE, &small) || encode(small, &tjpg, &tlen))
		goto out;

	gchar *hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256, jpg, jlen);
	if (!hex || strlen(hex) != 64) {
		g_free(hex);
		rc = PHOTO_EIO;
		goto out;
	}
	memcpy(out->sha256, hex, 65);
	g_free(hex);
	snprintf(out->mime, sizeof out->mime, "image/jpeg");
	out->width = vips_image_get_width(flat);
	out->height = vips_image_get_height(flat);
	out->bytes = jlen;

	rc = store(dir, out->sha256, jpg, jlen, tjpg, tlen) ? PHOTO_EIO : PHOTO_OK;
out:
	if (rc != PHOTO_OK) {
		vips_error_clear();	/* the error text is internal; it never reaches a client */
		char sniffed[sizeof out->sniffed];
		memcpy(sniffed, out->sniffed, sizeof sniffed);
		memset(out, 0, sizeof *out);
		memcpy(out->sniffed, sniffed, sizeof sniffed);
	}
	g_free(jpg);
	g_free(tjpg);
	VipsImage *ims[] = {small, flat, rot, mem, big, in};
	for (size_t i = 0; i < sizeof ims / sizeof ims[0]; i++)
		if (ims[i])
			g_object_unref(ims[i]);
	return rc;
}
