/*
 * demo_meetings.c — a year and more of 三会一课 for the demo (docs/PARTY.md):
 * from 1 January of last year up to the demo's today, every 党支部 holds its
 * committee meetings and theme days monthly, member meetings and lectures
 * quarterly, every 党小组 its group meetings, with about one in seven
 * skipped (a fixed pattern, so the compliance view shows red for closed
 * periods, amber for the open ones whose meeting day has not come, green
 * for the rest). Attendance: the members of the org, mostly present, some
 * on leave with a reason, a few absent. 张志愿 (the "volunteer" login)
 * becomes a member of 锦绣前城第一党支部 if the party demo did not make
 * them one, and that branch has a planned meeting next week.
 */
#include "demo.h"
#include "api/api.h"
#include "core/crypto.h"
#include "core/period.h"
#include "store/party_meetings.h"
#include <stdio.h>
#include <string.h>

struct mtype {
	const char *type, *topic;
	int months, month_in, day;	/* period length; which month of it (0-based) and day */
};
static const struct mtype types[] = {
	{"committee_meeting", "支委会：研究本月党建工作和志愿服务安排", 1, 0, 12},
	{"theme_day", "主题党日：亮身份、清洁家园", 1, 0, 5},
	{"group_meeting", "党小组会：学习交流、楼道走访情况", 1, 0, 18},
	{"member_meeting", "党员大会：通报季度工作，民主议事", 3, 1, 20},
	{"lecture", "党课：学习贯彻党的二十大精神", 3, 2, 8},
};
static const char *const leave_reasons[] = {"出差", "身体不适", "家中有事", "值班"};

static int attendance(int64_t meeting, int64_t org, unsigned seed)
{
	json_t *members = store_party_members_under(org), *v;
	size_t i;
	int rc = members ? STORE_OK : STORE_EIO;
	json_array_foreach(members, i, v) {
		unsigned h = (seed + (unsigned)i * 2654435761u) % 100;
		const char *st = h < 8 ? "leave" : h < 12 ? "absent" : "present";
		if ((rc = store_attendance_set(meeting, jint(v, "person_id", 0), st,
					       h < 8 ? leave_reasons[h % 4] : NULL, 0)))
			break;
	}
	json_decref(members);
	return rc;
}

static int64_t meeting(int64_t org, const char *type, const char *day, const char *state, const char *topic,
		       int64_t now)
{
	char tok[64];
	token_new(tok, sizeof tok, 18);
	json_t *m = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)org, "type", type,
			      "held_on", day, "start_time", "19:00", "state", state, "topic", topic, "place", "党群服务站",
			      "signin_token", tok, "minutes", strcmp(state, "held") ? "" : "会议按议程进行，形成决议并明确分工。");
	int64_t id = 0;
	int rc = store_meeting_create(m, now, &id);
	json_decref(m);
	return rc ? -1 : id;
}

/* One org's meetings of one type from first_year's January to today. */
static int org_type(const json_t *org, const struct mtype *t, int first_year, int64_t today, int64_t now)
{
	int64_t id = jint(org, "id", 0);
	for (int y = first_year; y <= first_year + 1; y++)
		for (int p = 0; p < 12 / t->months; p++) {
			char d[48];
			snprintf(d, sizeof d, "%04d-%02d-%02d", y, p * t->months + t->month_in + 1, t->day);
			int64_t day;
			if (period_parse_date(d, &day) || day >= today)
				continue;
			/* A fixed pattern of gaps: about one period in seven is missed. */
			unsigned h = (unsigned)(id * 31 + y * 13 + p * 17 + t->day * 7) % 7;
			if (h == 3)
				continue;
			int64_t m = meeting(id, t->type, d, "held", t->topic, now);
			if (m < 0 || attendance(m, id, (unsigned)(m * 7)))
				return -1;
		}
	return 0;
}

int demo_meetings(const int64_t *communities, int ncomm, int64_t street)
{
	(void)communities, (void)ncomm, (void)street;
	int64_t now = app_now(), today = period_day(now);
	char d[16];
	period_format_day(today, d, sizeof d);
	int year = 0;
	sscanf(d, "%d", &year);
	json_t *orgs = store_meeting_orgs(NULL), *o;
	size_t i;
	int rc = orgs ? 0 : -1;
	int64_t jx = 0, vol = store_person_named("张志愿");
	json_array_foreach(orgs, i, o) if (!strcmp(jstr(o, "name"), "锦绣前城第一党支部")) jx = jint(o, "id", 0);
	if (!rc && jx && vol > 0)
		rc = store_party_member_ensure(vol, jx, now);
	json_array_foreach(orgs, i, o) {
		const char *sk = jstr(o, "subkind") ? jstr(o, "subkind") : "";
		int group = !strcmp(sk, "party_group");
		if (rc)
			break;
		if (!group && strcmp(sk, "party_branch"))
			continue;
		for (size_t t = 0; !rc && t < sizeof types / sizeof *types; t++)
			if (group == !strcmp(types[t].type, "group_meeting"))
				rc = org_type(o, &types[t], year - 1, today, now);
		if (rc)
			break;
	}
	json_decref(orgs);
	if (!rc && jx) {
		period_format_day(today + 7, d, sizeof d);
		rc = meeting(jx, "member_meeting", d, "planned", "党员大会：讨论楼组党建和年度评议", now) < 0;
	}
	return rc ? -1 : 0;
}
