/*
 * test_photo.c — unit tests for src/core/photo.{h,c}. Every test image is
 * made here with libvips (and EXIF with libexif), so there are no binary
 * fixtures:
 *   - a JPEG with EXIF GPS (S/W and N/E) and DateTimeOriginal, with and
 *     without OffsetTimeOriginal: read back as signed degrees and unix
 *     seconds; the stored file has no EXIF at all;
 *   - EXIF orientation 6 is applied (400×200 stored as 200×400);
 *   - PNG (with alpha) and WebP are accepted and stored as JPEG;
 *   - GIF, TIFF, SVG, HTML, PHP, ZIP, random bytes → PHOTO_EUNSUPPORTED;
 *     a JPEG header glued to PHP is never accepted;
 *   - a JPEG cut in half → PHOTO_ECORRUPT and nothing stored;
 *   - over max_bytes → PHOTO_ETOOLARGE; headers saying 9000×9000 (a JPEG with
 *     its SOF patched, a hand-made PNG without real pixels) → ETOOLARGE,
 *     which proves the check runs before any pixel is decoded;
 *   - 4000×3000 → 2560×1920 stored, thumbnail 320×240; small images are
 *     never enlarged;
 *   - the same bytes twice: same sha256, one file (+ thumbnail), no
 *     temporary file left;
 *   - photo_path refuses traversal, uppercase, wrong length; error texts.
 * Each test gets its own mkdtemp folder, removed afterwards.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <libexif/exif-data.h>
#include <vips/vips.h>

#include "core/file.h"
#include "core/photo.h"

#define MAX_BYTES (20u * 1024 * 1024)

/* ---- fixtures ---------------------------------------------------------- */

static int setup_dir(void **state)
{
	char tmpl[] = "/tmp/wm-photo-XXXXXX";
	char *d = mkdtemp(tmpl);
	if (!d)
		return -1;
	*state = strdup(d);
	return *state ? 0 : -1;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int teardown_dir(void **state)
{
	int rc = nftw(*state, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(*state);
	return rc;
}

static int group_setup(void **state)
{
	(void)state;
	return photo_init("test_photo");
}

static int group_teardown(void **state)
{
	(void)state;
	photo_shutdown();
	return 0;
}

/* ---- helpers ----------------------------------------------------------- */

/* A grey noise image (so the JPEG is big enough to cut meaningfully). */
static VipsImage *noise(int w, int h)
{
	VipsImage *n = NULL, *u = NULL;
	assert_int_equal(vips_gaussnoise(&n, w, h, "mean", 128.0, "sigma", 40.0, NULL), 0);
	assert_int_equal(vips_cast_uchar(n, &u, NULL), 0);
	g_object_unref(n);
	return u;
}

static VipsImage *black(int w, int h, int bands)
{
	VipsImage *b = NULL;
	assert_int_equal(vips_black(&b, w, h, "bands", bands, NULL), 0);
	return b;
}

/* Encodes and drops the image; the result is g_malloc'd. */
static void *jpeg_of(VipsImage *im, size_t *len)
{
	void *buf = NULL;
	assert_int_equal(vips_jpegsave_buffer(im, &buf, len, "Q", 90, NULL), 0);
	g_object_unref(im);
	return buf;
}

static void *read_all(const char *path, size_t *len)
{
	void *b = file_slurp(path, 0, len);
	assert_non_null(b);
	return b;
}

static int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Files in dir/photos/<2 hex>/, all folders; -1 if a temporary is left. */
static int count_stored(const char *dir)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/photos", dir);
	DIR *top = opendir(p);
	if (!top)
		return 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(top))) {
		if (e->d_name[0] == '.')
			continue;
		char sub[4352];
		snprintf(sub, sizeof sub, "%s/%s", p, e->d_name);
		DIR *d = opendir(sub);
		assert_non_null(d);
		struct dirent *f;
		while ((f = readdir(d))) {
			if (strncmp(f->d_name, ".tmp-", 5) == 0)
				n = -1000;
			else if (f->d_name[0] != '.')
				n++;
		}
		closedir(d);
	}
	closedir(top);
	return n;
}

static void image_size(const char *path, int *w, int *h)
{
	VipsImage *im = vips_image_new_from_file(path, NULL);
	assert_non_null(im);
	*w = vips_image_get_width(im);
	*h = vips_image_get_height(im);
	g_object_unref(im);
}

/* ---- EXIF building (libexif) ------------------------------------------- */

static ExifEntry *add_entry(ExifData *ed, ExifIfd ifd, ExifTag tag, ExifFormat fmt, unsigned n)
{
	ExifMem *mem = exif_mem_new_default();
	ExifEntry *e = exif_entry_new_mem(mem);
	size_t sz = exif_format_get_size(fmt) * n;
	e->data = exif_mem_alloc(mem, sz);
	assert_non_null(e->data);
	e->size = sz;
	e->tag = tag;
	e->format = fmt;
	e->components = n;
	exif_content_add_entry(ed->ifd[ifd], e);
	exif_mem_unref(mem);
	exif_entry_unref(e);	/* the IFD holds it now */
	return e;
}

static void add_ascii(ExifData *ed, ExifIfd ifd, ExifTag tag, const char *s)
{
	ExifEntry *e = add_entry(ed, ifd, tag, EXIF_FORMAT_ASCII, (unsigned)strlen(s) + 1);
	memcpy(e->data, s, strlen(s) + 1);
}

static void add_dms(ExifData *ed, ExifTag tag, unsigned d, unsigned m, unsigned s_num, unsigned s_den)
{
	ExifEntry *e = add_entry(ed, EXIF_IFD_GPS, tag, EXIF_FORMAT_RATIONAL, 3);
	ExifByteOrder bo = exif_data_get_byte_order(ed);
	exif_set_rational(e->data, bo, (ExifRational){d, 1});
	exif_set_rational(e->data + 8, bo, (ExifRational){m, 1});
	exif_set_rational(e->data + 16, bo, (ExifRational){s_num, s_den});
}

struct exif_spec {
	const char *lat_ref, *lng_ref;
	unsigned lat[4], lng[4];	/* deg, min, sec numerator, sec denominator */
	const char *taken;		/* DateTimeOriginal or NULL */
	const char *offset;		/* OffsetTimeOriginal or NULL */
	int orientation;		/* 0 = none */
	ExifByteOrder order;
};

/* The EXIF block ("Exif\0\0" + TIFF) for spec, malloc'd. */
static unsigned char *exif_blob(const struct exif_spec *sp, unsigned int *bl)
{
	ExifData *ed = exif_data_new();
	assert_non_null(ed);
	exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_set_byte_order(ed, sp->order);
	if (sp->lat_ref) {
		add_ascii(ed, EXIF_IFD_GPS, EXIF_TAG_GPS_LATITUDE_REF, sp->lat_ref);
		add_dms(ed, EXIF_TAG_GPS_LATITUDE, sp->lat[0], sp->lat[1], sp->lat[2], sp->lat[3]);
		add_ascii(ed, EXIF_IFD_GPS, EXIF_TAG_GPS_LONGITUDE_REF, sp->lng_ref);
		add_dms(ed, EXIF_TAG_GPS_LONGITUDE, sp->lng[0], sp->lng[1], sp->lng[2], sp->lng[3]);
	}
	if (sp->taken)
		add_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, sp->taken);
	if (sp->offset)
		add_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_OFFSET_TIME_ORIGINAL, sp->offset);
	if (sp->orientation) {
		ExifEntry *e = add_entry(ed, EXIF_IFD_0, EXIF_TAG_ORIENTATION, EXIF_FORMAT_SHORT, 1);
		exif_set_short(e->data, sp->order, (ExifShort)sp->orientation);
	}
	unsigned char *blob = NULL;
	*bl = 0;
	exif_data_save_data(ed, &blob, bl);
	exif_data_unref(ed);
	assert_non_null(blob);
	assert_true(*bl > 6 && *bl < 65000);
	assert_memory_equal(blob, "Exif\0\0", 6);
	return blob;
}

/* Splices an APP1 Exif segment built from spec right after the SOI of jpg.
 * Returns a malloc'd JPEG. */
static unsigned char *with_exif(const unsigned char *jpg, size_t len, const struct exif_spec *sp, size_t *outlen)
{
	unsigned int bl;
	unsigned char *blob = exif_blob(sp, &bl);
	size_t n = len + 4 + bl;
	unsigned char *o = malloc(n);
	assert_non_null(o);
	memcpy(o, jpg, 2);	/* SOI */
	o[2] = 0xFF;
	o[3] = 0xE1;
	o[4] = (unsigned char)((bl + 2) >> 8);
	o[5] = (unsigned char)((bl + 2) & 0xFF);
	memcpy(o + 6, blob, bl);
	memcpy(o + 6 + bl, jpg + 2, len - 2);
	free(blob);
	*outlen = n;
	return o;
}

/* No EXIF left: no "Exif" APP1 and libexif finds nothing in any IFD. */
static void assert_no_metadata(const char *path)
{
	size_t n;
	unsigned char *b = read_all(path, &n);
	assert_true(n > 4 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF);
	assert_null(memmem(b, n, "Exif\0\0", 6));
	assert_null(memmem(b, n, "ICC_PROFILE", 11));
	assert_null(memmem(b, n, "http://ns.adobe.com/xap", 23));
	ExifData *ed = exif_data_new_from_data(b, (unsigned int)n);
	if (ed) {
		for (int i = 0; i < EXIF_IFD_COUNT; i++)
			assert_int_equal(ed->ifd[i]->count, 0);
		assert_null(exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], EXIF_TAG_GPS_LATITUDE));
		exif_data_unref(ed);
	}
	free(b);
}

/* ---- tests ------------------------------------------------------------- */

static void test_exif_gps_time_south_west(void **state)
{
	const char *dir = *state;
	size_t jl, xl;
	void *jpg = jpeg_of(noise(640, 480), &jl);
	struct exif_spec sp = {
		.lat_ref = "S", .lat = {22, 30, 0, 1},		/* 22.5 S */
		.lng_ref = "W", .lng = {43, 12, 360, 10},	/* 43°12'36" W = 43.21 */
		.taken = "2024:05:01 08:30:00",			/* China time */
		.order = EXIF_BYTE_ORDER_INTEL,
	};
	unsigned char *x = with_exif(jpg, jl, &sp, &xl);
	g_free(jpg);

	struct photo_info pi;
	assert_int_equal(photo_ingest(dir, x, xl, MAX_BYTES, &pi), PHOTO_OK);
	assert_string_equal(pi.sniffed, "image/jpeg");
	assert_string_equal(pi.mime, "image/jpeg");
	assert_int_equal(pi.has_gps, 1);
	assert_true(fabs(pi.lat - -22.5) < 1e-9);
	assert_true(fabs(pi.lng - -43.21) < 1e-9);
	assert_int_equal(pi.has_time, 1);
	assert_int_equal(pi.taken_at, 1714523400LL);	/* 2024-05-01T00:30:00Z */
	assert_int_equal(pi.width, 640);
	assert_int_equal(pi.height, 480);

	char path[4096];
	assert_int_equal(photo_path(dir, pi.sha256, 0, path, sizeof path), 0);
	assert_true(file_exists(path));
	assert_no_metadata(path);

	/* The id is the hash of exactly what is on disk. */
	size_t n;
	unsigned char *b = read_all(path, &n);
	assert_int_equal(n, pi.bytes);
	gchar *hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256, b, n);
	assert_string_equal(hex, pi.sha256);
	g_free(hex);
	free(b);

	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0077 & ~0040, 0);	/* 0640: no world access */
	assert_int_equal(photo_path(dir, pi.sha256, 1, path, sizeof path), 0);
	assert_true(file_exists(path));
	assert_no_metadata(path);
	free(x);
}

static void test_exif_offset_north_east_motorola(void **state)
{
	const char *dir = *state;
	size_t jl, xl;
	void *jpg = jpeg_of(noise(320, 240), &jl);
	struct exif_spec sp = {
		.lat_ref = "N", .lat = {39, 54, 276, 10},	/* 39°54'27.6" */
		.lng_ref = "E", .lng = {116, 23, 492, 10},	/* 116°23'49.2" */
		.taken = "2024:05:01 08:30:00",
		.offset = "-05:00",
		.order = EXIF_BYTE_ORDER_MOTOROLA,
	};
	unsigned char *x = with_exif(jpg, jl, &sp, &xl);
	g_free(jpg);

	struct photo_info pi;
	assert_int_equal(photo_ingest(dir, x, xl, MAX_BYTES, &pi), PHOTO_OK);
	assert_int_equal(pi.has_gps, 1);
	assert_true(fabs(pi.lat - (39 + 54 / 60.0 + 27.6 / 3600)) < 1e-9);
	assert_true(fabs(pi.lng - (116 + 23 / 60.0 + 49.2 / 3600)) < 1e-9);
	assert_true(pi.lat > 0 && pi.lng > 0);
	assert_int_equal(pi.has_time, 1);
	assert_int_equal(pi.taken_at, 1714570200LL);	/* 13:30Z */
	free(x);
}

static void test_exif_bad_values_ignored(void **state)
{
	const char *dir = *state;
	size_t jl, xl;
	void *jpg = jpeg_of(noise(64, 64), &jl);
	struct exif_spec sp = {
		.lat_ref = "N", .lat = {95, 0, 0, 1},	/* > 90: not a latitude */
		.lng_ref = "E", .lng = {116, 0, 0, 0},	/* zero denominator */
		.taken = "    :  :     :  :  ",	/* camera without a clock */
		.order = EXIF_BYTE_ORDER_INTEL,
	};
	unsigned char *x = with_exif(jpg, jl, &sp, &xl);
	g_free(jpg);
	struct photo_info pi;
	assert_int_equal(photo_ingest(dir, x, xl, MAX_BYTES, &pi), PHOTO_OK);
	assert_int_equal(pi.has_gps, 0);
	assert_int_equal(pi.has_time, 0);
	free(x);
}

/* PNG eXIf and WebP EXIF chunks: libvips writes the blob it is given. */
static void test_exif_in_png_and_webp(void **state)
{
	struct exif_spec sp = {
		.lat_ref = "N", .lat = {31, 14, 0, 1},
		.lng_ref = "E", .lng = {121, 28, 30, 1},
		.taken = "2025:01:02 03:04:05",
		.order = EXIF_BYTE_ORDER_INTEL,
	};
	unsigned int bl;
	unsigned char *blob = exif_blob(&sp, &bl);
	for (int webp = 0; webp < 2; webp++) {
		VipsImage *im = noise(100, 100);
		vips_image_set_blob_copy(im, VIPS_META_EXIF_NAME, blob, bl);
		void *buf = NULL;
		size_t n;
		if (webp)
			assert_int_equal(vips_webpsave_buffer(im, &buf, &n, NULL), 0);
		else
			assert_int_equal(vips_pngsave_buffer(im, &buf, &n, NULL), 0);
		g_object_unref(im);
		assert_non_null(memmem(buf, n, webp ? "EXIF" : "eXIf", 4));
		struct photo_info pi;
		assert_int_equal(photo_ingest(*state, buf, n, MAX_BYTES, &pi), PHOTO_OK);
		assert_string_equal(pi.sniffed, webp ? "image/webp" : "image/png");
		assert_int_equal(pi.has_gps, 1);
		assert_true(fabs(pi.lat - (31 + 14 / 60.0)) < 1e-9);
		assert_true(fabs(pi.lng - (121 + 28 / 60.0 + 30 / 3600.0)) < 1e-9);
		assert_int_equal(pi.has_time, 1);
		assert_int_equal(pi.taken_at, 1735758245LL);	/* 2025-01-01T19:04:05Z */
		char path[4096];
		assert_int_equal(photo_path(*state, pi.sha256, 0, path, sizeof path), 0);
		assert_no_metadata(path);
		g_free(buf);
	}
	free(blob);
}

static void test_orientation_applied(void **state)
{
	const char *dir = *state;
	size_t jl, xl;
	void *jpg = jpeg_of(noise(400, 200), &jl);
	struct exif_spec sp = {.orientation = 6, .order = EXIF_BYTE_ORDER_INTEL};
	unsigned char *x = with_exif(jpg, jl, &sp, &xl);
	g_free(jpg);
	struct photo_info pi;
	assert_int_equal(photo_ingest(dir, x, xl, MAX_BYTES, &pi), PHOTO_OK);
	assert_int_equal(pi.width, 200);
	assert_int_equal(pi.height, 400);
	assert_int_equal(pi.has_gps, 0);
	assert_int_equal(pi.has_time, 0);
	char path[4096];
	int w, h;
	assert_int_equal(photo_path(dir, pi.sha256, 0, path, sizeof path), 0);
	image_size(path, &w, &h);
	assert_int_equal(w, 200);
	assert_int_equal(h, 400);
	assert_no_metadata(path);
	free(x);
}

static void test_plain_jpeg_no_exif(void **state)
{
	size_t jl;
	void *jpg = jpeg_of(noise(100, 80), &jl);
	struct photo_info pi;
	assert_int_equal(photo_ingest(*state, jpg, jl, MAX_BYTES, &pi), PHOTO_OK);
	assert_int_equal(pi.has_gps, 0);
	assert_int_equal(pi.has_time, 0);
	assert_int_equal(pi.width, 100);	/* never enlarged */
	assert_int_equal(pi.height, 80);
	g_free(jpg);
}

static void test_png_with_alpha_stored_as_jpeg(void **state)
{
	const char *dir = *state;
	VipsImage *rgb = noise(300, 200), *alpha = black(300, 200, 1), *rgba = NULL;
	VipsImage *parts[] = {rgb, rgb, rgb, alpha};
	assert_int_equal(vips_bandjoin(parts, &rgba, 4, NULL), 0);
	g_object_unref(rgb);
	g_object_unref(alpha);
	void *png = NULL;
	size_t pl;
	assert_int_equal(vips_pngsave_buffer(rgba, &png, &pl, NULL), 0);
	g_object_unref(rgba);

	struct photo_info pi;
	assert_int_equal(photo_ingest(dir, png, pl, MAX_BYTES, &pi), PHOTO_OK);
	assert_string_equal(pi.sniffed, "image/png");
	assert_string_equal(pi.mime, "image/jpeg");
	assert_int_equal(pi.width, 300);
	assert_int_equal(pi.height, 200);
	char path[4096];
	assert_int_equal(photo_path(dir, pi.sha256, 0, path, sizeof path), 0);
	assert_no_metadata(path);
	VipsImage *im = vips_image_new_from_file(path, NULL);
	assert_non_null(im);
	const char *loader = NULL;
	assert_int_equal(vips_image_get_string(im, "vips-loader", &loader), 0);
	assert_string_equal(loader, "jpegload");
	assert_false(vips_image_hasalpha(im));
	/* Fully transparent → flattened on white, not black. */
	double avg = 0;
	assert_int_equal(vips_avg(im, &avg, NULL), 0);
	assert_true(avg > 250);
	g_object_unref(im);
	g_free(png);
}

static void test_webp_accepted(void **state)
{
	VipsImage *im = noise(200, 150);
	void *webp = NULL;
	size_t wl;
	assert_int_equal(vips_webpsave_buffer(im, &webp, &wl, NULL), 0);
	g_object_unref(im);
	struct photo_info pi;
	assert_int_equal(photo_ingest(*state, webp, wl, MAX_BYTES, &pi), PHOTO_OK);
	assert_string_equal(pi.sniffed, "image/webp");
	assert_string_equal(pi.mime, "image/jpeg");
	assert_int_equal(pi.width, 200);
	assert_int_equal(pi.height, 150);
	g_free(webp);
}

static void expect_refused(const char *dir, const void *data, size_t len, int code)
{
	struct photo_info pi;
	memset(&pi, 0x55, sizeof pi);
	assert_int_equal(photo_ingest(dir, data, len, MAX_BYTES, &pi), code);
	assert_string_equal(pi.sha256, "");
	assert_int_equal(pi.bytes, 0);
	assert_int_equal(pi.has_gps, 0);
	assert_int_equal(count_stored(dir), 0);
}

static void test_other_formats_refused(void **state)
{
	const char *dir = *state;
	static const unsigned char gif[] = "GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01"
					   "\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
	static const char *texts[] = {
		"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
		"<script>alert(1)</script></svg>\n",
		"<!DOCTYPE html>\n<html><head><title>x</title></head><body><script>alert(1)</script></body></html>\n",
		"<?php echo system($_GET['c']); ?>\n",
		"#!/bin/sh\nrm -rf /\n",
		"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",	/* empty zip */
	};
	struct photo_info pi;
	assert_int_equal(photo_ingest(dir, gif, sizeof gif - 1, MAX_BYTES, &pi), PHOTO_EUNSUPPORTED);
	assert_string_equal(pi.sniffed, "image/gif");
	assert_int_equal(count_stored(dir), 0);
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		size_t n = i == 4 ? 22 : strlen(texts[i]);
		expect_refused(dir, texts[i], n, PHOTO_EUNSUPPORTED);
	}

	/* TIFF: a real image, but not one of ours. */
	VipsImage *im = noise(16, 16);
	void *tif = NULL;
	size_t tl;
	assert_int_equal(vips_tiffsave_buffer(im, &tif, &tl, NULL), 0);
	g_object_unref(im);
	expect_refused(dir, tif, tl, PHOTO_EUNSUPPORTED);
	g_free(tif);

	/* A JPEG signature glued to a script: sniffs as JPEG, never stored. */
	static const char poly[] = "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
				   "<?php echo system($_GET['c']); ?>";
	assert_int_not_equal(photo_ingest(dir, poly, sizeof poly - 1, MAX_BYTES, &pi), PHOTO_OK);
	assert_int_equal(count_stored(dir), 0);

	expect_refused(dir, "", 0, PHOTO_EUNSUPPORTED);
}

static void test_random_bytes_refused(void **state)
{
	unsigned char b[4096];
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < sizeof b; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		b[i] = (unsigned char)x;
	}
	b[0] = 0x13;	/* not 0xFF: no JPEG SOI by chance */
	expect_refused(*state, b, sizeof b, PHOTO_EUNSUPPORTED);
}

static void test_truncated_jpeg_corrupt(void **state)
{
	size_t jl;
	void *jpg = jpeg_of(noise(640, 480), &jl);
	assert_true(jl > 20000);
	expect_refused(*state, jpg, jl / 2, PHOTO_ECORRUPT);
	/* A PNG cut in half too. */
	VipsImage *im = noise(320, 240);
	void *png = NULL;
	size_t pl;
	assert_int_equal(vips_pngsave_buffer(im, &png, &pl, NULL), 0);
	g_object_unref(im);
	expect_refused(*state, png, pl / 2, PHOTO_ECORRUPT);
	g_free(png);
	g_free(jpg);
}

static void test_too_many_bytes(void **state)
{
	size_t jl;
	void *jpg = jpeg_of(noise(64, 64), &jl);
	struct photo_info pi;
	assert_int_equal(photo_ingest(*state, jpg, jl, jl - 1, &pi), PHOTO_ETOOLARGE);
	assert_int_equal(count_stored(*state), 0);
	assert_int_equal(photo_ingest(*state, jpg, jl, jl, &pi), PHOTO_OK);
	g_free(jpg);
}

/* Rewrites the frame size in a JPEG's SOF marker. */
static void jpeg_patch_size(unsigned char *p, size_t n, unsigned w, unsigned h)
{
	size_t i = 2;
	while (i + 9 < n) {
		assert_int_equal(p[i], 0xFF);
		unsigned char m = p[i + 1];
		size_t l = (size_t)p[i + 2] << 8 | p[i + 3];
		if (m == 0xC0 || m == 0xC1 || m == 0xC2) {
			p[i + 5] = (unsigned char)(h >> 8), p[i + 6] = (unsigned char)h;
			p[i + 7] = (unsigned char)(w >> 8), p[i + 8] = (unsigned char)w;
			return;
		}
		i += 2 + l;
	}
	fail_msg("no SOF marker");
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xFFFFFFFFu;
}

static size_t png_chunk(unsigned char *o, const char *type, const unsigned char *data, uint32_t len)
{
	o[0] = (unsigned char)(len >> 24), o[1] = (unsigned char)(len >> 16);
	o[2] = (unsigned char)(len >> 8), o[3] = (unsigned char)len;
	memcpy(o + 4, type, 4);
	if (len)
		memcpy(o + 8, data, len);
	uint32_t c = crc32_of(o + 4, 4 + len);
	o[8 + len] = (unsigned char)(c >> 24), o[9 + len] = (unsigned char)(c >> 16);
	o[10 + len] = (unsigned char)(c >> 8), o[11 + len] = (unsigned char)c;
	return 12 + len;
}

static void test_too_many_pixels(void **state)
{
	/* A real small JPEG whose header now claims 9000×9000 = 81 MP: the
	 * entropy data could never fill that, so reaching ETOOLARGE (not
	 * ECORRUPT) shows the check ran on the header alone. */
	size_t jl;
	unsigned char *jpg = jpeg_of(noise(64, 64), &jl);
	jpeg_patch_size(jpg, jl, 9000, 9000);
	expect_refused(*state, jpg, jl, PHOTO_ETOOLARGE);
	g_free(jpg);

	/* A hand-made PNG: IHDR 9000×9000 RGB, an empty IDAT, IEND. */
	unsigned char png[128];
	size_t n = 0;
	memcpy(png, "\x89PNG\r\n\x1a\n", 8);
	n = 8;
	const unsigned char ihdr[13] = {0, 0, 0x23, 0x28, 0, 0, 0x23, 0x28, 8, 2, 0, 0, 0};
	n += png_chunk(png + n, "IHDR", ihdr, 13);
	const unsigned char idat[] = {0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01};
	n += png_chunk(png + n, "IDAT", idat, sizeof idat);
	n += png_chunk(png + n, "IEND", NULL, 0);
	struct photo_info pi;
	assert_int_equal(photo_ingest(*state, png, n, MAX_BYTES, &pi), PHOTO_ETOOLARGE);
	assert_string_equal(pi.sniffed, "image/png");
	assert_int_equal(count_stored(*state), 0);

	/* Review 2026-12-07 #7: the budget counts samples, not pixels. A 16-bit
	 * RGBA PNG of 6324×6324 (just under 40 MP, 320 MB of samples) and one of
	 * 4000×4000 (16 MP, 128 MB) are refused from the header alone; 8-bit RGBA
	 * at 5000×5000 (100 MB) would be decoded. */
	static const uint32_t side16[] = {6324, 4000};
	for (size_t k = 0; k < 2; k++) {
		unsigned char ih[13] = {0, 0, 0, 0, 0, 0, 0, 0, 16, 6, 0, 0, 0};
		for (int b = 0; b < 4; b++)
			ih[b] = ih[4 + b] = (unsigned char)(side16[k] >> (24 - 8 * b));
		n = 8;
		n += png_chunk(png + n, "IHDR", ih, 13);
		n += png_chunk(png + n, "IDAT", idat, sizeof idat);
		n += png_chunk(png + n, "IEND", NULL, 0);
		assert_int_equal(photo_ingest(*state, png, n, MAX_BYTES, &pi), PHOTO_ETOOLARGE);
	}
	assert_int_equal(count_stored(*state), 0);

	/* Exactly at the limit (8000×5000 = 40 MP) is not "too large". The
	 * short entropy data ends at a proper EOI, which libjpeg only warns
	 * about (and pads grey), so only "not ETOOLARGE" is asserted. */
	jpg = jpeg_of(noise(64, 64), &jl);
	jpeg_patch_size(jpg, jl, 8000, 5000);
	assert_int_not_equal(photo_ingest(*state, jpg, jl, MAX_BYTES, &pi), PHOTO_ETOOLARGE);
	g_free(jpg);
}

static void test_large_shrunk_and_thumb(void **state)
{
	const char *dir = *state;
	size_t jl;
	void *jpg = jpeg_of(black(4000, 3000, 3), &jl);
	struct photo_info pi;
	assert_int_equal(photo_ingest(dir, jpg, jl, MAX_BYTES, &pi), PHOTO_OK);
	assert_int_equal(pi.width, 2560);
	assert_int_equal(pi.height, 1920);
	char path[4096];
	int w, h;
	assert_int_equal(photo_path(dir, pi.sha256, 0, path, sizeof path), 0);
	image_size(path, &w, &h);
	assert_int_equal(w, 2560);
	assert_int_equal(h, 1920);
	assert_int_equal(photo_path(dir, pi.sha256, 1, path, sizeof path), 0);
	image_size(path, &w, &h);
	assert_true(w <= 320 && h <= 320);
	assert_int_equal(w, 320);
	assert_int_equal(h, 240);
	g_free(jpg);

	/* Portrait: the long side is the height. */
	jpg = jpeg_of(black(1000, 3000, 1), &jl);
	assert_int_equal(photo_ingest(dir, jpg, jl, MAX_BYTES, &pi), PHOTO_OK);
	assert_true(pi.height == 2560 && pi.width <= 854 && pi.width >= 853);
	g_free(jpg);
}

static void test_same_bytes_twice(void **state)
{
	const char *dir = *state;
	size_t jl;
	void *jpg = jpeg_of(noise(500, 400), &jl);
	struct photo_info a, b;
	assert_int_equal(photo_ingest(dir, jpg, jl, MAX_BYTES, &a), PHOTO_OK);
	char path[4096];
	assert_int_equal(photo_path(dir, a.sha256, 0, path, sizeof path), 0);
	struct stat s1, s2;
	assert_int_equal(stat(path, &s1), 0);
	assert_int_equal(photo_ingest(dir, jpg, jl, MAX_BYTES, &b), PHOTO_OK);
	assert_string_equal(a.sha256, b.sha256);
	assert_int_equal(a.bytes, b.bytes);
	assert_int_equal(stat(path, &s2), 0);
	assert_int_equal(s1.st_ino, s2.st_ino);	/* left as it was */
	assert_int_equal(count_stored(dir), 2);	/* image + thumbnail, no temporaries */
	g_free(jpg);
}

static void test_photo_path(void **state)
{
	(void)state;
	char buf[256];
	const char *good = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	assert_int_equal(photo_path("/data", good, 0, buf, sizeof buf), 0);
	assert_string_equal(buf, "/data/photos/01/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.jpg");
	assert_int_equal(photo_path("/data", good, 1, buf, sizeof buf), 0);
	assert_string_equal(buf, "/data/photos/01/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef-t.jpg");

	const char *bad[] = {
		"../etc/passwd",
		"0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",
		"../456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde/",
		"",
		NULL,
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(photo_path("/data", bad[i], 0, buf, sizeof buf), -1);
	assert_int_equal(photo_path("/data", good, 0, buf, 40), -1);	/* too small */
}

static void test_error_messages(void **state)
{
	(void)state;
	assert_non_null(strstr(photo_error_message(PHOTO_EUNSUPPORTED), "不支持的图片格式"));
	int codes[] = {PHOTO_OK, PHOTO_EUNSUPPORTED, PHOTO_ETOOLARGE, PHOTO_ECORRUPT, PHOTO_EIO, -99};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		assert_non_null(photo_error_message(codes[i]));
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(photo_error_message(codes[i]), photo_error_message(codes[j]));
	}
}

static void test_unwritable_dir_eio(void **state)
{
	char file[4096];
	snprintf(file, sizeof file, "%s/plain-file", (const char *)*state);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	size_t jl;
	void *jpg = jpeg_of(noise(32, 32), &jl);
	struct photo_info pi;
	assert_int_equal(photo_ingest(file, jpg, jl, MAX_BYTES, &pi), PHOTO_EIO);	/* dir is a file */
	assert_string_equal(pi.sha256, "");
	g_free(jpg);
}

/* An embedded ICC profile (sRGB here; phones send Display P3) and a CMYK
 * JPEG: both end up as plain sRGB JPEGs without the profile. */
static void test_icc_and_cmyk(void **state)
{
	const char *dir = *state;
	VipsImage *g = noise(120, 90), *rgb = NULL, *tagged = NULL, *cmyk = NULL;
	assert_int_equal(vips_colourspace(g, &rgb, VIPS_INTERPRETATION_sRGB, NULL), 0);
	g_object_unref(g);
	assert_int_equal(vips_icc_transform(rgb, &tagged, "srgb", "input_profile", "srgb", NULL), 0);
	assert_true(vips_image_get_typeof(tagged, VIPS_META_ICC_NAME) != 0);
	assert_int_equal(vips_icc_transform(rgb, &cmyk, "cmyk", "input_profile", "srgb", NULL), 0);
	assert_int_equal(vips_image_get_bands(cmyk), 4);
	g_object_unref(rgb);

	VipsImage *ims[] = {tagged, cmyk};
	for (int i = 0; i < 2; i++) {
		size_t jl;
		void *jpg = jpeg_of(ims[i], &jl);
		struct photo_info pi;
		assert_int_equal(photo_ingest(dir, jpg, jl, MAX_BYTES, &pi), PHOTO_OK);
		char path[4096];
		assert_int_equal(photo_path(dir, pi.sha256, 0, path, sizeof path), 0);
		assert_no_metadata(path);
		VipsImage *im = vips_image_new_from_file(path, NULL);
		assert_non_null(im);
		assert_int_equal(vips_image_get_bands(im), 3);
		assert_int_equal(vips_image_get_interpretation(im), VIPS_INTERPRETATION_sRGB);
		double avg = 0;	/* mid grey stays mid grey: no inverted CMYK */
		assert_int_equal(vips_avg(im, &avg, NULL), 0);
		assert_true(avg > 100 && avg < 156);
		g_object_unref(im);
		g_free(jpg);
	}
}

/* Several threads at once (libmagic is shared under a lock). */
struct job {
	const char *dir;
	void *jpg;
	size_t len;
	int rc;
	char sha[65];
};

static void *ingest_job(void *arg)
{
	struct job *j = arg;
	struct photo_info pi;
	for (int k = 0; k < 5; k++) {
		j->rc = photo_ingest(j->dir, j->jpg, j->len, MAX_BYTES, &pi);
		if (j->rc)
			break;
		memcpy(j->sha, pi.sha256, 65);
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct job jobs[4];
	pthread_t t[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct job){.dir = *state};
		jobs[i].jpg = jpeg_of(noise(200 + 10 * (i % 2), 100), &jobs[i].len);	/* two distinct images */
	}
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, ingest_job, &jobs[i]), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(jobs[i].rc, PHOTO_OK);
		g_free(jobs[i].jpg);
	}
	assert_int_equal(count_stored(*state), 8);	/* 4 distinct noise images, + thumbnails */
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_dir, teardown_dir)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_exif_gps_time_south_west),
		T(test_exif_offset_north_east_motorola),
		T(test_exif_bad_values_ignored),
		T(test_exif_in_png_and_webp),
		T(test_orientation_applied),
		T(test_plain_jpeg_no_exif),
		T(test_png_with_alpha_stored_as_jpeg),
		T(test_webp_accepted),
		T(test_other_formats_refused),
		T(test_random_bytes_refused),
		T(test_truncated_jpeg_corrupt),
		T(test_too_many_bytes),
		T(test_too_many_pixels),
		T(test_large_shrunk_and_thumb),
		T(test_same_bytes_twice),
		T(test_photo_path),
		T(test_error_messages),
		T(test_unwritable_dir_eio),
		T(test_icc_and_cmyk),
		T(test_threads),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
