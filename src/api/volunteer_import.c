/*
 * volunteer_import.c — see volunteer_import.h. The row rules (required
 * columns, ID and phone validation with sealing, duplicates within the file)
 * are here once; the API handler and the command line differ only in where
 * valid rows go and how duplicates are remembered.
 */
#include "volunteer_import.h"
#include "api.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/validate.h"
#include "core/xlsx_read.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const heads[VI_NCOLS][3] = {
	{"姓名", "name", NULL},       {"身份证号", "id_number", "证件号码"}, {"手机号", "phone", "联系电话"},
	{"类型", "vtype", "志愿者类型"}, {"技能", "skills", "专业技能"},       {"服务区域", "areas", NULL},
	{"住址", "address", "居住地址"},
};

static const char *vtype_code(const char *s)
{
	static const char *const map[][2] = {{"白领", "white_collar"}, {"居民", "resident"}, {"学生", "student"},
					     {"党员", "party_member"}, {"white_collar", "white_collar"},
					     {"resident", "resident"}, {"student", "student"}, {"party_member", "party_member"}};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strcmp(map[i][0], s))
			return map[i][1];
	return NULL;
}

/* "a、b；c" → ["a","b","c"] (separators 、,，;；/ and spaces). */
static json_t *split_list(const char *s)
{
	json_t *a = json_array();
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", s ? s : "");
	static const char *const seps[] = {"、", "，", "；", ",", ";", "/", " "};
	for (size_t k = 0; k < sizeof seps / sizeof *seps; k++)
		for (char *p = strstr(buf, seps[k]); p; p = strstr(p, seps[k]))
			for (size_t j = 0; j < strlen(seps[k]); j++)
				*p++ = '\x1f';
	for (char *save = NULL, *t = strtok_r(buf, "\x1f", &save); t && json_array_size(a) < 20; t = strtok_r(NULL, "\x1f", &save))
		json_array_append_new(a, json_string(t));
	return a;
}

static int header(struct vimport *vi, const char *const *cells, size_t n)
{
	for (int c = 0; c < VI_NCOLS; c++) {
		vi->col[c] = -1;
		for (size_t i = 0; i < n; i++)
			for (int k = 0; k < 3 && heads[c][k]; k++)
				if (!strcmp(cells[i], heads[c][k]))
					vi->col[c] = (int)i;
	}
	vi->header_seen = 1;
	return vi->col[VI_NAME] < 0 || vi->col[VI_ID] < 0 || vi->col[VI_PHONE] < 0 || vi->col[VI_TYPE] < 0 ? VI_BAD_HEADER : 0;
}

int vimport_row(void *p, size_t rowno, const char *const *cells, size_t n)
{
	struct vimport *vi = p;
	if (!vi->header_seen)
		return header(vi, cells, n);
	if (vi->max_rows && ++vi->rows > vi->max_rows)
		return VI_TOO_MANY;
	if (!vi->max_rows)
		vi->rows++;
	const char *v[VI_NCOLS];
	for (int c = 0; c < VI_NCOLS; c++)
		v[c] = vi->col[c] >= 0 && (size_t)vi->col[c] < n ? cells[vi->col[c]] : "";
	json_t *fields = json_array();
	json_t *in = json_pack("{s:s, s:s, s:s}", "name", v[VI_NAME], "id_number", v[VI_ID], "phone", v[VI_PHONE]);
	/* The text rule of the JSON API (core/validate.h): no control characters or
	 * non-characters such as U+FFFF, which would break every XML export. */
	static const char *const col_names[VI_NCOLS] = {"name", "id_number", "phone", "vtype", "skills", "areas", "address"};
	for (int c = 0; c < VI_NCOLS; c++)
		if (!utf8_valid_text(v[c], strlen(v[c])))
			field_error(fields, col_names[c], "invalid_text", "含有不可用的字符");
	long nl = utf8_length(v[VI_NAME], strlen(v[VI_NAME]));
	if (nl < 1 || nl > 50)
		field_error(fields, "name", nl < 1 ? "required" : "too_long", "姓名应为 1–50 个字");
	if (!*v[VI_ID])
		field_error(fields, "id_number", "required", "缺少身份证号");
	if (!*v[VI_PHONE])
		field_error(fields, "phone", "required", "缺少手机号");
	const char *vt = vtype_code(v[VI_TYPE]);
	if (!vt)
		field_error(fields, "vtype", "invalid", "类型应为 白领、居民、学生 或 党员");
	if (*v[VI_ADDRESS])
		json_object_set_new(in, "address", json_string(v[VI_ADDRESS]));
	json_object_set_new(in, "skills", split_list(v[VI_SKILLS]));
	json_t *row = json_object();
	if (*v[VI_ID] && *v[VI_PHONE])
		people_seal_fields(in, row, fields, 0);
	const char *h = jstr(row, "id_hash");
	size_t before = h ? vi->seen(vi->ctx, h, rowno) : 0;
	if (before) {
		char msg[80];
		snprintf(msg, sizeof msg, "与第 %zu 行的身份证号重复", before);
		field_error(fields, "id_number", "duplicate", msg);
	}
	int rc;
	if (json_array_size(fields))
		rc = vi->row(vi->ctx, rowno, fields, NULL, NULL, NULL);
	else {
		json_object_set_new(row, "kinds", json_pack("[s,s]", "resident", "volunteer"));
		json_t *areas = split_list(v[VI_AREAS]);
		rc = vi->row(vi->ctx, rowno, NULL, row, vt, areas);
		json_decref(areas);
	}
	json_decref(fields);
	json_decref(row);
	json_decref(in);
	return rc;
}

int vimport_read(struct vimport *vi, const char *data, size_t len, char *err, size_t errlen)
{
	vi->header_seen = 0;
	vi->rows = 0;
	int xlsx = len > 4 && !memcmp(data, "PK\x03\x04", 4);
	int rc = xlsx ? xlsx_read_rows(data, len, vimport_row, vi, err, errlen)
		      : csv_read_rows(data, len, vimport_row, vi, err, errlen);
	return !rc && !vi->header_seen ? VI_BAD_HEADER : rc;
}

/* The command line ------------------------------------------------------------------- */

struct cli {
	int64_t org;
	int write;		/* pass 2: insert the valid rows */
	int checked;		/* pass 1 found every row valid: pass 2 skips the look-ups (the data dir is locked) */
	int batch, in_tx;
	size_t total, valid, failed, imported, shown;
	double t0;
	int64_t now;
};

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t cli_seen(void *ctx, const char *h, size_t rowno)
{
	if (((struct cli *)ctx)->checked)
		return 0;
	int64_t before = store_import_seen(h, (int64_t)rowno);
	return before > 0 ? (size_t)before : 0;
}

static void show_errors(struct cli *c, size_t rowno, json_t *errors)
{
	c->failed++;
	if (c->shown >= 20)
		return;
	c->shown++;
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e)
		fprintf(stderr, "第 %zu 行 / row %zu: %s: %s\n", rowno, rowno, jstr(e, "field"), jstr(e, "message"));
}

static void progress(struct cli *c)
{
	double dt = seconds() - c->t0;
	if (c->total)
		fprintf(stderr, "\r已导入 / imported %zu / %zu (%.1f%%), %.0f 行/秒 rows/s   ", c->imported, c->total,
			100.0 * (double)c->imported / (double)c->total, dt > 0 ? c->imported / dt : 0);
	else
		fprintf(stderr, "\r已导入 / imported %zu, %.0f 行/秒 rows/s   ", c->imported, dt > 0 ? c->imported / dt : 0);
	fflush(stderr);
}

static int cli_row(void *ctx, size_t rowno, json_t *errors, json_t *person, const char *vtype, json_t *areas)
{
	struct cli *c = ctx;
	json_t *own = NULL;
	/* Already registered (an earlier import, or this one interrupted and run again). */
	if (!errors && !c->checked && store_person_by_id_hash(jstr(person, "id_hash")) > 0) {
		own = json_array();
		field_error(own, "id_number", "exists", "该身份证号已登记");
		errors = own;
	}
	if (errors) {
		show_errors(c, rowno, errors);
		json_decref(own);
		return 0;
	}
	c->valid++;
	if (!c->write)
		return 0;
	if (!c->in_tx) {
		if (store_begin())
			return 10;
		c->in_tx = 1;
	}
	json_object_set_new(person, "org_id", json_integer(c->org));
	int64_t pid = 0, vid = 0;
	int rc = store_person_create(person, &pid);
	if (!rc)
		rc = volunteer_new(pid, c->org, vtype, areas, 0, 0, &vid);
	if (rc) {
		fprintf(stderr, "\n第 %zu 行 / row %zu: 写入失败 / cannot write (%d)\n", rowno, rowno, rc);
		return 10;
	}
	c->imported++;
	if (c->imported % (size_t)c->batch == 0) {
		if (store_commit())
			return 10;
		c->in_tx = 0;
		progress(c);
	}
	return 0;
}

static int pass(struct cli *c, const char *data, size_t len)
{
	struct vimport vi = {.row = cli_row, .seen = cli_seen, .ctx = c};
	char err[256] = "";
	int rc = vimport_read(&vi, data, len, err, sizeof err);
	store_import_seen_clear();
	if (rc == VI_BAD_HEADER)
		fprintf(stderr, "wenming import: 第一行应为表头，至少包含 姓名、身份证号、手机号、类型 / the first row must be "
				"the header with at least name, id_number, phone, vtype\n");
	else if (rc && rc != 10)
		fprintf(stderr, "wenming import: 无法读取文件 / cannot read the file: %s\n", *err ? err : "?");
	return rc;
}

int volunteers_import_file(const char *path, int64_t org, int valid_only, int batch)
{
	json_t *o = store_org_get(org);
	int ok = o && word_in_list("street community compound building", jstr(o, "kind"));
	json_decref(o);
	if (!ok) {
		fprintf(stderr, "wenming import: --org %lld 不是街道、社区或小区 / is not a street, community or compound\n",
			(long long)org);
		return 1;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		fprintf(stderr, "wenming import: 无法打开 / cannot open %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	if (sb.st_size == 0) {
		fprintf(stderr, "wenming import: %s 是空文件 / is empty\n", path);
		close(fd);
		return 1;
	}
	const char *data = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (data == MAP_FAILED) {
		fprintf(stderr, "wenming import: 无法读取 / cannot read %s: %s\n", path, strerror(errno));
		return 1;
	}
	size_t len = (size_t)sb.st_size;
	struct cli c = {.org = org, .batch = batch};
	int rc = 0;
	if (!valid_only) {
		/* Pass 1 checks everything and writes nothing: all or nothing. */
		rc = pass(&c, data, len);
		if (!rc && c.failed) {
			fprintf(stderr, "wenming import: %zu 行有错误，未导入任何数据（--valid-only 只导入正确的行） / %zu rows "
					"have errors, nothing was imported (--valid-only imports the valid rows)\n",
				c.failed, c.failed);
			rc = 1;
		}
		c.total = c.valid;
		c.valid = c.failed = c.shown = 0;
		c.checked = !rc;
	}
	if (!rc) {
		c.write = 1;
		c.t0 = seconds();
		rc = pass(&c, data, len);
	}
	if (c.in_tx) {
		if (rc || store_commit())
			store_rollback();
		c.in_tx = 0;
	}
	munmap((void *)data, len);
	if (c.write) {
		progress(&c);
		fputc('\n', stderr);
		json_t *e = json_pack("{s:s, s:s, s:I, s:s, s:{s:I, s:I, s:I, s:s}}", "action", "import", "resource",
				      "volunteer", "resource_id", (json_int_t)0, "ip", "cli", "after", "imported",
				      (json_int_t)c.imported, "failed", (json_int_t)c.failed, "org_id", (json_int_t)org, "via",
				      "wenming import");
		if (c.imported && (store_begin() || store_audit_add(e) || store_commit()))
			log_error("import: the audit entry could not be written");
		json_decref(e);
	}
	if (rc && rc != 1 && c.imported)	/* stopped in the write pass: the committed batches stay */
		fprintf(stderr, "wenming import: 停止 / stopped; %zu rows imported before (they stay: run again with "
				"--valid-only to add the rest)\n", c.imported);
	if (!rc)
		printf("imported %zu volunteers into org %lld, %zu rows refused%s\n", c.imported, (long long)org, c.failed,
		       c.failed ? " (listed above)" : "");
	return rc ? 1 : 0;
}
