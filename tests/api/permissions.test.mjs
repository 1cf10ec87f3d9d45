// permissions.test.mjs — the permission matrix (SPEC §2): every route of
// /api/v1/openapi.json × every demo login (and anonymous) against the
// EXPECTED table below, plus the scope rules (a 居委 never sees another 居委's
// people), masking of phones and ID numbers in every answer, and the audit
// entry written by each reveal.
//
// Adding a route: add its operationId to EXPECTED and a CASES entry that
// builds a request for it (the test fails until you do).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  ensureServer, api, as, login, freshLogin, routeList, errorOf, orgId, demoOrgs, listAll, tag, uniqueId,
  randomPhone, newestAuditId, makePng, categoryCode, DEMO_LOGINS, ROLE_OF, clockIso, clockNow
} from './harness.mjs';

await ensureServer();

const REGION = '110102';
const ALL = ['admin', 'office', 'committee', 'inspector', 'handler', 'volunteer', 'resident', 'party', 'unit', 'rep'];
const STAFF = ['admin', 'office'];
const PEOPLE = ['admin', 'office', 'committee'];
const PUBLIC = 'public';	// anyone, signed in or not
const SIGNED_IN = ALL;		// any signed-in account

// operationId → roles allowed (or PUBLIC). The product rules:
// orgs.read all roles; orgs.write admin+office; accounts.* admin+office;
// people.read/write/reveal admin+office+committee; people.export admin+office;
// audit.read admin; session routes and roles_list any signed-in; public routes anyone.
const EXPECTED = {
  ops_healthz: PUBLIC,
  ops_readyz: PUBLIC,
  ops_metrics: PUBLIC,
  ops_openapi: PUBLIC,
  web_index: PUBLIC,
  web_asset: PUBLIC,
  session_login: PUBLIC,
  session_get: SIGNED_IN,
  session_logout: SIGNED_IN,
  session_password: SIGNED_IN,
  roles_list: SIGNED_IN,
  orgs_list: ALL,
  orgs_create: STAFF,
  orgs_get: ALL,
  orgs_update: STAFF,
  orgs_delete: STAFF,
  accounts_list: STAFF,
  accounts_create: STAFF,
  accounts_get: STAFF,
  accounts_update: STAFF,
  accounts_password: STAFF,
  grants_create: STAFF,
  grants_delete: STAFF,
  people_list: PEOPLE,
  people_create: PEOPLE,
  people_get: PEOPLE,
  people_update: PEOPLE,
  people_sensitive: PEOPLE,
  people_export: STAFF,
  people_anonymise: STAFF,
  audit_list: ['admin'],
  audit_export: ['admin'],
  categories_list: SIGNED_IN,
  categories_get: SIGNED_IN,
  categories_create: STAFF,
  categories_update: STAFF,
  categories_export: STAFF,
  categories_import: STAFF,
  calendar_get: SIGNED_IN,
  calendar_set_day: STAFF,
  calendar_set_hours: STAFF,
  calendar_import: STAFF,
  // Problems (SPEC §3): anyone allowed may report and read what is theirs;
  // acting needs office/committee/inspector/handler (the workflow table then
  // decides per action, which is not this route-level check).
  problems_list: ALL,
  problems_create: ALL,
  problems_get: ALL,
  problems_act: ['admin', 'office', 'committee', 'inspector', 'handler'],
  photos_upload: ALL,
  photos_get: ALL,
  photos_thumb: ALL,
  notifications_list: SIGNED_IN,
  notifications_read: SIGNED_IN,
  notifications_read_all: SIGNED_IN,
  system_clock: ['admin'],
  system_tick: ['admin'],
  system_fault: ['admin'],
  problems_rate: ALL,
  // An Open311 reporter's contact details in clear: office and 居委 (audited).
  problems_contact: PEOPLE,
  track_get: PUBLIC,
  open311_get: PUBLIC,
  open311_post: PUBLIC,
  open311_keys_list: ['admin'],
  open311_keys_create: ['admin'],
  // Ledger exports (整改台账): staff and 居委, scoped like problems; the notice like reading a problem.
  ledger_xlsx: ['admin', 'office', 'committee'],
  ledger_csv: ['admin', 'office', 'committee'],
  problems_notice: ALL,
  // The map: scoped per problem like the list; the big screen's feed: kpis.read
  // (staff and 居委 over their subtrees, handler units over their problems);
  // the tile configuration: anyone signed in.
  problems_map: ALL,
  problems_feed: ['admin', 'office', 'committee', 'handler'],
  config_map: SIGNED_IN,
  // Likely duplicates: any reporter sees nearby candidates and may join one;
  // the radius is read by anyone signed in, changed by staff.
  problems_nearby: ALL,
  problems_join: ALL,
  settings_duplicates_get: SIGNED_IN,
  settings_duplicates_put: STAFF,
  // Volunteers and shifts (SPEC §5): staff and 居委 manage in their subtree;
  // anyone signed in registers, browses posts, shifts and activities, signs up
  // (the handler requires an approved volunteer) and reads their own data.
  volunteers_list: PEOPLE,
  volunteers_create: PEOPLE,
  volunteers_register: SIGNED_IN,
  volunteers_me: SIGNED_IN,
  signups_mine: SIGNED_IN,
  records_mine: SIGNED_IN,
  volunteers_get: PEOPLE,
  volunteers_update: PEOPLE,
  volunteers_decide: PEOPLE,
  volunteer_settings_get: SIGNED_IN,
  volunteer_settings_put: STAFF,
  teams_list: PEOPLE,
  teams_members: PEOPLE,
  teams_member_put: PEOPLE,
  teams_member_delete: PEOPLE,
  posts_list: ALL,
  posts_create: PEOPLE,
  posts_get: ALL,
  posts_update: PEOPLE,
  posts_pattern_add: PEOPLE,
  posts_pattern_delete: PEOPLE,
  posts_generate: PEOPLE,
  posts_claims: ALL,
  posts_claim_create: ALL,
  claims_decide: PEOPLE,
  shifts_list: ALL,
  shifts_get: ALL,
  shifts_signup: ALL,
  shifts_cancel: PEOPLE,
  signups_cancel: ALL,
  signups_attendance: ALL,
  checkin_create: ALL,
  roster_get: PEOPLE,
  records_list: PEOPLE,
  records_create: PEOPLE,
  records_decide: PEOPLE,
  activities_list: ALL,
  activities_create: PEOPLE,
  calendar_feed: PUBLIC,
  calendar_token_rotate: SIGNED_IN,
  volunteers_me_certificate: SIGNED_IN,
  volunteers_certificate: PEOPLE,
  volunteers_import: PEOPLE,
  posts_qr: ALL,
  records_xlsx: PEOPLE,
  // 回头看 and 顽疾: office, 居委 and inspectors in their subtree; watching is for the office and 居委.
  revisits_list: ['admin', 'office', 'committee', 'inspector'],
  revisits_get: ['admin', 'office', 'committee', 'inspector'],
  revisits_do: ['admin', 'office', 'committee', 'inspector'],
  settings_revisits_get: SIGNED_IN,
  settings_revisits_put: STAFF,
  chronic_list: ['admin', 'office', 'committee', 'inspector'],
  chronic_get: ['admin', 'office', 'committee', 'inspector'],
  chronic_watch: ['admin', 'office', 'committee'],
  chronic_unwatch: ['admin', 'office', 'committee'],
  chronic_check: ['admin', 'office', 'committee', 'inspector'],
  // Sites, checklists, inspections, rounds, daily tasks (SPEC §4). Reading
  // sites is scoped per row (a handler sees the sites its unit is 包保 for).
  site_types_list: SIGNED_IN,
  checklist_get: SIGNED_IN,
  checklist_versions: SIGNED_IN,
  checklist_put: STAFF,
  sites_list: ALL,
  sites_get: ALL,
  sites_export: ALL,
  sites_create: PEOPLE,
  sites_update: PEOPLE,
  sites_import: PEOPLE,
  sites_qr_png: ALL,
  sites_qr_svg: ALL,
  sites_qr_sheet: ALL,
  inspections_list: ALL,
  inspections_get: ALL,
  inspections_create: ['admin', 'office', 'committee', 'inspector'],
  rounds_list: ['admin', 'office', 'committee', 'inspector'],
  rounds_get: ['admin', 'office', 'committee', 'inspector'],
  rounds_xlsx: ['admin', 'office', 'committee', 'inspector'],
  inspection_rankings_get: ['admin', 'office', 'committee', 'inspector'],
  rounds_create: STAFF,
  rounds_update: STAFF,
  watch_list: ['admin', 'office', 'committee', 'inspector', 'volunteer'],
  tasks_list: ['admin', 'office', 'committee', 'inspector', 'volunteer'],
  tasks_done: ['admin', 'office', 'committee', 'inspector', 'volunteer'],
  tasks_stats: ['admin', 'office', 'committee', 'inspector', 'volunteer'],
  watch_create: PEOPLE,
  watch_update: PEOPLE,
  // KPIs and rankings: staff, 居委 and handler units, each scoped (kpi.test.mjs);
  // the consistency check is an admin's tool.
  kpis_get: ['admin', 'office', 'committee', 'handler'],
  kpis_trend: ['admin', 'office', 'committee', 'handler'],
  kpis_states: ['admin', 'office', 'committee', 'handler'],
  rankings_get: ['admin', 'office', 'committee', 'handler'],
  kpis_check: ['admin'],
  // Love bank (爱心银行): members use their own account; 居委 and staff run
  // the 爱心超市 in their subtree; the trial balance is the admin's.
  bank_me: SIGNED_IN,
  bank_orders_mine: SIGNED_IN,
  bank_settings_get: SIGNED_IN,
  bank_settings_put: STAFF,
  bank_items_list: SIGNED_IN,
  bank_items_create: PEOPLE,
  bank_items_update: PEOPLE,
  bank_orders_create: SIGNED_IN,
  bank_orders_list: PEOPLE,
  bank_orders_qr: SIGNED_IN,
  bank_orders_cancel: SIGNED_IN,
  bank_orders_fulfil: PEOPLE,
  bank_awards_create: PEOPLE,
  bank_award_run: PEOPLE,
  bank_trial: ['admin'],
  bank_report: STAFF,
  bank_ledger_csv: STAFF,
  bank_family_list: SIGNED_IN,
  bank_family_create: SIGNED_IN,
  bank_family_approve: PEOPLE,
  bank_family_revoke: SIGNED_IN,
  bank_transfers_create: SIGNED_IN,
  webhooks_list: ['admin'],
  webhooks_create: ['admin'],
  webhooks_get: ['admin'],
  webhooks_update: ['admin'],
  webhooks_delete: ['admin'],
  webhooks_rotate: ['admin'],
  webhooks_ping: ['admin'],
  webhooks_deliveries: ['admin'],
  webhook_delivery_retry: ['admin'],
  // Party building (docs/PARTY.md), one block per feature.
  // ---- party ----
  party_orgs_list: ['admin', 'office', 'committee', 'party'], party_orgs_get: ['admin', 'office', 'committee', 'party'], party_orgs_officers: ['admin', 'office', 'committee', 'party'], party_roster_xlsx: ['admin', 'office', 'committee', 'party'],
  party_members_list: ['admin', 'office', 'committee', 'party'], party_members_create: ['admin', 'office', 'committee', 'party'], party_members_get: ['admin', 'office', 'committee', 'party'], party_members_update: ['admin', 'office', 'committee', 'party'],
  party_members_transfer: ['admin', 'office', 'committee', 'party'], party_participation: ['admin', 'office', 'committee', 'party'],

  // ---- dual ----
  dual_units_list: ['admin', 'office', 'committee', 'party', 'unit'], dual_units_create: ['admin', 'office', 'committee', 'party', 'unit'], dual_units_get: ['admin', 'office', 'committee', 'party', 'unit'],
  dual_units_update: ['admin', 'office', 'committee', 'party', 'unit'], dual_units_accept: ['admin', 'office', 'committee', 'party'], dual_units_feedback: ['admin', 'office', 'committee', 'party', 'unit'],
  dual_units_feedback_xlsx: ['admin', 'office', 'committee', 'party', 'unit'], dual_units_feedback_pdf: ['admin', 'office', 'committee', 'party', 'unit'], dual_overview_get: ['admin', 'office', 'committee', 'party'],
  dual_regs_list: ['admin', 'office', 'committee', 'party', 'unit'], dual_regs_create: SIGNED_IN, dual_regs_mine: SIGNED_IN, dual_regs_get: ['admin', 'office', 'committee', 'party', 'unit'],
  dual_regs_update: ['admin', 'office', 'committee', 'party'], dual_regs_accept: ['admin', 'office', 'committee', 'party'], dual_regs_decline: ['admin', 'office', 'committee', 'party'],
  dual_regs_service: ['admin', 'office', 'committee', 'party', 'unit'], dual_regs_card_svg: SIGNED_IN,

  // ---- meetings ----
  meetings_list: ['admin', 'office', 'committee', 'party'], meetings_create: ['admin', 'office', 'committee', 'party'], meetings_get: ['admin', 'office', 'committee', 'party'], meetings_update: ['admin', 'office', 'committee', 'party'],
  meetings_attendance: ['admin', 'office', 'committee', 'party'], meetings_qr: ['admin', 'office', 'committee', 'party'], meetings_signin_link: ['admin', 'office', 'committee', 'party'],
  meetings_mine: SIGNED_IN, meetings_sign_in: SIGNED_IN, meetings_leave: SIGNED_IN,
  compliance_rules_get: ['admin', 'office', 'committee', 'party'], compliance_rules_put: STAFF, compliance_get: ['admin', 'office', 'committee', 'party'],

  // ---- buildings ----
  buildings_list: ['admin', 'office', 'committee', 'rep'],
  buildings_get: ['admin', 'office', 'committee', 'rep'],
  building_reps_list: ['admin', 'office', 'committee', 'rep'],
  building_reps_create: PEOPLE,
  building_reps_update: PEOPLE,
  building_reps_delete: PEOPLE,
  building_notices_list: ['admin', 'office', 'committee', 'rep'],
  building_notices_create: ['admin', 'office', 'committee', 'rep'],
  building_rosters_list: ['admin', 'office', 'committee', 'rep'],
  building_rosters_create: ['admin', 'office', 'committee', 'rep'],
  roster_entries_list: ['admin', 'office', 'committee', 'rep'],
  roster_entries_create: SIGNED_IN,
  roster_export: ['admin', 'office', 'committee', 'rep'],
  my_rosters: SIGNED_IN,
  // home-watch: the 居委 and the building's rep only — not admin (docs/PARTY.md)
  home_watch_list: ['committee', 'rep'],
  home_watch_create: ['committee', 'rep'],
  home_watch_get: ['committee', 'rep'],
  home_watch_update: ['committee', 'rep'],
  home_watch_contact: ['committee', 'rep'],
  home_watch_visits_list: ['committee', 'rep'],
  home_watch_visits_create: ['committee', 'rep'],

  // ---- targets ----
  // 目标责任书: read by staff, 居委, 党组织书记 and 报到单位 (their subtree);
  // written by staff. 好人好事: anyone signed in records and lists (their
  // own, or their subtree's as staff); the 居委 verifies; the wall is public.
  targets_list: ['admin', 'office', 'committee', 'party', 'unit'],
  targets_metrics: ['admin', 'office', 'committee', 'party', 'unit'],
  targets_get: ['admin', 'office', 'committee', 'party', 'unit'],
  targets_letter_pdf: ['admin', 'office', 'committee', 'party', 'unit'],
  targets_create: STAFF,
  targets_update: STAFF,
  targets_issue: STAFF,
  targets_sign: STAFF,
  good_deeds_list: SIGNED_IN,
  good_deeds_create: SIGNED_IN,
  good_deeds_wall: PUBLIC,
  good_deeds_get: SIGNED_IN,
  good_deeds_verify: PEOPLE,
  good_deeds_reject: PEOPLE,

  // ---- awards ----
  // Honours: the office runs schemes, panels and decisions; staff roles read
  // schemes (panel membership is checked by the handler); nominating in scope.
  awards_schemes_list: ['admin', 'office', 'committee', 'inspector', 'party', 'unit'],
  awards_schemes_get: ['admin', 'office', 'committee', 'inspector', 'party', 'unit'],
  awards_schemes_create: STAFF, awards_schemes_update: STAFF, awards_schemes_state: STAFF,
  awards_schemes_panel: STAFF, awards_results: STAFF,
  awards_evidence_get: ['admin', 'office', 'committee', 'party', 'unit'],
  awards_nominations_list: ['admin', 'office', 'committee', 'party', 'unit'],
  awards_nominations_create: ['admin', 'office', 'committee', 'party', 'unit'],
  awards_nominations_get: ['admin', 'office', 'committee', 'party', 'unit'],
  awards_nominations_decide: STAFF,
  awards_conflict: ['admin', 'office', 'committee', 'inspector', 'party', 'unit'],
  awards_vote: ['admin', 'office', 'committee', 'inspector', 'party', 'unit'],
  awards_certificate: STAFF,
  awards_review_list: ['admin', 'office', 'committee', 'inspector', 'party', 'unit'],
  awards_roll: PUBLIC,

};

// The permission each operation is checked under (x-permission), so that a
// route silently moved to a weaker permission is caught as well.
const EXPECTED_PERMISSION = {
  orgs_list: 'orgs.read', orgs_get: 'orgs.read',
  orgs_create: 'orgs.write', orgs_update: 'orgs.write', orgs_delete: 'orgs.write',
  accounts_list: 'accounts.read', accounts_get: 'accounts.read',
  accounts_create: 'accounts.write', accounts_update: 'accounts.write', accounts_password: 'accounts.write',
  grants_create: 'accounts.write', grants_delete: 'accounts.write',
  people_list: 'people.read', people_get: 'people.read',
  people_create: 'people.write', people_update: 'people.write',
  people_sensitive: 'people.reveal', people_export: 'people.export', people_anonymise: 'people.export',
  audit_list: 'audit.read', audit_export: 'audit.read',
  categories_create: 'categories.write', categories_update: 'categories.write',
  categories_export: 'categories.write', categories_import: 'categories.write',
  calendar_set_day: 'calendar.write', calendar_set_hours: 'calendar.write', calendar_import: 'calendar.write',
  problems_list: 'problems.read', problems_get: 'problems.read', photos_get: 'problems.read', photos_thumb: 'problems.read',
  problems_create: 'problems.report', photos_upload: 'problems.report',
  problems_act: 'problems.act',
  system_clock: 'system.admin', system_tick: 'system.admin', system_fault: 'system.admin',
  open311_keys_list: 'system.admin', open311_keys_create: 'system.admin',
  ledger_xlsx: 'ledger.export', ledger_csv: 'ledger.export', problems_notice: 'problems.read',
  problems_map: 'problems.read', problems_feed: 'kpis.read',
  problems_nearby: 'problems.report', problems_join: 'problems.report', settings_duplicates_put: 'categories.write',
  problems_rate: 'problems.report',
  problems_contact: 'problems.contact',
  volunteers_list: 'volunteers.read', volunteers_get: 'volunteers.read', teams_list: 'volunteers.read',
  teams_members: 'volunteers.read', roster_get: 'volunteers.read', records_list: 'volunteers.read',
  volunteers_create: 'volunteers.write', volunteers_update: 'volunteers.write', volunteers_decide: 'volunteers.write',
  teams_member_put: 'volunteers.write', teams_member_delete: 'volunteers.write', posts_create: 'volunteers.write',
  posts_update: 'volunteers.write', posts_pattern_add: 'volunteers.write', posts_pattern_delete: 'volunteers.write',
  posts_generate: 'volunteers.write', claims_decide: 'volunteers.write', shifts_cancel: 'volunteers.write',
  records_create: 'volunteers.write', records_decide: 'volunteers.write', activities_create: 'volunteers.write',
  volunteer_settings_put: 'volunteers.settings',
  posts_list: 'shifts.read', posts_get: 'shifts.read', posts_claims: 'shifts.read', shifts_list: 'shifts.read',
  shifts_get: 'shifts.read', activities_list: 'shifts.read',
  posts_claim_create: 'shifts.signup', shifts_signup: 'shifts.signup', signups_cancel: 'shifts.signup',
  signups_attendance: 'shifts.signup', checkin_create: 'shifts.signup',
  volunteers_certificate: 'volunteers.read', records_xlsx: 'volunteers.read', volunteers_import: 'volunteers.write',
  posts_qr: 'shifts.read',
  revisits_list: 'revisits.read', revisits_get: 'revisits.read', revisits_do: 'revisits.do',
  settings_revisits_put: 'categories.write', chronic_list: 'revisits.read', chronic_get: 'revisits.read',
  chronic_watch: 'chronic.watch', chronic_unwatch: 'chronic.watch', chronic_check: 'revisits.do',
  checklist_put: 'checklists.write',
  sites_list: 'sites.read', sites_get: 'sites.read', sites_export: 'sites.read',
  inspections_list: 'sites.read', inspections_get: 'sites.read',
  sites_create: 'sites.write', sites_update: 'sites.write', sites_import: 'sites.write',
  sites_qr_png: 'sites.read', sites_qr_svg: 'sites.read', sites_qr_sheet: 'sites.read',
  inspections_create: 'inspections.write',
  rounds_list: 'rounds.read', rounds_get: 'rounds.read', rounds_xlsx: 'rounds.read', inspection_rankings_get: 'rounds.read',
  rounds_create: 'rounds.write', rounds_update: 'rounds.write',
  watch_list: 'tasks.read', tasks_list: 'tasks.read', tasks_done: 'tasks.read', tasks_stats: 'tasks.read',
  watch_create: 'tasks.write', watch_update: 'tasks.write',
  kpis_get: 'kpis.read', kpis_trend: 'kpis.read', kpis_states: 'kpis.read', rankings_get: 'kpis.read',
  kpis_check: 'system.admin',
  bank_settings_put: 'bank.settings', bank_items_create: 'bank.manage', bank_items_update: 'bank.manage',
  bank_orders_list: 'bank.manage', bank_orders_fulfil: 'bank.manage', bank_awards_create: 'bank.manage',
  bank_award_run: 'bank.manage', bank_trial: 'bank.audit', bank_report: 'bank.report', bank_ledger_csv: 'bank.report',
  bank_family_approve: 'bank.manage',
  webhooks_list: 'webhooks.manage', webhooks_create: 'webhooks.manage', webhooks_get: 'webhooks.manage',
  webhooks_update: 'webhooks.manage', webhooks_delete: 'webhooks.manage', webhooks_rotate: 'webhooks.manage',
  webhooks_ping: 'webhooks.manage', webhooks_deliveries: 'webhooks.manage', webhook_delivery_retry: 'webhooks.manage',
  // Party building, one block per feature.
  // ---- party ----
  party_orgs_list: 'party.read', party_orgs_get: 'party.read', party_roster_xlsx: 'party.read', party_members_list: 'party.read',
  party_members_get: 'party.read', party_participation: 'party.read', party_orgs_officers: 'party.write',
  party_members_create: 'party.write', party_members_update: 'party.write', party_members_transfer: 'party.write',

  // ---- dual ----
  dual_units_list: 'dual.read', dual_units_create: 'dual.register', dual_units_get: 'dual.read',
  dual_units_update: 'dual.register', dual_units_accept: 'dual.manage', dual_units_feedback: 'dual.read',
  dual_units_feedback_xlsx: 'dual.read', dual_units_feedback_pdf: 'dual.read', dual_overview_get: 'dual.manage',
  dual_regs_list: 'dual.read', dual_regs_get: 'dual.read', dual_regs_update: 'dual.manage',
  dual_regs_accept: 'dual.manage', dual_regs_decline: 'dual.manage', dual_regs_service: 'dual.read',

  // ---- meetings ----
  meetings_list: 'party_meetings.read', meetings_get: 'party_meetings.read', compliance_get: 'party_meetings.read',
  compliance_rules_get: 'party_meetings.read', meetings_create: 'party_meetings.write', meetings_update: 'party_meetings.write',
  meetings_attendance: 'party_meetings.write', meetings_qr: 'party_meetings.write', meetings_signin_link: 'party_meetings.write',
  compliance_rules_put: 'party_meetings.rules',

  // ---- buildings ----
  buildings_list: 'buildings.read', buildings_get: 'buildings.read', building_reps_list: 'buildings.read',
  building_reps_create: 'buildings.reps', building_reps_update: 'buildings.reps', building_reps_delete: 'buildings.reps',
  building_notices_list: 'buildings.read', building_notices_create: 'buildings.write', building_rosters_list: 'buildings.read',
  building_rosters_create: 'buildings.write', roster_entries_list: 'buildings.read', roster_export: 'buildings.export',
  home_watch_list: 'homewatch.manage', home_watch_create: 'homewatch.manage', home_watch_get: 'homewatch.manage',
  home_watch_update: 'homewatch.manage', home_watch_contact: 'homewatch.reveal', home_watch_visits_list: 'homewatch.manage',
  home_watch_visits_create: 'homewatch.manage',

  // ---- targets ----
  targets_list: 'targets.read', targets_metrics: 'targets.read', targets_get: 'targets.read', targets_letter_pdf: 'targets.read',
  targets_create: 'targets.write', targets_update: 'targets.write', targets_issue: 'targets.write',
  targets_sign: 'targets.write', good_deeds_verify: 'good_deeds.verify', good_deeds_reject: 'good_deeds.verify',

  // ---- awards ----
  awards_schemes_list: 'awards.read', awards_schemes_get: 'awards.read', awards_conflict: 'awards.read',
  awards_vote: 'awards.read', awards_review_list: 'awards.read',
  awards_schemes_create: 'awards.manage', awards_schemes_update: 'awards.manage', awards_schemes_state: 'awards.manage',
  awards_schemes_panel: 'awards.manage', awards_results: 'awards.manage', awards_nominations_decide: 'awards.manage',
  awards_certificate: 'awards.manage',
  awards_evidence_get: 'awards.nominate', awards_nominations_list: 'awards.nominate',
  awards_nominations_create: 'awards.nominate', awards_nominations_get: 'awards.nominate',

};

let admin;
let home;		// login → the community its objects live in
let street;
const cache = new Map();
const once = async (key, fn) => { if (!cache.has(key)) cache.set(key, await fn()); return cache.get(key); };

async function mkOrg(parent, prefix = '权限测试队') {
  const r = await api('POST', '/api/v1/orgs', as(admin, { body: { parent_id: parent, kind: 'team', name: `${prefix}-${tag()}` } }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
async function mkPerson(org) {
  const r = await api('POST', '/api/v1/people', as(admin, {
    body: { name: `权限-${tag()}`, org_id: org, id_number: uniqueId(REGION), phone: randomPhone(), kinds: ['resident'] },
  }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
async function mkAccount(org) {
  const r = await api('POST', '/api/v1/accounts', as(admin, {
    body: { login: `perm-${tag()}`, display_name: '权限测试账号', password: 'perm-secret-123', grants: [{ role: 'resident', org_id: org }] },
  }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
async function mkGrant(account, org) {
  const r = await api('POST', `/api/v1/accounts/${account}/grants`, as(admin, { body: { role: 'volunteer', org_id: org } }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

// operationId → async (loginName) → {path, body}; loginName may be null (anonymous).
// Objects are created as admin in the caller's home community, so an allowed
// role is never refused for scope; destructive calls get throwaway objects.
const CASES = {
  ops_healthz: async () => ({ path: '/healthz' }),
  ops_readyz: async () => ({ path: '/readyz' }),
  ops_metrics: async () => ({ path: '/metrics' }),
  ops_openapi: async () => ({ path: '/api/v1/openapi.json' }),
  web_index: async () => ({ path: '/' }),
  web_asset: async () => ({ path: '/assets/app.js' }),
  session_login: async () => ({ path: '/api/v1/session', body: {} }),	// 422: the point is "not 401/403"
  session_get: async () => ({ path: '/api/v1/session' }),
  session_logout: async (who) => ({ path: '/api/v1/session', session: who ? await freshLogin(who) : null }),
  session_password: async () => ({ path: '/api/v1/session/password', body: { old_password: 'not-my-password', new_password: 'whatever-new-1' } }),
  roles_list: async () => ({ path: '/api/v1/roles' }),
  orgs_list: async () => ({ path: '/api/v1/orgs?limit=5' }),
  orgs_get: async (who) => ({ path: `/api/v1/orgs/${home(who)}` }),
  orgs_create: async (who) => ({ path: '/api/v1/orgs', body: { parent_id: home(who), kind: 'team', name: `新建队-${tag()}` } }),
  orgs_update: async (who) => ({ path: `/api/v1/orgs/${await once(`org:${who}`, () => mkOrg(home(who)))}`, body: { name: `改名-${tag()}` } }),
  orgs_delete: async (who) => ({ path: `/api/v1/orgs/${await mkOrg(home(who), '待删队')}` }),
  accounts_list: async () => ({ path: '/api/v1/accounts?limit=5' }),
  accounts_get: async (who) => ({ path: `/api/v1/accounts/${await once(`acc:${who}`, () => mkAccount(home(who)))}` }),
  accounts_create: async (who) => ({
    path: '/api/v1/accounts',
    body: { login: `made-${tag()}`, display_name: '新账号', password: 'made-secret-123', grants: [{ role: 'resident', org_id: home(who) }] },
  }),
  accounts_update: async (who) => ({ path: `/api/v1/accounts/${await once(`acc:${who}`, () => mkAccount(home(who)))}`, body: { display_name: `改-${tag()}` } }),
  accounts_password: async (who) => ({ path: `/api/v1/accounts/${await once(`acc:${who}`, () => mkAccount(home(who)))}/password`, body: { new_password: 'reset-secret-456' } }),
  grants_create: async (who) => ({
    path: `/api/v1/accounts/${await once(`acc:${who}`, () => mkAccount(home(who)))}/grants`,
    body: { role: 'volunteer', org_id: await mkOrg(home(who), '授权队') },
  }),
  grants_delete: async (who) => {
    const acc = await once(`acc:${who}`, () => mkAccount(home(who)));
    return { path: `/api/v1/accounts/${acc}/grants/${await mkGrant(acc, await mkOrg(home(who), '撤销队'))}` };
  },
  people_list: async () => ({ path: '/api/v1/people?limit=5' }),
  people_get: async (who) => ({ path: `/api/v1/people/${await once(`p:${who}`, () => mkPerson(home(who)))}` }),
  people_create: async (who) => ({ path: '/api/v1/people', body: { name: `新人-${tag()}`, org_id: home(who) } }),
  people_update: async (who) => ({ path: `/api/v1/people/${await once(`p:${who}`, () => mkPerson(home(who)))}`, body: { address: `地址-${tag()}` } }),
  people_sensitive: async (who) => ({ path: `/api/v1/people/${await once(`p:${who}`, () => mkPerson(home(who)))}/sensitive` }),
  people_export: async (who) => ({ path: `/api/v1/people/${await once(`p:${who}`, () => mkPerson(home(who)))}/export` }),
  people_anonymise: async (who) => ({ path: `/api/v1/people/${await mkPerson(home(who))}/anonymise` }),
  audit_list: async () => ({ path: '/api/v1/audit?limit=5' }),
  audit_export: async () => ({ path: '/api/v1/audit/export?action=reveal' }),
  categories_list: async () => ({ path: '/api/v1/categories' }),
  categories_get: async () => ({ path: `/api/v1/categories/${await once('cat', async () => (await api('GET', '/api/v1/categories', as(admin))).json.items[0].id)}` }),
  categories_create: async () => ({ path: '/api/v1/categories', body: { code: `T${tag('').slice(-10)}`, name: `测试类别-${tag()}`, deadline_amount: 24, deadline_unit: 'cal_hours' } }),
  categories_update: async () => ({ path: `/api/v1/categories/${await once('mycat', mkCategory)}`, body: { name: `改类别-${tag()}` } }),
  categories_export: async () => ({ path: '/api/v1/categories/export' }),
  categories_import: async () => ({ path: '/api/v1/categories/import', raw: await once('catcsv', async () => (await api('GET', '/api/v1/categories/export', as(admin))).text), ctype: 'text/csv' }),
  calendar_get: async () => ({ path: '/api/v1/calendar?year=2031' }),
  calendar_set_day: async () => ({ path: '/api/v1/calendar/days', body: { date: '2031-02-03', kind: 'holiday', name: '权限测试' } }),
  calendar_set_hours: async () => ({ path: '/api/v1/calendar/hours', body: await once('hours', async () => {
    const c = (await api('GET', '/api/v1/calendar', as(admin))).json;
    return { work_start: c.work_start, work_end: c.work_end };
  }) }),
  calendar_import: async () => ({ path: '/api/v1/calendar/import', raw: '2031-02-04 holiday 权限测试\n', ctype: 'text/plain; charset=utf-8' }),
  problems_list: async () => ({ path: '/api/v1/problems?limit=5' }),
  problems_create: async (who) => ({ path: '/api/v1/problems', body: await problemBody(who) }),
  problems_get: async (who) => ({ path: `/api/v1/problems/${who ? await once(`prob:${who}`, () => mkProblem(who)) : 1}` }),
  // An unknown action: the route admits the role (422), or refuses it (403).
  problems_act: async (who) => ({ path: `/api/v1/problems/${who ? await once(`prob:${who}`, () => mkProblem(who)) : 1}/actions`, body: { action: 'no_such_action' } }),
  photos_upload: async () => ({ path: '/api/v1/photos', raw: makePng(), ctype: 'image/png' }),
  photos_get: async (who) => ({ path: `/api/v1/photos/${who ? await once(`photo:${who}`, () => mkPhoto(who)) : 1}` }),
  photos_thumb: async (who) => ({ path: `/api/v1/photos/${who ? await once(`photo:${who}`, () => mkPhoto(who)) : 1}/thumb` }),
  notifications_list: async () => ({ path: '/api/v1/notifications?limit=5' }),
  notifications_read: async () => ({ path: '/api/v1/notifications/999999999/read' }),	// 404: not 401/403
  notifications_read_all: async () => ({ path: '/api/v1/notifications/read_all' }),
  system_clock: async () => ({ path: '/api/v1/system/clock', body: { now: clockIso() } }),
  system_tick: async () => ({ path: '/api/v1/system/tick' }),
  system_fault: async () => ({ path: '/api/v1/system/fault', body: { write: 0 } }),	// 0: disarmed, no fault
  // Rating one's own open problem: admitted by the route, refused by state (409).
  problems_rate: async (who) => ({ path: `/api/v1/problems/${who ? await once(`prob:${who}`, () => mkProblem(who)) : 1}/rating`, body: { rating: 'satisfied' } }),
  problems_contact: async (who) => ({ path: `/api/v1/problems/${who ? await once(`prob:${who}`, () => mkProblem(who)) : 1}/contact` }),
  track_get: async () => ({ path: '/api/v1/track/0000-0000-0000-0000' }),
  open311_get: async () => ({ path: '/open311/v2/services.json' }),
  open311_post: async () => ({ path: '/open311/v2/requests.json', raw: 'service_code=C0301&lat=31.21&long=121.55&description=%E6%9D%83%E9%99%90', ctype: 'application/x-www-form-urlencoded' }),
  open311_keys_list: async () => ({ path: '/api/v1/open311/keys' }),
  open311_keys_create: async () => ({ path: '/api/v1/open311/keys', body: { name: `权限-${tag()}`, account_id: 1 } }),
  ledger_xlsx: async () => ({ path: '/api/v1/ledger/xlsx?from=2099-01-01' }),
  ledger_csv: async () => ({ path: '/api/v1/ledger/csv?from=2099-01-01' }),
  problems_notice: async (who) => ({ path: `/api/v1/problems/${who ? await once(`prob:${who}`, () => mkProblem(who)) : 1}/notice` }),
  problems_map: async () => ({ path: '/api/v1/problems/map?limit=5' }),
  problems_feed: async () => ({ path: '/api/v1/problems/feed?limit=5' }),
  config_map: async () => ({ path: '/api/v1/config/map' }),
  problems_nearby: async () => ({ path: `/api/v1/problems/nearby?category=${await categoryCode()}&lat=31.21&lng=121.55` }),
  // Joining one's own problem: admitted, a no-op (200).
  problems_join: async (who) => ({ path: `/api/v1/problems/${who ? await once(`prob:${who}`, () => mkProblem(who)) : 1}/join` }),
  settings_duplicates_get: async () => ({ path: '/api/v1/settings/duplicates' }),
  // The default radius: setting it changes nothing for the other tests.
  settings_duplicates_put: async () => ({ path: '/api/v1/settings/duplicates', body: { radius_m: 50 } }),
  // Volunteers: objects in the caller's home community; missing ids answer 404
  // (admitted by the route, refused by the handler); refusals by rule are 409/422.
  volunteers_list: async () => ({ path: '/api/v1/volunteers?limit=5' }),
  volunteers_create: async (who) => ({ path: '/api/v1/volunteers', body: volBody(who) }),
  volunteers_register: async () => ({ path: '/api/v1/volunteers/register', body: {} }),
  volunteers_me: async () => ({ path: '/api/v1/volunteers/me' }),
  signups_mine: async () => ({ path: '/api/v1/volunteers/me/signups' }),
  records_mine: async () => ({ path: '/api/v1/volunteers/me/records' }),
  volunteers_get: async (who) => ({ path: `/api/v1/volunteers/${await once(`vol:${who}`, () => mkVol(who))}` }),
  volunteers_update: async (who) => ({ path: `/api/v1/volunteers/${await once(`vol:${who}`, () => mkVol(who))}`, body: { note: `备注-${tag()}` } }),
  volunteers_decide: async (who) => ({ path: `/api/v1/volunteers/${await once(`vol:${who}`, () => mkVol(who))}/decision`, body: { decision: 'nope' } }),
  volunteer_settings_get: async () => ({ path: '/api/v1/settings/volunteers' }),
  volunteer_settings_put: async () => ({ path: '/api/v1/settings/volunteers', body: { cutoff_minutes: 60 } }),
  teams_list: async () => ({ path: '/api/v1/teams' }),
  teams_members: async (who) => ({ path: `/api/v1/teams/${await once(`team:${who}`, () => mkOrg(home(who)))}/members` }),
  teams_member_put: async (who) => ({ path: `/api/v1/teams/${await once(`team:${who}`, () => mkOrg(home(who)))}/members/${await once(`vol:${who}`, () => mkVol(who))}`, body: { leader: false } }),
  teams_member_delete: async (who) => ({ path: `/api/v1/teams/${await once(`team:${who}`, () => mkOrg(home(who)))}/members/999999999` }),
  posts_list: async () => ({ path: '/api/v1/posts?limit=5' }),
  posts_create: async (who) => ({ path: '/api/v1/posts', body: { org_id: home(who), name: `权限岗-${tag()}` } }),
  posts_get: async (who) => ({ path: `/api/v1/posts/${await once(`post:${who}`, () => mkPost(who))}` }),
  posts_update: async (who) => ({ path: `/api/v1/posts/${await once(`post:${who}`, () => mkPost(who))}`, body: { rules: `规则-${tag()}` } }),
  posts_pattern_add: async (who) => ({ path: `/api/v1/posts/${await once(`post:${who}`, () => mkPost(who))}/patterns`, body: { weekdays: [1], start: '07:00', end: '08:00', capacity: 1 } }),
  posts_pattern_delete: async (who) => ({ path: `/api/v1/posts/${await once(`post:${who}`, () => mkPost(who))}/patterns/999999999` }),
  posts_generate: async (who) => ({ path: `/api/v1/posts/${await once(`post:${who}`, () => mkPost(who))}/generate`, body: { from: '2030-01-07', days: 1 } }),
  posts_claims: async (who) => ({ path: `/api/v1/posts/${who ? await once(`post:${who}`, () => mkPost(who)) : 1}/claims` }),
  posts_claim_create: async (who) => ({ path: `/api/v1/posts/${who ? await once(`post:${who}`, () => mkPost(who)) : 1}/claims`, body: { claimant_kind: 'volunteer', start_date: '2030-01-01', end_date: '2030-01-31' } }),
  claims_decide: async () => ({ path: '/api/v1/claims/999999999/decision', body: { decision: 'approve' } }),
  shifts_list: async () => ({ path: '/api/v1/shifts?limit=5' }),
  shifts_get: async () => ({ path: '/api/v1/shifts/999999999' }),
  shifts_signup: async () => ({ path: '/api/v1/shifts/999999999/signup', body: {} }),
  shifts_cancel: async () => ({ path: '/api/v1/shifts/999999999/cancel' }),
  signups_cancel: async () => ({ path: '/api/v1/signups/999999999/cancel' }),
  signups_attendance: async () => ({ path: '/api/v1/signups/999999999/attendance', body: { action: 'checkin' } }),
  checkin_create: async () => ({ path: '/api/v1/checkin', body: { post_id: 999999999 } }),
  roster_get: async () => ({ path: '/api/v1/roster?week=2030-01-07' }),
  records_list: async () => ({ path: '/api/v1/records?limit=5' }),
  records_create: async (who) => ({ path: '/api/v1/records', body: { volunteer_id: await once(`vol:${who}`, () => mkVol(who)), activity_name: '权限测试', service_date: '2020-01-07', hours: 1 } }),
  records_decide: async () => ({ path: '/api/v1/records/999999999/decision', body: { decision: 'approve' } }),
  activities_list: async () => ({ path: '/api/v1/activities' }),
  calendar_feed: async () => ({ path: '/api/v1/calendar-feed/no-such-token.ics' }),
  calendar_token_rotate: async () => ({ path: '/api/v1/volunteers/me/calendar-token' }),
  volunteers_me_certificate: async () => ({ path: '/api/v1/volunteers/me/certificate' }),
  volunteers_certificate: async (who) => ({ path: `/api/v1/volunteers/${await once(`vol:${who}`, () => mkVol(who))}/certificate` }),
  volunteers_import: async (who) => ({ path: `/api/v1/volunteers/import?org_id=${who ? home(who) : 1}`, raw: '姓名,身份证号,手机号,类型\r\n', ctype: 'text/csv' }),
  posts_qr: async (who) => ({ path: `/api/v1/posts/${who ? await once(`post:${who}`, () => mkPost(who)) : 1}/qr` }),
  records_xlsx: async () => ({ path: '/api/v1/records/xlsx?from=2099-01-01' }),
  activities_create: async (who) => ({ path: '/api/v1/activities', body: { org_id: home(who), title: `权限活动-${tag()}`, date: '2030-01-07', start: '09:00', end: '10:00', capacity: 5 } }),
  // Revisits and chronic spots of the demo's 由由第五 (every allowed role's home is there).
  revisits_list: async () => ({ path: '/api/v1/revisits?limit=5' }),
  revisits_get: async () => ({ path: `/api/v1/revisits/${await once('revisit', demoRevisit)}` }),
  // An invalid result: admitted (422) or refused (403); nothing is done.
  revisits_do: async () => ({ path: `/api/v1/revisits/${await once('revisit', demoRevisit)}`, body: { result: 'maybe' } }),
  settings_revisits_get: async () => ({ path: '/api/v1/settings/revisits' }),
  settings_revisits_put: async () => ({ path: '/api/v1/settings/revisits', body: { offsets_days: [7, 30] } }),
  chronic_list: async () => ({ path: '/api/v1/chronic?limit=5' }),
  chronic_get: async () => ({ path: `/api/v1/chronic/${await once('spot', demoSpot)}` }),
  chronic_watch: async () => ({ path: `/api/v1/chronic/${await once('spot', demoSpot)}/watch`, body: { daily_quota: 3 } }),
  chronic_unwatch: async () => ({ path: `/api/v1/chronic/${await once('spot2', () => demoSpot(1))}/watch` }),
  chronic_check: async () => ({ path: `/api/v1/chronic/${await once('spot', demoSpot)}/checks`, body: { ok: true, note: '权限测试打卡' } }),
  site_types_list: async () => ({ path: '/api/v1/site-types' }),
  checklist_get: async () => ({ path: '/api/v1/site-types/1/checklist' }),
  checklist_versions: async () => ({ path: '/api/v1/site-types/1/versions' }),
  // An item with an unknown category: admitted by the route, refused (422).
  checklist_put: async () => ({ path: '/api/v1/site-types/14/checklist', body: { items: [{ text: '权限测试', category: 'NOPE' }] } }),
  sites_list: async () => ({ path: '/api/v1/sites?limit=5' }),
  sites_get: async (who) => ({ path: `/api/v1/sites/${who ? await once(`site:${home(who)}`, () => mkSite(home(who))) : 1}` }),
  sites_export: async () => ({ path: '/api/v1/sites/export?type=S13' }),
  sites_create: async (who) => ({ path: '/api/v1/sites', body: { name: `权限点位-${tag()}`, site_type: 'S13', org_id: home(who) } }),
  sites_update: async (who) => ({ path: `/api/v1/sites/${who ? await once(`site:${home(who)}`, () => mkSite(home(who))) : 1}`, body: { responsible: `改-${tag()}` } }),
  // A row for another community's org: admitted by the route, refused per row (422).
  sites_import: async () => ({ path: '/api/v1/sites/import', raw: 'name,site_type,org_id\n权限导入,S13,999999999\n', ctype: 'text/csv' }),
  sites_qr_png: async (who) => ({ path: `/api/v1/sites/${who ? await once(`site:${home(who)}`, () => mkSite(home(who))) : 1}/qr.png` }),
  sites_qr_svg: async (who) => ({ path: `/api/v1/sites/${who ? await once(`site:${home(who)}`, () => mkSite(home(who))) : 1}/qr.svg` }),
  sites_qr_sheet: async () => ({ path: '/api/v1/sites/qr-sheet?type=S13&q=NO-SUCH-SITE' }),
  inspections_list: async () => ({ path: '/api/v1/inspections?limit=5' }),
  inspections_get: async (who) => ({ path: `/api/v1/inspections/${who ? await once(`insp:${home(who)}`, () => mkInspection(home(who))) : 1}` }),
  // No results: admitted by the route, refused (422).
  inspections_create: async (who) => ({ path: '/api/v1/inspections', body: { site_id: who ? await once(`site:${home(who)}`, () => mkSite(home(who))) : 1, kind: 'self_check', results: [] } }),
  rounds_list: async () => ({ path: '/api/v1/rounds?limit=5' }),
  rounds_get: async () => ({ path: `/api/v1/rounds/${await once('round', mkRound)}` }),
  rounds_xlsx: async () => ({ path: `/api/v1/rounds/${await once('round', mkRound)}/xlsx` }),
  inspection_rankings_get: async () => ({ path: '/api/v1/inspections/rankings' }),
  rounds_create: async () => ({ path: '/api/v1/rounds', body: { name: `权限轮次-${tag()}`, mode: 'ring', scope_org_id: street, org_ids: [home('committee'), home('committee2')] } }),
  rounds_update: async () => ({ path: `/api/v1/rounds/${await once('round', mkRound)}`, body: { state: 'open' } }),
  watch_list: async () => ({ path: '/api/v1/watch-targets' }),
  tasks_list: async () => ({ path: '/api/v1/tasks?limit=5' }),
  // Done once; later roles get 409 (admitted, not 401/403).
  tasks_done: async (who) => ({ path: `/api/v1/tasks/${who ? await once(`task:${home(who)}`, () => mkTask(home(who))) : 1}/done`, body: {} }),
  tasks_stats: async () => ({ path: '/api/v1/tasks/stats' }),
  watch_create: async (who) => ({ path: '/api/v1/watch-targets', body: { kind: 'zone', name: `权限包干区-${tag()}`, org_id: home(who), quota: 2 } }),
  watch_update: async (who) => ({ path: `/api/v1/watch-targets/${who ? await once(`watch:${home(who)}`, () => mkWatch(home(who))) : 1}`, body: { person: `改-${tag()}` } }),
  kpis_get: async () => ({ path: '/api/v1/kpis?group_by=community' }),
  kpis_trend: async () => ({ path: '/api/v1/kpis/trend?interval=week' }),
  kpis_states: async () => ({ path: '/api/v1/kpis/states' }),
  rankings_get: async () => ({ path: '/api/v1/rankings?kind=handler' }),
  kpis_check: async () => ({ path: '/api/v1/kpis/check' }),
  bank_me: async () => ({ path: '/api/v1/bank/me' }),
  bank_orders_mine: async () => ({ path: '/api/v1/bank/me/orders' }),
  bank_settings_get: async () => ({ path: '/api/v1/settings/bank' }),
  bank_settings_put: async () => ({ path: '/api/v1/settings/bank', body: {} }),
  bank_items_list: async () => ({ path: '/api/v1/bank/items' }),
  bank_items_create: async (who) => ({ path: '/api/v1/bank/items', body: { provider_id: home(who), name: `权限物品-${tag()}`, cost: 10, stock: 1 } }),
  bank_items_update: async (who) => ({ path: `/api/v1/bank/items/${who ? await once(`bankitem:${home(who)}`, () => mkBankItem(home(who))) : 1}`, body: { stock: 2 } }),
  // No such item / order: admitted by the route, refused by the handler (422/404).
  bank_orders_create: async () => ({ path: '/api/v1/bank/orders', body: { item_id: 999999999 } }),
  bank_orders_list: async () => ({ path: '/api/v1/bank/orders?limit=5' }),
  bank_orders_qr: async () => ({ path: '/api/v1/bank/orders/999999999/qr.png' }),
  bank_orders_cancel: async () => ({ path: '/api/v1/bank/orders/999999999/cancel' }),
  bank_orders_fulfil: async () => ({ path: '/api/v1/bank/orders/999999999/fulfil', body: { code: 'LB22222222' } }),
  bank_awards_create: async () => ({ path: '/api/v1/bank/awards', body: { account_id: 999999999, org_id: 999999999, points: 1, reason: '权限测试' } }),
  bank_award_run: async () => ({ path: '/api/v1/bank/award-run' }),
  bank_trial: async () => ({ path: '/api/v1/bank/trial-balance' }),
  bank_report: async () => ({ path: '/api/v1/bank/report' }),
  bank_ledger_csv: async () => ({ path: '/api/v1/bank/ledger.csv' }),
  bank_family_list: async () => ({ path: '/api/v1/bank/family' }),
  bank_family_create: async () => ({ path: '/api/v1/bank/family', body: { login: `nobody-${tag()}`, relation: '子女' } }),
  bank_family_approve: async () => ({ path: '/api/v1/bank/family/999999999/approve' }),
  bank_family_revoke: async () => ({ path: '/api/v1/bank/family/999999999/revoke' }),
  bank_transfers_create: async () => ({ path: '/api/v1/bank/transfers', body: { to_account_id: 999999999, amount: 1 } }),
  webhooks_list: async () => ({ path: '/api/v1/webhooks' }),
  webhooks_create: async () => ({ path: '/api/v1/webhooks', body: { name: `权限推送-${tag()}`, url: 'http://127.0.0.1:9/hook', events: ['problem.close'], active: false } }),
  webhooks_get: async () => ({ path: '/api/v1/webhooks/999999999' }),
  webhooks_update: async () => ({ path: '/api/v1/webhooks/999999999', body: { name: '权限' } }),
  webhooks_delete: async () => ({ path: '/api/v1/webhooks/999999999' }),
  webhooks_rotate: async () => ({ path: '/api/v1/webhooks/999999999/secret' }),
  webhooks_ping: async () => ({ path: '/api/v1/webhooks/999999999/ping' }),
  webhooks_deliveries: async () => ({ path: '/api/v1/webhooks/999999999/deliveries' }),
  webhook_delivery_retry: async () => ({ path: '/api/v1/webhook-deliveries/999999999/retry' }),
  // Party building, one block per feature.
  // ---- party ----
  // No such org / member: admitted by the route, refused by the handler (404/422).
  party_orgs_list: async () => ({ path: '/api/v1/party/organisations' }),
  party_orgs_get: async () => ({ path: '/api/v1/party/organisations/999999999' }),
  party_orgs_officers: async () => ({ path: '/api/v1/party/organisations/999999999/officers', body: { officers: [] } }),
  party_roster_xlsx: async () => ({ path: '/api/v1/party/organisations/999999999/roster.xlsx' }),
  party_members_list: async () => ({ path: '/api/v1/party/members?limit=5' }),
  party_members_create: async () => ({ path: '/api/v1/party/members', body: { org_id: 999999999, person: { name: '权限' } } }),
  party_members_get: async () => ({ path: '/api/v1/party/members/999999999' }),
  party_members_update: async () => ({ path: '/api/v1/party/members/999999999', body: { duty: null } }),
  party_members_transfer: async () => ({ path: '/api/v1/party/members/999999999/transfer', body: { to_org_id: 999999999, on_date: '2026-01-01' } }),
  party_participation: async () => ({ path: '/api/v1/party/participation' }),

  // ---- dual ----
  // Missing ids answer 404 and empty bodies 422: the point is "not 401/403".
  dual_units_list: async () => ({ path: '/api/v1/party/units?limit=5' }),
  dual_units_create: async () => ({ path: '/api/v1/party/units', body: {} }),
  dual_units_get: async () => ({ path: '/api/v1/party/units/999999999' }),
  dual_units_update: async () => ({ path: '/api/v1/party/units/999999999', body: { commitments: '权限' } }),
  dual_units_accept: async () => ({ path: '/api/v1/party/units/999999999/accept' }),
  dual_units_feedback: async () => ({ path: '/api/v1/party/units/999999999/feedback' }),
  dual_units_feedback_xlsx: async () => ({ path: '/api/v1/party/units/999999999/feedback.xlsx' }),
  dual_units_feedback_pdf: async () => ({ path: '/api/v1/party/units/999999999/feedback.pdf' }),
  dual_overview_get: async () => ({ path: '/api/v1/party/dual/overview' }),
  dual_regs_list: async () => ({ path: '/api/v1/party/registrations?limit=5' }),
  dual_regs_create: async () => ({ path: '/api/v1/party/registrations', body: { availability: ['nope'] } }),
  dual_regs_mine: async () => ({ path: '/api/v1/party/registrations/mine' }),
  dual_regs_get: async () => ({ path: '/api/v1/party/registrations/999999999' }),
  dual_regs_update: async () => ({ path: '/api/v1/party/registrations/999999999', body: { skills: '权限' } }),
  dual_regs_accept: async () => ({ path: '/api/v1/party/registrations/999999999/accept' }),
  dual_regs_decline: async () => ({ path: '/api/v1/party/registrations/999999999/decline', body: { reason: '权限' } }),
  dual_regs_service: async () => ({ path: '/api/v1/party/registrations/999999999/service' }),
  dual_regs_card_svg: async () => ({ path: '/api/v1/party/registrations/999999999/card.svg' }),

  // ---- meetings ----
  // A party org the caller may act on (the secretary's branch; a branch
  // under the home community for the others) and a meeting there.
  meetingOrg_: async (who) => (ROLE_OF[who] === 'party' ? orgId('锦绣前城第一党支部') : once(`porg:${home(who)}`, async () => {
    const r = await api('POST', '/api/v1/orgs', as(admin, { body: { parent_id: home(who), kind: 'party_org', subkind: 'party_branch', name: `权限党支部-${tag()}` } }));
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  })),
  meeting_: async (who) => once(`meeting:${await CASES.meetingOrg_(who)}`, async () => {
    const r = await api('POST', '/api/v1/party/meetings', as(admin, { body: { org_id: await CASES.meetingOrg_(who), type: 'lecture', held_on: '2031-01-05', topic: '权限测试' } }));
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  }),
  meetings_list: async () => ({ path: '/api/v1/party/meetings?limit=5' }),
  meetings_create: async (who) => ({ path: '/api/v1/party/meetings', body: { org_id: await CASES.meetingOrg_(who), type: 'lecture', held_on: '2031-01-06', topic: '权限新建' } }),
  meetings_get: async (who) => ({ path: `/api/v1/party/meetings/${await CASES.meeting_(who)}` }),
  meetings_update: async (who) => ({ path: `/api/v1/party/meetings/${await CASES.meeting_(who)}`, body: { place: `会议室-${tag()}` } }),
  meetings_attendance: async (who) => ({ path: `/api/v1/party/meetings/${await CASES.meeting_(who)}/attendance`, body: { attendance: [] } }),
  meetings_qr: async (who) => ({ path: `/api/v1/party/meetings/${await CASES.meeting_(who)}/qr.png` }),
  meetings_signin_link: async (who) => ({ path: `/api/v1/party/meetings/${await CASES.meeting_(who)}/sign-in-link` }),
  meetings_mine: async (who) => ({ path: `/api/v1/party/meetings/${await CASES.meeting_(who)}/mine` }),
  meetings_sign_in: async (who) => ({ path: `/api/v1/party/meetings/${await CASES.meeting_(who)}/sign-in`, body: { token: 'not-the-token' } }),
  meetings_leave: async (who) => ({ path: `/api/v1/party/meetings/${await CASES.meeting_(who)}/leave`, body: { reason: '' } }),
  compliance_rules_get: async () => ({ path: '/api/v1/party/compliance-rules' }),
  compliance_rules_put: async () => ({ path: '/api/v1/party/compliance-rules', body: await once('prules', async () => (await api('GET', '/api/v1/party/compliance-rules', as(admin))).json) }),
  compliance_get: async () => ({ path: '/api/v1/party/compliance' }),

  // ---- buildings ----
  // Everything on 锦绣前城 1号楼 (the demo rep's building, inside 由由第五).
  buildings_list: async () => ({ path: '/api/v1/buildings?limit=5' }),
  buildings_get: async () => ({ path: `/api/v1/buildings/${await jxBuilding()}` }),
  building_reps_list: async () => ({ path: `/api/v1/buildings/${await jxBuilding()}/reps` }),
  building_reps_create: async () => ({ path: `/api/v1/buildings/${await jxBuilding()}/reps`, body: { person_id: await mkPerson(await jxBuilding()), coverage: '1–6层' } }),
  building_reps_update: async () => ({ path: `/api/v1/building-reps/${await once('brep', mkRep)}`, body: { duties: `转达通知-${tag()}` } }),
  building_reps_delete: async () => ({ path: `/api/v1/building-reps/${await mkRep()}` }),
  building_notices_list: async () => ({ path: `/api/v1/buildings/${await jxBuilding()}/notices` }),
  building_notices_create: async () => ({ path: `/api/v1/buildings/${await jxBuilding()}/notices`, body: { title: `权限通知-${tag()}`, body: '权限测试' } }),
  building_rosters_list: async () => ({ path: `/api/v1/buildings/${await jxBuilding()}/rosters` }),
  building_rosters_create: async () => ({ path: `/api/v1/buildings/${await jxBuilding()}/rosters`, body: { title: `权限接龙-${tag()}`, closes_on: '2099-12-31' } }),
  roster_entries_list: async () => ({ path: `/api/v1/rosters/${await once('roster', mkRoster)}/entries` }),
  roster_entries_create: async () => ({ path: `/api/v1/rosters/${await once('roster', mkRoster)}/entries`, body: { name: '权限测试', room: '101' } }),
  roster_export: async () => ({ path: `/api/v1/rosters/${await once('roster', mkRoster)}/export?format=csv` }),
  my_rosters: async () => ({ path: '/api/v1/my/rosters' }),
  home_watch_list: async () => ({ path: '/api/v1/home-watch?limit=5' }),
  home_watch_create: async () => ({ path: '/api/v1/home-watch', body: { person_id: await mkPerson(await jxBuilding()), building_id: await jxBuilding(), reason: 'elderly', frequency: 'monthly' } }),
  home_watch_get: async () => ({ path: `/api/v1/home-watch/${await once('hw', mkWatchList)}` }),
  home_watch_update: async () => ({ path: `/api/v1/home-watch/${await once('hw', mkWatchList)}`, body: { note: `权限-${tag()}` } }),
  home_watch_contact: async () => ({ path: `/api/v1/home-watch/${await once('hw', mkWatchList)}/contact` }),
  home_watch_visits_list: async () => ({ path: `/api/v1/home-watch/${await once('hw', mkWatchList)}/visits` }),
  home_watch_visits_create: async () => ({ path: `/api/v1/home-watch/${await once('hw', mkWatchList)}/visits`, body: { visited_on: '2020-01-06', condition: 'good' } }),

  // ---- targets ----
  // No such letter / deed / org: admitted by the route, refused by the handler (404/422).
  targets_list: async () => ({ path: '/api/v1/targets?limit=5' }),
  targets_metrics: async () => ({ path: '/api/v1/targets/metrics' }),
  targets_get: async () => ({ path: '/api/v1/targets/999999999' }),
  targets_letter_pdf: async () => ({ path: '/api/v1/targets/999999999/letter.pdf' }),
  targets_create: async () => ({ path: '/api/v1/targets', body: { org_id: 999999999, year: 2030, items: [] } }),
  targets_update: async () => ({ path: '/api/v1/targets/999999999', body: { title: '权限' } }),
  targets_issue: async () => ({ path: '/api/v1/targets/999999999/issue' }),
  targets_sign: async () => ({ path: '/api/v1/targets/999999999/sign', body: { issuer_signer: 'a', receiver_signer: 'b', signed_on: '2020-01-01' } }),
  good_deeds_list: async () => ({ path: '/api/v1/good-deeds?limit=5' }),
  good_deeds_create: async () => ({ path: '/api/v1/good-deeds', body: { org_id: 999999999, doer_name: '权限', title: '权限测试', occurred_on: '2020-01-01' } }),
  good_deeds_wall: async () => ({ path: '/api/v1/good-deeds/wall?limit=5' }),
  good_deeds_get: async () => ({ path: '/api/v1/good-deeds/999999999' }),
  good_deeds_verify: async () => ({ path: '/api/v1/good-deeds/999999999/verify', body: {} }),
  good_deeds_reject: async () => ({ path: '/api/v1/good-deeds/999999999/reject', body: { reason: '权限测试' } }),

  // ---- awards ----
  // Missing objects: admitted by the route, refused by the handler (404/422).
  awards_schemes_list: async () => ({ path: '/api/v1/awards/schemes?limit=5' }),
  awards_schemes_get: async () => ({ path: '/api/v1/awards/schemes/999999999' }),
  awards_schemes_create: async () => ({ path: '/api/v1/awards/schemes', body: {} }),
  awards_schemes_update: async () => ({ path: '/api/v1/awards/schemes/999999999', body: { name: '权限' } }),
  awards_schemes_state: async () => ({ path: '/api/v1/awards/schemes/999999999/state', body: { state: 'nominating' } }),
  awards_schemes_panel: async () => ({ path: '/api/v1/awards/schemes/999999999/panel', body: { account_ids: [1] } }),
  awards_results: async () => ({ path: '/api/v1/awards/schemes/999999999/results' }),
  awards_evidence_get: async () => ({ path: '/api/v1/awards/evidence?kind=person&id=999999999' }),
  awards_nominations_list: async () => ({ path: '/api/v1/awards/nominations?limit=5' }),
  awards_nominations_create: async () => ({ path: '/api/v1/awards/nominations', body: { scheme_id: 999999999 } }),
  awards_nominations_get: async () => ({ path: '/api/v1/awards/nominations/999999999' }),
  awards_nominations_decide: async () => ({ path: '/api/v1/awards/nominations/999999999/decision', body: { awarded: false, reason: '权限' } }),
  awards_conflict: async () => ({ path: '/api/v1/awards/nominations/999999999/conflict', body: { reason: '权限测试' } }),
  awards_vote: async () => ({ path: '/api/v1/awards/nominations/999999999/vote', body: { score: 5 } }),
  awards_certificate: async () => ({ path: '/api/v1/awards/nominations/999999999/certificate.pdf' }),
  awards_review_list: async () => ({ path: '/api/v1/awards/review?scheme_id=999999999' }),
  awards_roll: async () => ({ path: '/api/v1/awards/roll' }),

};

// Building reps and home-watch (party-buildings): 锦绣前城 1号楼, its objects made by the 居委.
const jxBuilding = () => once('jxb', async () => {
  const c = (await api('GET', '/api/v1/orgs?q=' + encodeURIComponent('锦绣前城') + '&kind=compound', as(admin))).json.items[0].id;
  return (await api('GET', `/api/v1/buildings?compound_id=${c}&limit=1`, as(admin))).json.items[0].id;
});
async function mkRep() {
  const r = await api('POST', `/api/v1/buildings/${await jxBuilding()}/reps`, as(admin, { body: { person_id: await mkPerson(await jxBuilding()) } }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
async function mkRoster() {
  const r = await api('POST', `/api/v1/buildings/${await jxBuilding()}/rosters`, as(admin, { body: { title: `权限接龙-${tag()}`, closes_on: '2099-12-31' } }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
async function mkWatchList() {
  const b = await jxBuilding();
  const r = await api('POST', '/api/v1/home-watch', as(await login('committee'), { body: { person_id: await mkPerson(b), building_id: b, reason: 'lives_alone', frequency: 'weekly' } }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

async function mkBankItem(org) {
  const r = await api('POST', '/api/v1/bank/items', as(admin, { body: { provider_id: org, name: `权限物品-${tag()}`, cost: 10, stock: 1 } }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

const volBody = (who) => ({ name: `权限志愿-${tag()}`, id_number: uniqueId(REGION), phone: randomPhone(), org_id: home(who), vtype: 'resident' });
async function mkVol(who) {
  const r = await api('POST', '/api/v1/volunteers', as(admin, { body: volBody(who) }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
async function mkPost(who) {
  const r = await api('POST', '/api/v1/posts', as(admin, { body: { org_id: home(who), name: `权限岗-${tag()}` } }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

// A pending revisit and a chronic spot of 由由第五 from the demo.
async function demoRevisit() {
  const r = await api('GET', `/api/v1/revisits?state=pending&org_id=${home('committee')}&limit=1`, as(admin));
  assert.ok(r.json.items.length, `no pending demo revisit: ${r.text.slice(0, 200)}`);
  return r.json.items[0].id;
}
async function demoSpot(k = 0) {
  const r = await api('GET', `/api/v1/chronic?org_id=${home('committee')}&limit=5`, as(admin));
  assert.ok(r.json.items.length > k, `no demo chronic spot: ${r.text.slice(0, 200)}`);
  return r.json.items[k].id;
}

async function mkSite(org) {
  const r = await api('POST', '/api/v1/sites', as(admin, { body: { name: `权限点位-${tag()}`, site_type: 'S13', org_id: org } }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
async function mkInspection(org) {
  const site = await once(`site:${org}`, () => mkSite(org));
  const cl = (await api('GET', '/api/v1/site-types/13/checklist', as(admin))).json;
  const r = await api('POST', '/api/v1/inspections', as(admin, { body: { site_id: site, kind: 'self_check', results: cl.items.map((i) => ({ item_id: i.id, result: i.grading === 'abc' ? 'A' : 'pass' })) } }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
async function mkRound() {
  const r = await api('POST', '/api/v1/rounds', as(admin, { body: { name: `权限轮次-${tag()}`, mode: 'ring', scope_org_id: street, org_ids: [home('committee'), home('committee2')] } }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
async function mkWatch(org) {
  const r = await api('POST', '/api/v1/watch-targets', as(admin, { body: { kind: 'zone', name: `权限包干区-${tag()}`, org_id: org, quota: 3 } }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
async function mkTask(org) {
  const w = await once(`watch:${org}`, () => mkWatch(org));
  const r = await api('GET', `/api/v1/tasks?target_id=${w}`, as(admin));
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length > 0, 'tasks generated for today');
  return r.json.items[0].id;
}

async function mkCategory() {
  const r = await api('POST', '/api/v1/categories', as(admin, { body: { code: `P${tag('').slice(-10)}`, name: `权限类别-${tag()}`, deadline_amount: 8, deadline_unit: 'work_hours' } }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
async function problemBody(who) {
  return { category: await categoryCode(), description: `权限测试问题 ${tag()}`, org_id: home(who), location: { lat: 31.21, lng: 121.55 } };
}
// A problem reported by `who` itself (reporters always see their own).
async function mkProblem(who) {
  const r = await api('POST', '/api/v1/problems', as(await login(who), { body: await problemBody(who) }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
async function mkPhoto(who) {
  const r = await api('POST', '/api/v1/photos', as(await login(who), { body: makePng(), headers: { 'Content-Type': 'image/png' } }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

let routes;
before(async () => {
  admin = await login('admin');
  for (const l of DEMO_LOGINS) await login(l);
  const yy5 = await orgId('由由第五居民区');
  const wt = await orgId('梧桐居民区');
  street = await orgId('花木街道');
  home = (who) => (who === 'committee2' ? wt : yy5);
  routes = await routeList();
});

test('EXPECTED covers exactly the routes of openapi.json', async () => {
  const ops = routes.map((r) => r.operationId);
  const missing = ops.filter((o) => !(o in EXPECTED));
  assert.deepEqual(missing, [], `routes without an EXPECTED entry in permissions.test.mjs: ${missing.join(', ')}`);
  const stale = Object.keys(EXPECTED).filter((o) => !ops.includes(o));
  assert.deepEqual(stale, [], `EXPECTED entries for routes that no longer exist: ${stale.join(', ')}`);
  const noCase = ops.filter((o) => !CASES[o]);
  assert.deepEqual(noCase, [], `routes without a request builder in CASES: ${noCase.join(', ')}`);
  for (const r of routes) {
    const exp = EXPECTED[r.operationId];
    assert.equal(r.public, exp === PUBLIC, `${r.operationId}: public in openapi.json = ${r.public}`);
    assert.equal(r.permission, EXPECTED_PERMISSION[r.operationId] || null, `${r.operationId}: x-permission`);
  }
});

test('the server’s permission table (GET /api/v1/roles) agrees with EXPECTED', async () => {
  const t = (await api('GET', '/api/v1/roles', as(admin))).json;
  const byPerm = Object.fromEntries(t.permissions.map((p) => [p.permission, [...p.roles].sort()]));
  for (const [op, perm] of Object.entries(EXPECTED_PERMISSION))
    assert.deepEqual(byPerm[perm], [...EXPECTED[op]].sort(), `${op} (${perm})`);
  assert.equal(t.permissions.find((p) => p.permission === 'orgs.read').global, true);
  assert.equal(t.permissions.find((p) => p.permission === 'orgs.read').scope, 'public');
  assert.equal(t.permissions.find((p) => p.permission === 'people.write').scope, 'subtree');
  for (const p of t.permissions)
    assert.ok(['subtree', 'public', 'own', 'global'].includes(p.scope), `${p.permission}: scope ${p.scope}`);
});

test('every route × every role: allow → not 401/403, deny → 403 forbidden', async () => {
  const failures = [];
  const who = [null, ...DEMO_LOGINS];
  for (const r of routes) {
    const exp = EXPECTED[r.operationId];
    if (!exp || !CASES[r.operationId]) continue;
    for (const name of who) {
      const role = name ? ROLE_OF[name] : null;
      const allowed = exp === PUBLIC || (role !== null && exp.includes(role));
      const c = await CASES[r.operationId](name);
      const session = c.session !== undefined ? c.session : name ? await login(name) : null;
      const opts = session ? { token: session.token } : {};
      if (c.body !== undefined) opts.body = c.body;
      if (c.raw !== undefined) { opts.body = c.raw; opts.headers = { 'Content-Type': c.ctype }; }
      const res = await api(r.method, c.path, opts);
      const label = `${r.method} ${c.path} as ${name || 'anonymous'}`;
      if (allowed) {
        if (res.status === 401 || res.status === 403 || res.status >= 500)
          failures.push(`${label}: expected allowed, got ${res.status} ${res.text.slice(0, 160)}`);
      } else if (!name) {
        if (res.status !== 401) failures.push(`${label}: expected 401, got ${res.status}`);
        else if (errorOf(res).code !== 'unauthenticated') failures.push(`${label}: 401 code ${errorOf(res).code}`);
      } else if (res.status !== 403) {
        failures.push(`${label}: expected 403, got ${res.status} ${res.text.slice(0, 160)}`);
      } else {
        const code = errorOf(res).code;
        if (code !== 'forbidden' && code !== 'forbidden_scope') failures.push(`${label}: 403 with code ${code}`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('denied writes change nothing', async () => {
  const target = await mkOrg(home('committee'), '不可改队');
  const before = await newestAuditId();
  for (const name of ['committee', 'inspector', 'handler', 'volunteer', 'resident']) {
    const s = await login(name);
    assert.equal((await api('PATCH', `/api/v1/orgs/${target}`, as(s, { body: { name: 'hacked' } }))).status, 403);
    assert.equal((await api('DELETE', `/api/v1/orgs/${target}`, as(s))).status, 403);
    assert.equal((await api('POST', '/api/v1/accounts', as(s, { body: { login: `evil-${tag()}`, display_name: 'x', password: 'evil-secret-123', grants: [{ role: 'admin', org_id: 1 }] } }))).status, 403);
  }
  assert.equal(await newestAuditId(), before, 'no audit entry: nothing was written');
  const o = await api('GET', `/api/v1/orgs/${target}`, as(admin));
  assert.notEqual(o.json.name, 'hacked');
});

// --- Scope: a 居委 never sees another 居委's non-public data ---------------

test('committee cannot read, change or reveal a person of committee2’s community', async () => {
  const c1 = await login('committee');
  const c2 = await login('committee2');
  const wt = await orgId('梧桐居民区');
  const theirs = (await api('GET', '/api/v1/people?limit=1', as(c2))).json.items[0];
  assert.ok(theirs, 'committee2 sees people of its own community');
  assert.equal(theirs.org_id, wt);
  for (const [m, p, body] of [
    ['GET', `/api/v1/people/${theirs.id}`],
    ['GET', `/api/v1/people/${theirs.id}/sensitive`],
    ['PATCH', `/api/v1/people/${theirs.id}`, { address: '越权修改' }],
  ]) {
    const r = await api(m, p, as(c1, body ? { body } : {}));
    assert.equal(r.status, 404, `${m} ${p} → ${r.status}: out of scope reads as missing`);
    assert.equal(errorOf(r).code, 'not_found');
  }
  // Nor move one of its own people into the other community.
  const mine = (await api('GET', '/api/v1/people?limit=1', as(c1))).json.items[0];
  const mv = await api('PATCH', `/api/v1/people/${mine.id}`, as(c1, { body: { org_id: wt } }));
  assert.equal(mv.status, 403);
  assert.equal((await api('GET', `/api/v1/people/${mine.id}`, as(c1))).json.org_id, mine.org_id);
  // Office sees both.
  const office = await login('office');
  assert.equal((await api('GET', `/api/v1/people/${theirs.id}`, as(office))).status, 200);
  assert.equal((await api('GET', `/api/v1/people/${mine.id}`, as(office))).status, 200);
});

test('committee lists only its own community’s people; office sees both communities', async () => {
  const yy5 = await orgId('由由第五居民区');
  const wt = await orgId('梧桐居民区');
  // Every org, not demoOrgs (one per name): people live in buildings, and
  // every compound has a "1号楼".
  const pathOf = new Map((await listAll('/api/v1/orgs', await login('admin'))).map((o) => [o.id, o.path]));
  const within = (orgIdv, root) => (pathOf.get(orgIdv) || '').includes(`/${root}/`);
  const mine = await listAll('/api/v1/people', await login('committee'));
  assert.ok(mine.length > 0);
  for (const p of mine) assert.ok(within(p.org_id, yy5) || p.org_id === yy5, `person ${p.id} of org ${p.org_id} leaked to committee`);
  const theirs = await listAll('/api/v1/people', await login('committee2'));
  assert.ok(theirs.length > 0);
  for (const p of theirs) assert.ok(within(p.org_id, wt), `person ${p.id} of org ${p.org_id} leaked to committee2`);
  const ids1 = new Set(mine.map((p) => p.id));
  assert.ok(!theirs.some((p) => ids1.has(p.id)), 'no person in both lists');
  // Even when asking for the other community explicitly.
  const forced = await api('GET', `/api/v1/people?org_id=${wt}&limit=200`, as(await login('committee')));
  assert.ok(forced.status === 403 || (forced.status === 200 && forced.json.items.length === 0), `org_id filter leak: ${forced.status} ${forced.text.slice(0, 100)}`);
  const all = await listAll('/api/v1/people', await login('office'));
  const orgsSeen = new Set(all.map((p) => p.org_id));
  assert.ok(orgsSeen.has(yy5) && orgsSeen.has(wt), 'office sees both communities');
  assert.ok(all.length >= mine.length + theirs.length);
});

test('committee cannot create a person in another community, can in its own', async () => {
  const c1 = await login('committee');
  const wt = await orgId('梧桐居民区');
  const before = await newestAuditId();
  const r = await api('POST', '/api/v1/people', as(c1, { body: { name: `越权-${tag()}`, org_id: wt } }));
  assert.equal(r.status, 403);
  assert.equal(errorOf(r).code, 'forbidden_scope');
  assert.equal(await newestAuditId(), before);
  const ok = await api('POST', '/api/v1/people', as(c1, { body: { name: `本区-${tag()}`, org_id: await orgId('由由第五居民区') } }));
  assert.equal(ok.status, 201, ok.text);
});

test('committee cannot see accounts; office cannot grant or see above its street', async () => {
  const c1 = await login('committee');
  for (const p of ['/api/v1/accounts', `/api/v1/accounts/${c1.account.id}`]) {
    const r = await api('GET', p, as(c1));
    assert.equal(r.status, 403, p);
    assert.equal(errorOf(r).code, 'forbidden');
  }
  const office = await login('office');
  const adminAcc = admin.account.id;
  const g = await api('GET', `/api/v1/accounts/${adminAcc}`, as(office));
  assert.equal(g.status, 404, 'the city-level admin account is outside the street office’s scope: it reads as missing');
  const list = await listAll('/api/v1/accounts', office);
  assert.ok(!list.some((a) => a.login === 'admin'), 'office’s account list does not include the city admin');
  assert.ok(list.some((a) => a.login === 'committee'));
  const orgCreate = await api('POST', '/api/v1/orgs', as(office, { body: { parent_id: await orgId('浦东新区'), kind: 'team', name: `区级-${tag()}` } }));
  assert.equal(orgCreate.status, 403, 'office cannot create orgs above its street');
  assert.equal(errorOf(orgCreate).code, 'forbidden_scope');
});

test('phones and ID numbers are masked in lists and reads for every role', async () => {
  const phoneMask = /^1\d{2}\*{4}\d{4}$/;
  const idMask = /^\d{2}\*{13}[\dX]{3}$/;
  for (const name of ['admin', 'office', 'committee', 'committee2']) {
    const s = await login(name);
    const r = await api('GET', '/api/v1/people?limit=200', as(s));
    assert.equal(r.status, 200);
    assert.ok(r.json.items.length > 0);
    let masked = 0;
    for (const p of r.json.items) {
      assert.ok(!('phone' in p) && !('id_number' in p) && !('id_enc' in p) && !('phone_enc' in p) && !('id_hash' in p) && !('birth_date' in p),
        `${name}: person ${p.id} carries clear or sealed fields: ${Object.keys(p).join(',')}`);
      if (p.phone_masked !== null) assert.match(p.phone_masked, phoneMask, `${name}: person ${p.id}`);
      if (p.id_number_masked !== null) { assert.match(p.id_number_masked, idMask, `${name}: person ${p.id}`); masked++; }
    }
    assert.ok(masked > 0, 'some people have masked IDs');
    assert.ok(!/\b1[3-9]\d{9}\b/.test(r.text), `${name}: a full phone number appears in the list`);
    assert.ok(!/\b\d{17}[\dX]\b/.test(r.text), `${name}: a full ID number appears in the list`);
    const one = await api('GET', `/api/v1/people/${r.json.items[0].id}`, as(s));
    assert.equal(one.status, 200);
    assert.ok(!/\b\d{17}[\dX]\b/.test(one.text) && !/\b1[3-9]\d{9}\b/.test(one.text), `${name}: full value in GET /people/{id}`);
  }
});

test('GET /people/{id}/sensitive returns full values and writes a "reveal" audit entry', async () => {
  const c1 = await login('committee');
  const idn = uniqueId(REGION);
  const phone = randomPhone();
  const p = await api('POST', '/api/v1/people', as(c1, { body: { name: `揭示-${tag()}`, org_id: await orgId('由由第五居民区'), id_number: idn, phone } }));
  assert.equal(p.status, 201, p.text);
  const before = await newestAuditId();
  const s = await api('GET', `/api/v1/people/${p.json.id}/sensitive`, as(c1));
  assert.equal(s.status, 200);
  assert.equal(s.json.id_number, idn);
  assert.equal(s.json.phone, phone);
  assert.equal(s.headers.get('cache-control'), 'no-store');
  const after = await newestAuditId();
  assert.ok(after > before, 'the reveal was logged');
  const a = await api('GET', `/api/v1/audit?action=reveal&resource=person&resource_id=${p.json.id}`, as(admin));
  assert.equal(a.status, 200);
  assert.equal(a.json.items.length, 1);
  const e = a.json.items[0];
  assert.equal(e.action, 'reveal');
  assert.equal(e.actor_login, 'committee');
  assert.equal(e.actor_id, c1.account.id);
  assert.ok(!a.text.includes(idn) && !a.text.includes(phone), 'the revealed values are not copied into the log');
  // A second reveal is a second entry.
  await api('GET', `/api/v1/people/${p.json.id}/sensitive`, as(await login('office')));
  const a2 = await api('GET', `/api/v1/audit?action=reveal&resource=person&resource_id=${p.json.id}`, as(admin));
  assert.deepEqual(a2.json.items.map((x) => x.actor_login), ['office', 'committee']);
});
