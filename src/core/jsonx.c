/* jsonx.c — see jsonx.h. */
#include "jsonx.h"
#include "validate.h"
#include <stdio.h>
#include <string.h>

void field_error(json_t *fields, const char *field, const char *code, const char *message)
{
	json_array_append_new(fields, json_pack("{s:s, s:s, s:s}", "field", field,
						"code", code, "message", message));
}

static const char *type_name(enum ftype t)
{
	switch (t) {
	case F_STR: return "字符串";
	case F_INT: return "整数";
	case F_BOOL: return "布尔值";
	case F_NUM: return "数字";
	case F_STRARR: return "字符串数组";
	case F_OBJ: return "对象";
	case F_ARR: return "数组";
	}
	return "?";
}

static int text_ok(const json_t *v)
{
	return utf8_valid_text(json_string_value(v), json_string_length(v));
}

static int check_one(const json_t *v, const struct fspec *f, json_t *fields)
{
	char msg[160];
	int ok = 1;
	switch (f->type) {
	case F_STR:
		ok = json_is_string(v);
		break;
	case F_INT:
		ok = json_is_integer(v);
		break;
	case F_BOOL:
		ok = json_is_boolean(v);
		break;
	case F_NUM:
		ok = json_is_number(v);
		break;
	case F_STRARR:
	case F_ARR:
		ok = json_is_array(v);
		break;
	case F_OBJ:
		ok = json_is_object(v);
		break;
	}
	if (!ok) {
		snprintf(msg, sizeof msg, "应为%s", type_name(f->type));
		field_error(fields, f->name, "wrong_type", msg);
		return 1;
	}
	if (f->type == F_STR) {
		if (!text_ok(v)) {
			field_error(fields, f->name, "invalid_text", "含有不允许的控制字符或无效编码");
			return 1;
		}
		long n = utf8_length(json_string_value(v), json_string_length(v));
		if ((f->min || f->max) && (n < f->min || n > f->max)) {
			snprintf(msg, sizeof msg, "长度应在 %lld 到 %lld 个字符之间", f->min, f->max);
			field_error(fields, f->name, n < f->min ? "too_short" : "too_long", msg);
			return 1;
		}
	} else if (f->type == F_INT || f->type == F_NUM) {
		double d = json_number_value(v);
		if ((f->min || f->max) && (d < (double)f->min || d > (double)f->max)) {
			snprintf(msg, sizeof msg, "取值应在 %lld 到 %lld 之间", f->min, f->max);
			field_error(fields, f->name, "out_of_range", msg);
			return 1;
		}
	} else if (f->type == F_STRARR || f->type == F_ARR) {
		size_t n = json_array_size(v), i;
		if ((f->min || f->max) && ((long long)n < f->min || (long long)n > f->max)) {
			snprintf(msg, sizeof msg, "元素个数应在 %lld 到 %lld 之间", f->min, f->max);
			field_error(fields, f->name, "out_of_range", msg);
			return 1;
		}
		json_t *it;
		if (f->type == F_STRARR)
			json_array_foreach(v, i, it) {
				if (!json_is_string(it) || !text_ok(it) || json_string_length(it) > 200) {
					field_error(fields, f->name, "wrong_type", "应为不超过 200 字节的字符串数组");
					return 1;
				}
			}
	}
	return 0;
}

int json_check(const json_t *obj, const struct fspec *spec, json_t *fields)
{
	int errors = 0;
	if (!json_is_object(obj)) {
		field_error(fields, "", "not_object", "请求体应为 JSON 对象");
		return 1;
	}
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) {
		const struct fspec *f = spec;
		while (f->name && strcmp(f->name, key))
			f++;
		if (!f->name) {
			/* The key came from the client: report it only if it is printable text. */
			field_error(fields, utf8_valid_text(key, strlen(key)) && strlen(key) < 64 ? key : "?",
				    "unknown_field", "不支持的字段");
			errors++;
			continue;
		}
		if (json_is_null(v)) {
			if (!(f->flags & F_NULL)) {
				field_error(fields, f->name, (f->flags & F_REQ) ? "required" : "wrong_type",
					    "不能为空");
				errors++;
			}
			continue;
		}
		errors += check_one(v, f, fields);
	}
	for (const struct fspec *f = spec; f->name; f++)
		if ((f->flags & F_REQ) && !json_object_get(obj, f->name)) {
			field_error(fields, f->name, "required", "必填");
			errors++;
		}
	return errors;
}

const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

int64_t jint(const json_t *o, const char *key, int64_t dflt)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : dflt;
}

int jbool(const json_t *o, const char *key, int dflt)
{
	json_t *v = json_object_get(o, key);
	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

int jhas(const json_t *o, const char *key)
{
	return json_object_get(o, key) != NULL;
}
