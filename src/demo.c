/*
 * demo.c — builds the demo street 花木街道 (浦东新区, 上海) from the practices in
 * SPEC: its eight residential committees, the compounds 锦绣前城 (52
 * buildings), 星河湾 and 锦博苑, property companies, 城管, 市场所, 派出所, party
 * organisations, a volunteer team, one account per role, and synthetic people.
 *
 * Synthetic people are deterministic (fixed seed). Their ID numbers pass the
 * GB 11643 check but use the 浦东 area code with sequence numbers 900–999, and
 * their phones all start with 19900: clearly synthetic, never real.
 * Later features add their part of the demo here.
 */
#include "demo.h"
#include "api/api.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/privacy.h"
#include "core/validate.h"
#include <stdio.h>
#include <string.h>

const char *const demo_logins[] = {
	"admin       系统管理员 (上海市)",
	"office      文明办 (花木街道)",
	"committee   居委 (由由第五居民区)",
	"committee2  居委 (梧桐居民区)",
	"inspector   督查员 (花木街道)",
	"handler     处置单位 (锦绣前城物业)",
	"volunteer   志愿者 (由由第五居民区)",
	"resident    居民 (由由第五居民区)",
	"secretary   党组织书记 (锦绣前城第一党支部)",
	"unit        报到单位联系人 (浦发银行花木支行)",
	"rep         楼组长 (锦绣前城1号楼)",
	"xhw-wuye, chengguan, huanwei  more handler units (星河湾物业, 城管, 环卫)",
	NULL,
};

static uint64_t rng = 0x5eed2026cafeULL;
static uint32_t rnd(uint32_t n)
{
	return demo_rnd(&rng, n);
}

static int64_t org(int64_t parent, const char *kind, const char *subkind, const char *name, const char *code,
		   const char *address)
{
	json_t *in = json_pack("{s:s, s:s}", "kind", kind, "name", name);
	if (parent)
		json_object_set_new(in, "parent_id", json_integer(parent));
	if (subkind)
		json_object_set_new(in, "subkind", json_string(subkind));
	if (code)
		json_object_set_new(in, "code", json_string(code));
	if (address)
		json_object_set_new(in, "address", json_string(address));
	/* Around 花木 (31.21 N, 121.55 E), so later maps have something to show. */
	json_object_set_new(in, "lat", json_real(31.205 + rnd(200) / 10000.0));
	json_object_set_new(in, "lng", json_real(121.535 + rnd(300) / 10000.0));
	int64_t id = 0;
	if (store_org_create(in, &id) != STORE_OK)
		id = -1;
	json_decref(in);
	return id;
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
					"马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
					"唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "沈", "陆", "顾", "蔡"};
static const char *const given[] = {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇",
				     "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华",
				     "文", "华", "红", "玉兰", "志强", "海燕", "建国", "凤英", "国强", "晓明",
				     "丹", "萍", "亮", "欣怡", "子涵", "浩然", "梓萱", "宇轩"};
static const char *const skills[] = {"急救", "摄影", "法律咨询", "心理疏导", "书法", "电脑维修", "理发",
				      "外语", "文艺演出", "垃圾分类宣传", "交通劝导", "助老"};

static int add_person(int64_t org_id, const char *name, const char *kinds_csv, char *id_out)
{
	char id[19], phone[12], h[65];
	for (int tries = 0;; tries++) {	/* draw again when a synthetic ID repeats */
		int y = 1945 + (int)rnd(61), m = 1 + (int)rnd(12), d = 1 + (int)rnd(28);
		char tmp[64];
		snprintf(tmp, sizeof tmp, "310115%04d%02d%02d%03u", y, m, d, 900 + rnd(100));
		memcpy(id, tmp, 17);
		id[17] = id_check_char(id);
		id[18] = 0;
		privacy_id_hash(id, h, sizeof h);
		if (store_person_by_id_hash(h) == 0)
			break;
		if (tries > 20)
			return -1;
	}
	snprintf(phone, sizeof phone, "19900%06u", rnd(1000000));
	json_t *row = json_pack("{s:s, s:I}", "name", name, "org_id", (json_int_t)org_id);
	privacy_seal_id(row, id);
	privacy_seal_phone(row, phone);
	json_t *kinds = json_array();
	char buf[128];
	snprintf(buf, sizeof buf, "%s", kinds_csv);
	for (char *t = strtok(buf, ","); t; t = strtok(NULL, ","))
		json_array_append_new(kinds, json_string(t));
	json_object_set_new(row, "kinds", kinds);
	json_t *sk = json_array();
	if (strstr(kinds_csv, "volunteer"))
		json_array_append_new(sk, json_string(skills[rnd(sizeof skills / sizeof *skills)]));
	json_object_set_new(row, "skills", sk);
	int64_t pid = 0;
	int rc = store_person_create(row, &pid);
	json_decref(row);
	if (id_out)
		snprintf(id_out, 19, "%s", id);
	return rc ? -1 : (int)pid;
}

static int account(const char *login, const char *name, const char *role, int64_t org_id, int64_t person)
{
	char hash[256];
	int64_t id;
	if (pw_hash(DEMO_PASSWORD, hash, sizeof hash))
		return -1;
	if (store_account_create(login, name, hash, person, &id) || store_grant_add(id, role, org_id, NULL))
		return -1;
	return 0;
}

int demo_build(int npeople)
{
	if (store_begin())
		return -1;
	int err = 0;
	store_setting_set("demo", "1");
	store_setting_set("code_prefix", "HM");
	int64_t city = org(0, "city", NULL, "上海市", "SH", NULL);
	int64_t district = org(city, "district", NULL, "浦东新区", "PD", NULL);
	int64_t street = org(district, "street", NULL, "花木街道", "HM", "上海市浦东新区花木路");
	static const char *const communities[] = {"由由第五居民区", "由由第八居民区", "梧桐居民区", "前程居民区",
						  "联洋第二居民区", "培花第一居民区", "东城第七居民区", "牡丹第四居民区"};
	int64_t comm[8], compounds[32];
	int ncomp = 0;
	int64_t jinxiu = 0, xinghe = 0, jinbo = 0;
	for (int i = 0; i < 8; i++) {
		char code[16], name[64];
		snprintf(code, sizeof code, "HM-C%02d", i + 1);
		comm[i] = org(street, "community", NULL, communities[i], code, NULL);
		snprintf(name, sizeof name, "%.*s党总支", (int)(strlen(communities[i]) - strlen("居民区")),
			 communities[i]);
		org(comm[i], "party_org", "party_general_branch", name, NULL, NULL);
	}
	/* The compounds named in the practices, then one ordinary compound per community. */
	jinxiu = compounds[ncomp++] = org(comm[0], "compound", NULL, "锦绣前城", "HM-JXQC", "浦东新区锦绣路");
	xinghe = compounds[ncomp++] = org(comm[4], "compound", NULL, "星河湾", "HM-XHW", "浦东新区芳甸路");
	jinbo = compounds[ncomp++] = org(comm[2], "compound", NULL, "锦博苑", "HM-JBY", "浦东新区梅花路");
	static const char *const plain[] = {"由由五村", "由由八村", "梧桐花园", "前程新苑", "联洋新苑", "培花新村",
					    "东城七村", "牡丹四村"};
	for (int i = 0; i < 8; i++)
		compounds[ncomp++] = org(comm[i], "compound", NULL, plain[i], NULL, NULL);
	int64_t jx_building1 = 0;
	for (int b = 1; b <= 52; b++) {
		char name[32];
		snprintf(name, sizeof name, "%d号楼", b);
		int64_t id = org(jinxiu, "building", NULL, name, NULL, NULL);
		if (b == 1)
			jx_building1 = id;
	}
	for (int c = 1; c < ncomp; c++)
		for (int b = 1; b <= 8; b++) {
			char name[32];
			snprintf(name, sizeof name, "%d号楼", b);
			if (compounds[c] != jinxiu)
				org(compounds[c], "building", NULL, name, NULL, NULL);
		}
	int64_t jx_branch = org(jinxiu, "party_org", "party_branch", "锦绣前城第一党支部", NULL, NULL);
	org(xinghe, "party_org", "party_branch", "星河湾党支部", NULL, NULL);
	org(street, "party_org", "party_working_committee", "花木街道党工委", NULL, NULL);
	int64_t wuye = org(street, "unit", "property", "锦绣前城物业", "HM-WY-JXQC", NULL);
	int64_t xhw_wuye = org(street, "unit", "property", "星河湾物业", "HM-WY-XHW", NULL);
	org(street, "unit", "property", "锦博苑物业", "HM-WY-JBY", NULL);
	int64_t chengguan = org(street, "unit", "government", "花木城管中队", "HM-CG", NULL);
	org(street, "unit", "government", "花木市场监管所", "HM-SCS", NULL);
	org(street, "unit", "government", "花木派出所", "HM-PCS", NULL);
	int64_t huanwei = org(street, "unit", "enterprise", "花木环卫所", "HM-HW", NULL);

	org(comm[0], "team", NULL, "七彩虹巾帼志愿者服务队", NULL, NULL);
	org(comm[2], "team", NULL, "梧桐白领志愿者服务队", NULL, NULL);
	/* A unit whose employed party members registered where they live (双报到, demo_party*.c). */
	int64_t bank_unit = org(street, "unit", "enterprise", "浦发银行花木支行", "HM-SPDB", NULL);
	(void)jinbo;
	err = city < 0 || district < 0 || street < 0 || wuye < 0;

	/* People: spread over the communities; every fifth a volunteer. */
	for (int i = 0; i < npeople && !err; i++) {
		char name[32];
		snprintf(name, sizeof name, "%s%s", surnames[rnd(sizeof surnames / sizeof *surnames)],
			 given[rnd(sizeof given / sizeof *given)]);
		const char *kinds = i % 5 == 0 ? "resident,volunteer" : i % 17 == 0 ? "resident,party_member"
								: i % 23 == 0 ? "resident,building_rep" : "resident";
		err = add_person(comm[rnd(8)], name, kinds, NULL) < 0;
	}
	int vol = err ? -1 : add_person(comm[0], "张志愿", "resident,volunteer", NULL);
	int res = err ? -1 : add_person(comm[0], "李居民", "resident", NULL);
	err = err || vol <= 0 || res <= 0;
	if (!err)
		err = account("admin", "系统管理员", "admin", city, 0) ||
		      account("office", "花木街道文明办", "office", street, 0) ||
		      account("committee", "由由第五居委", "committee", comm[0], 0) ||
		      account("committee2", "梧桐居委", "committee", comm[2], 0) ||
		      account("inspector", "街道督查员", "inspector", street, 0) ||
		      account("handler", "锦绣前城物业", "handler", wuye, 0) ||
		      account("volunteer", "张志愿", "volunteer", comm[0], vol) ||
		      account("resident", "李居民", "resident", comm[0], res) ||
		      /* Handler units of the demo problems beyond the one fixed login. */
		      account("xhw-wuye", "星河湾物业", "handler", xhw_wuye, 0) ||
		      account("chengguan", "花木城管中队", "handler", chengguan, 0) ||
		      account("huanwei", "花木环卫所", "handler", huanwei, 0) ||
		      /* Party building (SPEC §8): a branch secretary, a 双报到 unit's contact, a building rep. */
		      account("secretary", "锦绣前城第一党支部书记", "party", jx_branch, 0) ||
		      account("unit", "浦发银行花木支行党建联络员", "unit", bank_unit, 0) ||
		      account("rep", "锦绣前城1号楼楼组长", "rep", jx_building1 ? jx_building1 : jinxiu, 0);
	if (!err) {
		char now[32];
		log_now(now, sizeof now);
		store_setting_set("demo_built_at", now);
		json_t *e = json_pack("{s:s, s:s, s:s}", "action", "demo_build", "resource", "database", "note",
				      "wenming demo");
		err = store_audit_add(e) != STORE_OK;
		json_decref(e);
	}
	/* Which part failed goes in the log: each is a file of its own. */
	const char *part = err ? "organisations and people" : NULL;
	if (!err && (err = categories_load_defaults(1) != 0))	/* now the handler units exist */
		part = "categories";
	if (!err && (err = demo_problems(npeople > 0 ? 420 : 0, comm, 8) != 0))
		part = "problems";
	if (!err && npeople > 0 && (err = demo_revisits(comm, 8) != 0))
		part = "revisits";
	if (!err && (err = demo_volunteers(comm, 8, street) != 0))
		part = "volunteers";
	if (!err && npeople > 0 && (err = demo_sites(comm, 8) != 0))	/* demo_sites.c: sites, inspections, rounds, daily tasks */
		part = "sites";
	if (!err && (err = demo_bank(comm, 8) != 0))	/* demo_bank.c: 爱心超市, points, orders */
		part = "love bank";
	/* Party building (docs/PARTY.md), in the order of demo.h. */
	/* ---- party ---- */

	/* ---- dual ---- */

	/* ---- meetings ---- */

	/* ---- buildings ---- */
	if (!err && (err = demo_buildings(comm, 8, street) != 0))	/* demo_buildings.c */
		part = "buildings";

	/* ---- targets ---- */

	/* ---- awards ---- */

	if (err) {
		store_rollback();
		log_error("building the demo failed (%s)", part);
		return -1;
	}
	return store_commit() == STORE_OK ? 0 : -1;
}
