// UI strings. Simplified Chinese is the default; English is a switch kept in
// localStorage ("wenming.lang"). Every visible string goes through t().
import { ref } from '/assets/vue.esm-browser.prod.js';
import problemMessages from './i18n-problems.js';
import calendarMessages from './i18n-calendar.js';
import citizenMessages from './i18n-citizen.js';
import dashboardMessages from './i18n-dashboard.js';
import volunteerMessages from './i18n-volunteers.js';
import revisitMessages from './i18n-revisits.js';
import navMessages from './i18n-nav.js';
import sitesMessages from './i18n-sites.js';
import bankMessages from './i18n-bank.js';
import webhookMessages from './i18n-webhooks.js';
// Party building (docs/PARTY.md), one file per feature.
// ---- party ----
import partyPartyMessages from './i18n-party-party.js';

// ---- dual ----
import dualMessages from './i18n-party-dual.js';

// ---- meetings ----
import partyMeetingsMessages from './i18n-party-meetings.js';

// ---- buildings ----
import buildingsMessages from './i18n-party-buildings.js';

// ---- targets ----
import targetsMessages from './i18n-party-targets.js';

// ---- awards ----
import awardsMessages from './i18n-party-awards.js';


const STORAGE_KEY = 'wenming.lang';
export const LOCALES = ['zh-CN', 'en'];

const messages = {
  'zh-CN': {
    app: {
      name: '文明',
      tagline: '文明城市创建平台',
      skip: '跳到主要内容',
      menu: '打开导航菜单',
      closeMenu: '关闭导航菜单',
      otherLang: 'English',
      switchLang: '切换到英文',
      elder: '大字',
      elderLabel: '适老化模式（大字号、大按钮）',
      loading: '加载中…',
      loadFailed: '页面加载失败，请刷新重试。',
      sessionFailed: '无法获取登录状态',
      noPermission: '您没有访问此页面的权限。',
      notFound: '页面不存在。',
      backHome: '返回首页',
      signedInAs: '当前账号：{name}',
    },
    nav: {
      label: '主导航',
      home: '首页',
      orgs: '组织架构',
      accounts: '账号管理',
      people: '人员信息',
      audit: '审计日志',
      password: '修改密码',
      logout: '退出登录',
    },
    cards: {
      orgs: '维护街道、居委、小区、楼栋及党组织、单位、志愿服务队',
      accounts: '创建账号，分配角色与管辖范围，停用或重置密码',
      people: '居民、志愿者、党员、楼组长信息登记与隐私保护',
      audit: '查询谁在何时做了什么修改',
      password: '定期修改密码，保护账号安全',
    },
    common: {
      save: '保存',
      saving: '保存中…',
      cancel: '取消',
      create: '新建',
      submit: '提交',
      edit: '编辑',
      delete: '删除',
      search: '搜索',
      loadMore: '加载更多',
      loading: '加载中…',
      empty: '暂无数据',
      retry: '重试',
      close: '关闭',
      actions: '操作',
      optional: '选填',
      all: '全部',
      reset: '重置',
      details: '详情',
      yes: '是',
      no: '否',
      none: '无',
      confirmDelete: '确定删除“{name}”吗？此操作不可撤销。',
      deleted: '已删除',
      saved: '已保存',
      created: '已创建',
      shown: '已显示 {n} 条',
      labelFor: '{action}：{name}',
    },
    errors: {
      network: '无法连接服务器，请检查网络后重试。',
      tooMany: '尝试次数过多，请稍后再试。',
      generic: '操作失败（错误 {status}）',
      unauthorized: '登录已过期，请重新登录。',
      forbidden: '没有权限执行此操作。',
      fixFields: '请按提示修改标红的内容。',
    },
    roles: {
      admin: '系统管理员',
      office: '文明办',
      committee: '居委',
      inspector: '督查员',
      handler: '处置单位',
      volunteer: '志愿者',
      resident: '居民',
      party: '党组织书记',
      unit: '报到单位联系人',
      rep: '楼组长',
    },
    orgKinds: {
      city: '市',
      district: '区',
      street: '街道',
      community: '居委/社区',
      compound: '小区',
      building: '楼栋',
      party_org: '党组织',
      unit: '单位',
      team: '志愿服务队',
    },
    gender: { male: '男', female: '女' },
    personKinds: {
      resident: '居民',
      volunteer: '志愿者',
      party_member: '党员',
      building_rep: '楼组长',
    },
    login: {
      title: '登录',
      intro: '请使用街道分配的账号登录。',
      login: '账号',
      password: '密码',
      submit: '登录',
      submitting: '正在登录…',
      required: '请输入账号和密码。',
      tooMany: '尝试次数过多，请稍后再试。',
      showPassword: '显示密码',
    },
    home: {
      greeting: '您好，{name}',
      grants: '我的角色与管辖范围',
      noGrants: '该账号暂无角色授权，请联系管理员。',
      quick: '常用功能',
    },
    orgs: {
      title: '组织架构',
      filter: '筛选',
      filterPlaceholder: '按名称、编码或地址筛选',
      count: '共 {n} 个组织',
      matchCount: '{m} / {n} 个组织符合条件',
      empty: '暂无组织。',
      noMatch: '没有符合条件的组织。',
      name: '名称',
      kind: '类型',
      code: '编码',
      address: '地址',
      parent: '上级组织',
      noParent: '（无，作为顶级组织）',
      newOrg: '新建组织',
      underParent: '（上级：{name}）',
      addChild: '添加下级',
      rename: '改名',
      newName: '新名称',
      createTitle: '新建组织',
      created: '已创建组织“{name}”。',
      renamed: '已改名为“{name}”。',
      deleted: '已删除“{name}”。',
      chooseKind: '请选择类型',
      listCaption: '组织架构树',
    },
    accounts: {
      title: '账号管理',
      search: '搜索',
      searchPlaceholder: '账号或姓名',
      empty: '没有找到账号。',
      login: '账号',
      displayName: '姓名',
      grants: '角色授权',
      status: '状态',
      disabled: '已停用',
      active: '正常',
      newAccount: '新建账号',
      createTitle: '新建账号',
      password: '初始密码',
      passwordHint: '至少 8 位，请通过安全渠道告知本人。',
      role: '角色',
      org: '管辖组织',
      chooseRole: '请选择角色',
      chooseOrg: '请选择组织',
      created: '已创建账号“{login}”。',
      open: '管理',
      detail: '账号详情：{login}',
      addGrant: '添加授权',
      removeGrant: '移除',
      removeGrantLabel: '移除授权：{grant}',
      confirmRemoveGrant: '确定移除授权“{grant}”吗？',
      grantAdded: '已添加授权。',
      grantRemoved: '已移除授权。',
      disable: '停用账号',
      enable: '启用账号',
      confirmDisable: '确定停用账号“{login}”吗？停用后该账号无法登录。',
      disabledDone: '账号已停用。',
      enabledDone: '账号已启用。',
      resetPassword: '重置密码',
      newPassword: '新密码',
      passwordReset: '密码已重置。',
      editName: '修改姓名',
      noGrants: '无授权',
      listCaption: '账号列表',
    },
    people: {
      title: '人员信息',
      search: '搜索',
      searchPlaceholder: '姓名',
      kindFilter: '身份',
      empty: '没有找到人员。',
      name: '姓名',
      gender: '性别',
      birthDate: '出生日期',
      idNumber: '身份证号',
      phone: '手机号',
      org: '所属组织',
      address: '住址',
      skills: '技能',
      skillsHint: '多个技能用逗号分隔，例如：医疗, 摄影',
      kinds: '身份',
      newPerson: '登记人员',
      createTitle: '登记人员',
      idHint: '18 位居民身份证号，出生日期和性别将自动识别。',
      chooseOrg: '请选择组织',
      created: '已登记“{name}”。',
      open: '详情',
      detail: '人员详情：{name}',
      viewSensitive: '查看完整信息',
      sensitiveNote: '查看完整身份证号和手机号的操作将记入审计日志。',
      sensitiveConfirm: '查看“{name}”的完整身份证号和手机号？此操作将记入审计日志。',
      sensitiveShown: '完整信息（已记入审计日志）',
      hideSensitive: '隐藏完整信息',
      editContact: '修改联系方式',
      export: '导出',
      exported: '已导出“{name}”的个人信息。',
      anonymise: '匿名化',
      confirmAnonymise: '确定将“{name}”匿名化吗？其个人信息将被永久清除，此操作不可撤销。',
      anonymisedDone: '已完成匿名化。',
      anonymised: '已匿名化',
      listCaption: '人员列表',
    },
    audit: {
      title: '审计日志',
      filters: '筛选条件',
      q: '操作人账号',
      resource: '资源',
      action: '动作',
      from: '开始日期',
      to: '结束日期',
      apply: '查询',
      reset: '重置',
      empty: '没有符合条件的审计记录。',
      time: '时间',
      actor: '操作人',
      resourceId: '资源编号',
      changes: '变更内容',
      ip: 'IP',
      noChanges: '无字段变化',
      listCaption: '审计日志列表',
      badRange: '开始日期不能晚于结束日期。',
    },
    password: {
      title: '修改密码',
      intro: '新密码至少 8 位，建议包含字母和数字，不要与其他网站相同。',
      old: '当前密码',
      new: '新密码',
      confirm: '确认新密码',
      mismatch: '两次输入的新密码不一致。',
      tooShort: '新密码至少 8 位。',
      sameAsOld: '新密码不能与当前密码相同。',
      required: '请输入当前密码。',
      done: '密码已修改。',
    },
  },

  en: {
    app: {
      name: 'Wenming 文明',
      tagline: 'Civilized City platform',
      skip: 'Skip to main content',
      menu: 'Open navigation menu',
      closeMenu: 'Close navigation menu',
      otherLang: '中文',
      switchLang: 'Switch to Chinese',
      elder: 'Large text',
      elderLabel: 'Elderly-friendly mode (larger text and buttons)',
      loading: 'Loading…',
      loadFailed: 'The page failed to load. Please reload.',
      sessionFailed: 'Could not check your sign-in',
      noPermission: 'You do not have permission to open this page.',
      notFound: 'Page not found.',
      backHome: 'Back to home',
      signedInAs: 'Signed in as {name}',
    },
    nav: {
      label: 'Main navigation',
      home: 'Home',
      orgs: 'Organisations',
      accounts: 'Accounts',
      people: 'People',
      audit: 'Audit log',
      password: 'Change password',
      logout: 'Sign out',
    },
    cards: {
      orgs: 'Streets, committees, compounds, buildings, party organisations, units and volunteer teams',
      accounts: 'Create accounts, grant roles and scopes, disable accounts, reset passwords',
      people: 'Residents, volunteers, party members and building reps, with privacy protection',
      audit: 'Who changed what, and when',
      password: 'Change your password to keep your account safe',
    },
    common: {
      save: 'Save',
      saving: 'Saving…',
      cancel: 'Cancel',
      create: 'Create',
      submit: 'Submit',
      edit: 'Edit',
      delete: 'Delete',
      search: 'Search',
      loadMore: 'Load more',
      loading: 'Loading…',
      empty: 'Nothing here yet',
      retry: 'Retry',
      close: 'Close',
      actions: 'Actions',
      optional: 'optional',
      all: 'All',
      reset: 'Reset',
      details: 'Details',
      yes: 'Yes',
      no: 'No',
      none: 'None',
      confirmDelete: 'Delete “{name}”? This cannot be undone.',
      deleted: 'Deleted',
      saved: 'Saved',
      created: 'Created',
      shown: '{n} shown',
      labelFor: '{action}: {name}',
    },
    errors: {
      network: 'Cannot reach the server. Check the connection and try again.',
      tooMany: 'Too many attempts, please try again later.',
      generic: 'The request failed (error {status})',
      unauthorized: 'Your session has expired. Please sign in again.',
      forbidden: 'You are not allowed to do this.',
      fixFields: 'Please correct the highlighted fields.',
    },
    roles: {
      admin: 'Administrator',
      office: 'Civilization office',
      committee: 'Residential committee',
      inspector: 'Inspector',
      handler: 'Handler unit',
      volunteer: 'Volunteer',
      resident: 'Resident',
      party: 'Party secretary',
      unit: 'Registered unit contact',
      rep: 'Building rep',
    },
    orgKinds: {
      city: 'City',
      district: 'District',
      street: 'Street',
      community: 'Community',
      compound: 'Compound',
      building: 'Building',
      party_org: 'Party org',
      unit: 'Unit',
      team: 'Volunteer team',
    },
    gender: { male: 'Male', female: 'Female' },
    personKinds: {
      resident: 'Resident',
      volunteer: 'Volunteer',
      party_member: 'Party member',
      building_rep: 'Building rep',
    },
    login: {
      title: 'Sign in',
      intro: 'Sign in with the account your street office gave you.',
      login: 'Login',
      password: 'Password',
      submit: 'Sign in',
      submitting: 'Signing in…',
      required: 'Enter your login and password.',
      tooMany: 'Too many attempts, please try again later.',
      showPassword: 'Show password',
    },
    home: {
      greeting: 'Hello, {name}',
      grants: 'My roles and scopes',
      noGrants: 'This account has no role yet. Please contact an administrator.',
      quick: 'Shortcuts',
    },
    orgs: {
      title: 'Organisations',
      filter: 'Filter',
      filterPlaceholder: 'Name, code or address',
      count: '{n} organisations',
      matchCount: '{m} of {n} organisations match',
      empty: 'No organisations yet.',
      noMatch: 'No organisation matches the filter.',
      name: 'Name',
      kind: 'Kind',
      code: 'Code',
      address: 'Address',
      parent: 'Parent',
      noParent: '(none, top level)',
      newOrg: 'New organisation',
      underParent: '(under {name})',
      addChild: 'Add child',
      rename: 'Rename',
      newName: 'New name',
      createTitle: 'New organisation',
      created: 'Created “{name}”.',
      renamed: 'Renamed to “{name}”.',
      deleted: 'Deleted “{name}”.',
      chooseKind: 'Choose a kind',
      listCaption: 'Organisation tree',
    },
    accounts: {
      title: 'Accounts',
      search: 'Search',
      searchPlaceholder: 'Login or name',
      empty: 'No accounts found.',
      login: 'Login',
      displayName: 'Display name',
      grants: 'Grants',
      status: 'Status',
      disabled: 'Disabled',
      active: 'Active',
      newAccount: 'New account',
      createTitle: 'New account',
      password: 'Initial password',
      passwordHint: 'At least 8 characters; tell the person through a safe channel.',
      role: 'Role',
      org: 'Organisation',
      chooseRole: 'Choose a role',
      chooseOrg: 'Choose an organisation',
      created: 'Created account “{login}”.',
      open: 'Manage',
      detail: 'Account: {login}',
      addGrant: 'Add grant',
      removeGrant: 'Remove',
      removeGrantLabel: 'Remove grant: {grant}',
      confirmRemoveGrant: 'Remove the grant “{grant}”?',
      grantAdded: 'Grant added.',
      grantRemoved: 'Grant removed.',
      disable: 'Disable account',
      enable: 'Enable account',
      confirmDisable: 'Disable “{login}”? The account will no longer be able to sign in.',
      disabledDone: 'Account disabled.',
      enabledDone: 'Account enabled.',
      resetPassword: 'Reset password',
      newPassword: 'New password',
      passwordReset: 'Password reset.',
      editName: 'Change name',
      noGrants: 'No grants',
      listCaption: 'Accounts',
    },
    people: {
      title: 'People',
      search: 'Search',
      searchPlaceholder: 'Name',
      kindFilter: 'Kind',
      empty: 'No people found.',
      name: 'Name',
      gender: 'Gender',
      birthDate: 'Date of birth',
      idNumber: 'ID number',
      phone: 'Mobile',
      org: 'Organisation',
      address: 'Address',
      skills: 'Skills',
      skillsHint: 'Separate skills with commas, e.g. first aid, photography',
      kinds: 'Kinds',
      newPerson: 'Register person',
      createTitle: 'Register a person',
      idHint: '18-digit resident ID; date of birth and gender are read from it.',
      chooseOrg: 'Choose an organisation',
      created: 'Registered “{name}”.',
      open: 'Details',
      detail: 'Person: {name}',
      viewSensitive: 'View full details',
      sensitiveNote: 'Viewing the full ID number and phone is recorded in the audit log.',
      sensitiveConfirm: 'View the full ID number and phone of “{name}”? This is recorded in the audit log.',
      sensitiveShown: 'Full details (recorded in the audit log)',
      hideSensitive: 'Hide full details',
      editContact: 'Edit contact details',
      export: 'Export',
      exported: 'Exported the data of “{name}”.',
      anonymise: 'Anonymise',
      confirmAnonymise: 'Anonymise “{name}”? Their personal data will be erased for good. This cannot be undone.',
      anonymisedDone: 'Anonymised.',
      anonymised: 'Anonymised',
      listCaption: 'People',
    },
    audit: {
      title: 'Audit log',
      filters: 'Filters',
      q: 'Actor login',
      resource: 'Resource',
      action: 'Action',
      from: 'From',
      to: 'To',
      apply: 'Search',
      reset: 'Reset',
      empty: 'No audit entries match.',
      time: 'Time',
      actor: 'Actor',
      resourceId: 'Resource ID',
      changes: 'Changes',
      ip: 'IP',
      noChanges: 'No field changed',
      listCaption: 'Audit entries',
      badRange: 'The start date must not be after the end date.',
    },
    password: {
      title: 'Change password',
      intro: 'Use at least 8 characters, with letters and digits, and do not reuse a password from another site.',
      old: 'Current password',
      new: 'New password',
      confirm: 'Confirm new password',
      mismatch: 'The new passwords do not match.',
      tooShort: 'The new password needs at least 8 characters.',
      sameAsOld: 'The new password must differ from the current one.',
      required: 'Enter your current password.',
      done: 'Password changed.',
    },
  },
};

// Merge the strings of other modules, namespace by namespace.
function merge(into, from) {
  for (const [k, v] of Object.entries(from)) {
    if (v && typeof v === 'object' && into[k] && typeof into[k] === 'object') merge(into[k], v);
    else into[k] = v;
  }
}
merge(messages, problemMessages);
merge(messages, calendarMessages);
merge(messages, citizenMessages);
merge(messages, dashboardMessages);
merge(messages, volunteerMessages);
merge(messages, revisitMessages);
merge(messages, navMessages);
merge(messages, sitesMessages);
merge(messages, bankMessages);
merge(messages, webhookMessages);
// Party building, one per feature.
// ---- party ----
merge(messages, partyPartyMessages);

// ---- dual ----
merge(messages, dualMessages);

// ---- meetings ----
merge(messages, partyMeetingsMessages);

// ---- buildings ----
merge(messages, buildingsMessages);

// ---- targets ----
merge(messages, targetsMessages);

// ---- awards ----
merge(messages, awardsMessages);


function initialLocale() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (LOCALES.includes(saved)) return saved;
  } catch (_) { /* storage disabled */ }
  return 'zh-CN';
}

export const locale = ref(initialLocale());

function lookup(lang, key) {
  let node = messages[lang];
  for (const part of key.split('.')) {
    if (node == null || typeof node !== 'object') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export function has(key) {
  return lookup(locale.value, key) !== undefined || lookup('zh-CN', key) !== undefined;
}

// t('orgs.created', {name: 'X'}); falls back to Chinese, then to the key.
export function t(key, params) {
  let s = lookup(locale.value, key);
  if (s === undefined) s = lookup('zh-CN', key);
  if (s === undefined) return key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
  return s;
}

export function setLocale(lang) {
  if (!LOCALES.includes(lang)) return;
  locale.value = lang;
  try { localStorage.setItem(STORAGE_KEY, lang); } catch (_) { /* ignore */ }
  document.documentElement.lang = lang;
}

export function toggleLocale() {
  setLocale(locale.value === 'zh-CN' ? 'en' : 'zh-CN');
}

document.documentElement.lang = locale.value;
