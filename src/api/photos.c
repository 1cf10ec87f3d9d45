/*
 * photos.c — uploading and serving problem photos. An upload is either a
 * multipart/form-data body with one file field ("file"), or the raw image
 * bytes. The type is sniffed from the bytes and the image re-encoded without
 * metadata (core/photo.c) *before* the write lock is taken, so a slow decode
 * never holds up other writers. Photos are served only to their uploader and
 * to those who may see a problem that shows them.
 */
#include "api.h"
#include "core/file.h"
#include "core/photo.h"
#include "core/timefmt.h"
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PHOTO_MAX_BYTES (12u << 20)

struct upload {
	buf_t file;
	int files;	/* number of file parts seen */
};

static enum MHD_Result part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
			    const char *content_type, const char *transfer_encoding, const char *data, uint64_t off,
			    size_t size)
{
	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	struct upload *u = cls;
	/* A part without a Content-Disposition name comes with key NULL (found
	 * by fuzz/fuzz_api.c: it crashed the server). */
	if (!filename && (!key || strcmp(key, "file")))
		return MHD_YES;	/* other form fields are ignored */
	if (off == 0)
		u->files++;
	if (u->files == 1 && size)
		buf_append(&u->file, data, size);
	return MHD_YES;
}

static json_t *photo_json(json_t *p)
{
	char url[64];
	int64_t id = json_integer_value(json_object_get(p, "id"));
	snprintf(url, sizeof url, "/api/v1/photos/%lld", (long long)id);
	json_object_set_new(p, "url", json_string(url));
	snprintf(url, sizeof url, "/api/v1/photos/%lld/thumb", (long long)id);
	json_object_set_new(p, "thumb_url", json_string(url));
	static const char *const keys[] = {"taken_at", "created_at", NULL};
	render_times(p, keys);
	render_location(p);
	return p;
}

int photos_upload(struct req *r)
{
	const char *ct = req_header(r, "Content-Type");
	struct upload u = {0};
	buf_init(&u.file, PHOTO_MAX_BYTES);
	const void *data = r->body.data;
	size_t len = r->body.len;
	if (ct && !strncasecmp(ct, "multipart/form-data", 19)) {
		struct MHD_PostProcessor *pp = MHD_create_post_processor(r->conn, 64 * 1024, part, &u);
		if (!pp) {
			buf_free(&u.file);
			return reply_error(r, 400, "bad_multipart", "无法解析 multipart 请求（缺少 boundary？）", NULL);
		}
		enum MHD_Result ok = MHD_post_process(pp, r->body.data ? r->body.data : "", r->body.len);
		MHD_destroy_post_processor(pp);
		if (ok != MHD_YES || u.files == 0) {
			buf_free(&u.file);
			return reply_error(r, 400, "bad_multipart", "请求中没有名为 file 的文件", NULL);
		}
		if (u.files > 1) {
			buf_free(&u.file);
			return reply_error(r, 400, "too_many_files", "每次只能上传一张照片", NULL);
		}
		data = u.file.data;
		len = u.file.len;
	} else if (!ct || (strncasecmp(ct, "image/", 6) && strncasecmp(ct, "application/octet-stream", 24))) {
		buf_free(&u.file);
		return reply_error(r, 415, "unsupported_media_type", "请以 multipart/form-data 或图片原始字节上传", NULL);
	}
	if (!len) {
		buf_free(&u.file);
		return reply_error(r, 400, "empty_upload", "没有上传内容", NULL);
	}
	struct photo_info info;
	int rc = photo_ingest(app.data_dir, data, len, PHOTO_MAX_BYTES, &info);
	buf_free(&u.file);
	if (rc != PHOTO_OK) {
		int status = rc == PHOTO_ETOOLARGE ? 413 : rc == PHOTO_EIO ? 500 : 422;
		const char *code = rc == PHOTO_EUNSUPPORTED ? "unsupported_image"
				   : rc == PHOTO_ETOOLARGE ? "image_too_large"
				   : rc == PHOTO_ECORRUPT  ? "corrupt_image"
							   : "internal";
		return reply_error(r, status, code, photo_error_message(rc), NULL);
	}
	json_t *row = json_pack("{s:s, s:i, s:i, s:I, s:s, s:I, s:I}", "sha256", info.sha256, "width", info.width,
				"height", info.height, "bytes", (json_int_t)info.bytes, "sniffed", info.sniffed,
				"uploader_id", (json_int_t)r->account_id, "created_at", (json_int_t)app_now());
	if (info.has_time)
		json_object_set_new(row, "taken_at", json_integer(info.taken_at));
	if (info.has_gps) {
		json_object_set_new(row, "lat", json_real(info.lat));
		json_object_set_new(row, "lng", json_real(info.lng));
	}
	int64_t id = 0;
	rc = store_begin();
	if (!rc)
		rc = store_photo_add(row, &id);
	json_decref(row);
	json_t *p = rc ? NULL : store_photo_get(id);
	if (!rc)
		rc = audit(r, "upload", "photo", id, NULL, json_pack("{s:s, s:s}", "sha256", info.sha256, "sniffed", info.sniffed));
	if (rc) {
		store_rollback();
		json_decref(p);
		return reply_store_error(r, rc);
	}
	if (store_commit()) {
		json_decref(p);
		return reply_error(r, 500, "commit_failed", "保存失败，请重试", NULL);
	}
	return reply_json(r, 201, photo_json(p));
}

static int may_see(struct req *r, json_t *ph)
{
	if (jint(ph, "uploader_id", 0) == r->account_id || has_role(r, R_ADMIN))
		return 1;
	json_t *probs = store_photo_problems(jint(ph, "id", 0));
	size_t i;
	json_t *row;
	int ok = 0;
	json_array_foreach(probs, i, row) {
		json_t *p = store_problem_get(jint(row, "problem_id", 0));
		ok = p && problem_visible(r, p);
		json_decref(p);
		if (ok)
			break;
	}
	json_decref(probs);
	return ok;
}

static int serve(struct req *r, int thumb)
{
	json_t *ph = store_photo_get(req_id(r, 0));
	if (!ph || !may_see(r, ph)) {
		json_decref(ph);
		return reply_error(r, 404, "not_found", "照片不存在或无权查看", NULL);
	}
	char path[4200], etag[80];
	int rc = photo_path(app.data_dir, jstr(ph, "sha256"), thumb, path, sizeof path);
	snprintf(etag, sizeof etag, "\"%.64s%s\"", jstr(ph, "sha256"), thumb ? "-t" : "");
	json_decref(ph);
	if (rc)
		return reply_error(r, 500, "internal", "服务器内部错误", NULL);
	reply_header(r, "ETag", etag);
	for (struct header *h = r->headers; h; h = h->next)
		if (!strcmp(h->name, "Cache-Control"))
			h->value = "private, max-age=86400";
	/* Files are named by their hash and never rewritten: the size seen here
	 * is the size read below. */
	struct stat st;
	if (stat(path, &st) != 0 || st.st_size > (off_t)PHOTO_MAX_BYTES * 2)
		return reply_error(r, 404, "not_found", "照片文件缺失", NULL);
	if (req_etag_match(r, etag)) {	/* the 304 names the 200's length */
		r->len_200 = (size_t)st.st_size;
		return reply_empty(r, 304);
	}
	size_t n = 0;
	char *data = file_slurp(path, (size_t)PHOTO_MAX_BYTES * 2, &n);
	if (!data)
		return reply_error(r, 500, "internal", "服务器内部错误", NULL);
	reply_raw(r, 200, "image/jpeg", data, n, 0);
	free(data);
	return 200;
}

int photos_get(struct req *r)
{
	return serve(r, 0);
}

int photos_thumb(struct req *r)
{
	return serve(r, 1);
}
