/*
 * demo_party.c — the street's party tree and members (docs/PARTY.md):
 * 花木街道党工委 › 8 居民区党总支 › 党支部 › 楼道党小组 for the buildings of
 * 锦绣前城 and 星河湾; officers; a few hundred members (预备 and 在职 among
 * them, 党员楼长 / 中心户 on buildings), transfers with history, and two
 * 党员先锋岗. Appends orgs only (the ids of earlier demo orgs stay).
 */
#include "api/api.h"
#include "demo.h"
#include "store/party.h"
#include <stdio.h>
#include <string.h>

static uint64_t rng = 0x9a27b0c1e5d2026ULL;
static uint32_t rnd(uint32_t n)
{
	return demo_rnd(&rng, n);
}

static int64_t porg(int64_t parent, const char *subkind, const char *name)
{
	json_t *in = json_pack("{s:s, s:s, s:s, s:I}", "kind", "party_org", "subkind", subkind, "name", name, "parent_id",
			       (json_int_t)parent);
	int64_t id = 0;
	if (store_org_create(in, &id) != STORE_OK)
		id = -1;
	json_decref(in);
	return id;
}

int64_t demo_party_gb(int64_t community)
{
	int64_t id = store_party_org_child(community, "party_general_branch");
	return id > 0 ? id : community;
}

/* The member orgs of one community and the buildings each covers. */
struct place_orgs {
	int64_t orgs[16], building[16][6];
	int n;
};

/* 楼道党小组 of per buildings each under branch for buildings [from, to) of compound. */
static int groups(struct place_orgs *po, int64_t branch, const char *compound, json_t *blds, int from, int to, int per)
{
	for (int b = from; b < to && po->n < 16; b += per) {
		char name[96];
		snprintf(name, sizeof name, "%s%d–%d号楼党小组", compound, b + 1, b + per < to ? b + per : to);
		int64_t g = porg(branch, "party_group", name);
		if (g <= 0)
			return -1;
		memset(po->building[po->n], 0, sizeof po->building[po->n]);
		for (int k = 0; k < per && b + k < to; k++) {
			int64_t bid = json_integer_value(json_object_get(json_array_get(blds, (size_t)(b + k)), "id"));
			po->building[po->n][k] = bid;
			if (bid && store_party_org_place_add(g, bid))
				return -1;
		}
		po->orgs[po->n++] = g;
	}
	return 0;
}

static int64_t find_compound(int64_t community, const char *name)
{
	json_t *c = store_party_children(community, "compound");
	int64_t id = 0;
	size_t i;
	json_t *x;
	json_array_foreach(c, i, x) if (!strcmp(json_string_value(json_object_get(x, "name")), name))
		id = json_integer_value(json_object_get(x, "id"));
	json_decref(c);
	return id;
}

static int64_t find_child(int64_t parent, const char *kind, const char *name)
{
	json_t *c = store_party_children(parent, kind);
	int64_t id = 0;
	size_t i;
	json_t *x;
	json_array_foreach(c, i, x) if (!strcmp(json_string_value(json_object_get(x, "name")), name))
		id = json_integer_value(json_object_get(x, "id"));
	json_decref(c);
	return id;
}

/* The party orgs members join in community i. */
static int tree_for(int64_t comm, int i, struct place_orgs *po)
{
	static const char *const plain[] = {"由由五村", "由由八村", "梧桐花园", "前程新苑", "联洋新苑", "培花新村",
					    "东城七村", "牡丹四村"};
	int64_t gb = demo_party_gb(comm);
	po->n = 0;
	char name[96];
	if (i == 0) {
		int64_t b1 = find_child(gb, "party_org", "锦绣前城第一党支部");
		int64_t b2 = porg(gb, "party_branch", "锦绣前城第二党支部");
		json_t *blds = store_party_children(find_compound(comm, "锦绣前城"), "building");
		int rc = b1 <= 0 || b2 <= 0 || groups(po, b1, "锦绣前城", blds, 0, 25, 5) ||
			 groups(po, b2, "锦绣前城", blds, 25, (int)json_array_size(blds), 6);
		json_decref(blds);
		if (rc)
			return -1;
	}
	if (i == 4) {
		int64_t b = find_child(gb, "party_org", "星河湾党支部");
		json_t *blds = store_party_children(find_compound(comm, "星河湾"), "building");
		int rc = b <= 0 || groups(po, b, "星河湾", blds, 0, (int)json_array_size(blds), 4);
		json_decref(blds);
		if (rc)
			return -1;
	}
	snprintf(name, sizeof name, "%s党支部", plain[i % 8]);
	int64_t plain_branch = porg(find_compound(comm, plain[i % 8]) ? find_compound(comm, plain[i % 8]) : gb,
				    "party_branch", name);
	if (plain_branch <= 0)
		return -1;
	memset(po->building[po->n], 0, sizeof po->building[po->n]);
	po->orgs[po->n++] = plain_branch;
	return 0;
}

/* The member row for person p in org slot k of po. */
static int add_member(struct place_orgs *po, int k, int64_t person, int seq, const int64_t *units, int64_t now,
		      int64_t *mid)
{
	char joined[40];	/* room for any int the compiler imagines; the dates are 10 chars */
	snprintf(joined, sizeof joined, "%04d-%02d-%02d", 1975 + (int)rnd(50), 1 + (int)rnd(12), 1 + (int)rnd(28));
	int employed = seq % 5 == 1;
	int slot = 0;
	while (slot < 6 && po->building[k][slot])
		slot++;
	int64_t building = slot ? po->building[k][seq % slot] : 0;
	const char *duty = building && seq % 6 == 0 ? "building_head" : building && seq % 6 == 3 ? "household_head" : NULL;
	json_t *in = json_pack("{s:I, s:I, s:s, s:s, s:b}", "person_id", (json_int_t)person, "org_id",
			       (json_int_t)po->orgs[k], "status", seq % 13 == 7 ? "probationary" : "full", "joined_on",
			       seq % 13 == 7 ? "2026-03-01" : joined, "employed", employed);
	if (employed)
		json_object_set_new(in, "employer_id", json_integer(units[seq % 4]));
	if (duty) {
		json_object_set_new(in, "duty", json_string(duty));
		json_object_set_new(in, "duty_place_id", json_integer(building));
	}
	int rc = store_party_member_create(in, now - 86400 * (int64_t)(30 + rnd(900)), mid);
	json_decref(in);
	return rc;
}

/* Officers: the first members of an org; a group gets its leader. */
static int officers(int64_t org, const int64_t *persons, int n, int group)
{
	static const char *const posts[] = {"secretary", "deputy_secretary", "committee_member", "committee_member"};
	json_t *list = json_array();
	for (int i = 0; i < n && i < (group ? 1 : 4); i++)
		if (persons[i] > 0)	/* a small demo (--people few) leaves some orgs without members */
			json_array_append_new(list, json_pack("{s:I, s:s, s:s}", "person_id", (json_int_t)persons[i], "post",
						      group ? "group_leader" : posts[i], "since", "2024-01-01"));
	int rc = store_party_officers_set(org, list);
	json_decref(list);
	return rc;
}

static int has_kind(json_t *p, const char *k)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(p, "kinds"), i, x) if (json_is_string(x) && !strcmp(json_string_value(x), k))
		return 1;
	return 0;
}

static int64_t unit_id(const char *code)
{
	json_t *o = store_org_by_code(code);
	int64_t id = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	return id;
}

/* The members of community comm over the orgs of po; officers for each org
 * and the 党总支 (firsts: the first members, for the caller's officers). */
static int members_of(int64_t comm, struct place_orgs *po, const int64_t *units, int64_t skip, int64_t now,
		      int64_t firsts[8], int64_t *some_member)
{
	static int64_t per_org[16][4];
	int nper[16] = {0}, seq = 0, nf = 0, rc = 0;
	json_t *f = json_pack("{s:I}", "org_id", (json_int_t)comm);
	int64_t after = 0;
	for (int idx = 0; !rc;) {
		json_t *rows = store_person_list(f, after, 200);
		if (!rows || !json_array_size(rows)) {
			json_decref(rows);
			break;
		}
		size_t i;
		json_t *p;
		json_array_foreach(rows, i, p) {
			int64_t pid = json_integer_value(json_object_get(p, "id"));
			after = pid;
			if (rc || pid == skip || !(has_kind(p, "party_member") || idx++ % 20 == 3))
				continue;
			int k = seq % po->n;
			int64_t mid = 0;
			rc = add_member(po, k, pid, seq, units, now, &mid);
			if (nper[k] < 4)
				per_org[k][nper[k]++] = pid;
			if (nf < 8)
				firsts[nf++] = pid;
			if (seq == 1)
				*some_member = mid;
			seq++;
		}
		json_decref(rows);
	}
	json_decref(f);
	for (int k = 0; k < po->n && !rc; k++)
		rc = officers(po->orgs[k], per_org[k], nper[k], po->building[k][0] != 0);
	return rc;
}

int demo_party(const int64_t *comm, int ncomm, int64_t street)
{
	int64_t now = app_now();
	int64_t units[4] = {unit_id("HM-SPDB"), unit_id("HM-CG"), unit_id("HM-HW"), unit_id("HM-WY-JXQC")};
	int64_t gw = find_child(street, "party_org", "花木街道党工委");
	json_t *acc = store_account_auth("volunteer");
	int64_t zhang = json_integer_value(json_object_get(acc, "person_id"));
	json_decref(acc);
	if (!units[0] || !gw)
		return -1;
	int64_t moved[8] = {0}, plain_branch[8] = {0}, gw_officers[4] = {0};
	int rc = 0;
	for (int i = 0; i < ncomm && i < 8 && !rc; i++) {
		struct place_orgs po;
		int64_t firsts[8] = {0};
		rc = tree_for(comm[i], i, &po) || members_of(comm[i], &po, units, zhang, now, firsts, &moved[i]);
		plain_branch[i] = po.orgs[po.n - 1];
		if (!rc && firsts[0])	/* the 党总支's officers: the community's first members */
			rc = officers(demo_party_gb(comm[i]), firsts + 4, firsts[7] ? 4 : 0, 0);
		if (!rc && i == 0 && firsts[1]) {	/* the branches above the groups */
			rc = officers(find_child(demo_party_gb(comm[0]), "party_org", "锦绣前城第一党支部"), firsts, 3, 0) ||
			     officers(find_child(demo_party_gb(comm[0]), "party_org", "锦绣前城第二党支部"), firsts + 3, 1, 0);
		}
		if (!rc && i == 4 && firsts[0])
			rc = officers(find_child(demo_party_gb(comm[4]), "party_org", "星河湾党支部"), firsts, 2, 0);
		if (i < 4)
			gw_officers[i] = firsts[0];
	}
	if (!rc && gw_officers[3])
		rc = officers(gw, gw_officers, 4, 0);
	/* 张志愿 (the volunteer login): a 在职党员 of 浦发银行花木支行 in the secretary's branch. */
	int64_t jx1 = find_child(demo_party_gb(comm[0]), "party_org", "锦绣前城第一党支部");
	if (!rc && zhang) {
		json_t *in = json_pack("{s:I, s:I, s:s, s:s, s:b, s:I}", "person_id", (json_int_t)zhang, "org_id", (json_int_t)jx1,
				       "status", "full", "joined_on", "2015-07-01", "employed", 1, "employer_id",
				       (json_int_t)units[0]);
		rc = store_party_member_create(in, now - 86400 * 400, NULL);
		json_decref(in);
	}
	/* Transfers: a member of each plain branch moved in from the neighbouring community's. */
	for (int i = 1; i < ncomm && i < 8 && !rc; i++) {
		if (moved[i] <= 0)
			continue;
		json_t *patch = json_pack("{s:I}", "org_id", (json_int_t)plain_branch[i - 1]);
		rc = store_party_member_update(moved[i], patch, now - 86400 * (20 + i * 11)) ||
		     store_party_transfer_add(moved[i], plain_branch[i], plain_branch[i - 1], i % 2 ? "2026-03-15" : "2025-10-08",
					      i % 2 ? "迁居" : "工作调动", 0, now - 86400 * (20 + i * 11));
		json_decref(patch);
	}
	/* 党员先锋岗: two of the demo posts. */
	static const char *const vanguard[] = {"由由文明交通岗", "梧桐居委爱心岗"};
	for (int i = 0; i < 2 && !rc; i++) {
		int64_t post = store_party_post_by_name(vanguard[i]);
		rc = post > 0 ? store_party_post_vanguard(post, 1) : post < 0;
	}
	return rc ? -1 : 0;
}
