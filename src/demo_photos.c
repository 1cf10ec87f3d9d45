/*
 * demo_photos.c — synthetic photos for the demo problems: simple scenes
 * drawn with libvips (a ground, a wall, coloured boxes for the clutter that
 * goes away in the "after" picture), ingested through the same pipeline as
 * real uploads. No real place or person is shown.
 */
#include "api/api.h"
#include "core/photo.h"
#include "demo.h"
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

/* A 640×480 JPEG of a scene; `after` leaves the clutter out. malloc'd. */
static void *scene(int seed, int after, size_t *len)
{
	VipsImage *img = NULL, *out = NULL;
	if (vips_black(&img, 640, 480, "bands", 3, NULL))
		return NULL;
	double sky[3] = {170 + seed % 40, 190, 205}, wall[3] = {200, 190 - seed % 30, 170};
	double ground[3] = {120, 120 + seed % 20, 115};
	vips_draw_rect(img, sky, 3, 0, 0, 640, 180, "fill", TRUE, NULL);
	vips_draw_rect(img, wall, 3, 40 + seed % 60, 90, 360, 250, "fill", TRUE, NULL);
	vips_draw_rect(img, ground, 3, 0, 340, 640, 140, "fill", TRUE, NULL);
	double door[3] = {90, 70, 60};
	vips_draw_rect(img, door, 3, 180 + seed % 50, 220, 70, 120, "fill", TRUE, NULL);
	if (!after) {
		unsigned s = (unsigned)seed * 2654435761u;
		for (int i = 0; i < 6 + seed % 5; i++) {
			s = s * 1103515245u + 12345u;
			double c[3] = {(double)(s >> 8 & 255), (double)(s >> 16 & 255), (double)(s >> 24 & 255)};
			int x = (int)(s % 560), y = 300 + (int)((s >> 4) % 120), w = 30 + (int)((s >> 12) % 60);
			vips_draw_rect(img, c, 3, x, y, w, w * 2 / 3, "fill", TRUE, NULL);
		}
	}
	void *buf = NULL;
	if (vips_cast_uchar(img, &out, NULL) == 0)
		vips_jpegsave_buffer(out, &buf, len, "Q", 80, NULL);
	g_object_unref(img);
	if (out)
		g_object_unref(out);
	if (!buf)
		return NULL;
	/* libvips allocates with g_malloc; hand back a plain malloc copy. */
	void *copy = malloc(*len);
	if (copy)
		memcpy(copy, buf, *len);
	g_free(buf);
	return copy;
}

int64_t demo_photo(int seed, int after, int64_t uploader, int64_t at)
{
	size_t len = 0;
	void *jpg = scene(seed, after, &len);
	if (!jpg)
		return 0;
	struct photo_info info;
	int rc = photo_ingest(app.data_dir, jpg, len, 12u << 20, &info);
	free(jpg);
	if (rc != PHOTO_OK)
		return 0;
	json_t *row = json_pack("{s:s, s:i, s:i, s:I, s:s, s:I, s:I}", "sha256", info.sha256, "width", info.width,
				"height", info.height, "bytes", (json_int_t)info.bytes, "sniffed", info.sniffed,
				"uploader_id", (json_int_t)uploader, "created_at", (json_int_t)at);
	int64_t id = 0;
	rc = store_photo_add(row, &id);
	json_decref(row);
	return rc ? 0 : id;
}

int demo_rectified(int64_t pid, int64_t at, int64_t actor, const char *note)
{
	json_t *p = store_problem_get(pid);
	if (!p)
		return STORE_EIO;
	int64_t photo = demo_photo((int)(pid % 1000), 1, actor, at);
	json_t *data = json_pack("{s:o}", "photos", photo ? json_pack("[I]", (json_int_t)photo) : json_array());
	json_t *lat = json_object_get(p, "lat"), *lng = json_object_get(p, "lng");
	if (json_is_number(lat) && json_is_number(lng))
		json_object_set_new(data, "location", json_pack("{s:f, s:f}", "lat", json_number_value(lat) + 0.00006,
								"lng", json_number_value(lng) + 0.00004));
	json_decref(p);
	json_t *e = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "at", (json_int_t)at, "action", "rectify", "from_state",
			      "acknowledged", "to_state", "rectified", "note", note, "data", data);
	if (actor)
		json_object_set_new(e, "actor_id", json_integer(actor));
	int64_t ev = 0;
	int rc = store_problem_event_add(pid, e, &ev);
	json_decref(e);
	if (!rc && photo)
		rc = store_problem_photo_add(pid, photo, ev, "after");
	return rc;
}
