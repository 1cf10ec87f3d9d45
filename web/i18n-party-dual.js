// UI strings of 双报到 (issue 16, docs/PARTY.md "dual"): my registration,
// the staff page and the unit's page. Merged into i18n.js's messages.
export default {
  'zh-CN': {
    nav: { myParty: '我的双报到', dual: '双报到管理', unitPortal: '报到单位' },
    cards: {
      myParty: '在职党员向居住地社区报到：登记技能与服务意愿，领取服务卡，查看本季度服务',
      dual: '受理党员和单位报到，查看各居民区报到人数与服务时长',
      unitPortal: '本单位报到党员的季度服务情况，下载反馈表（Excel、PDF）',
    },
    dual: {
      name: '姓名', community: '报到居民区', unit: '工作单位', skills: '技能特长', wishes: '服务意愿',
      availability: '可服务时间', stateLabel: '状态', reason: '退回原因', partyOrg: '单位党组织', contact: '联系人',
      commitments: '服务承诺', members: '报到党员', cardNo: '服务卡号', total: '合计', none: '暂无记录',
      state: { pending: '待受理', accepted: '已报到', declined: '已退回' },
      unitState: { pending: '待受理', accepted: '已报到', ended: '已结束' },
      avail: { weekday_daytime: '工作日白天', weekday_evening: '工作日晚上', weekend: '周末', holiday: '节假日' },
      col: {
        records: '服务次数', hours: '服务时长（小时）', shifts_attended: '岗位值守', activities_attended: '参加活动',
        activity_signups: '活动报名', problems_reported: '发现问题', problems_closed: '已办结',
      },
      my: {
        title: '我的双报到', intro: '在职党员向居住地社区报到（一单一表一卡）。社区受理后发放服务卡，服务情况每季度反馈给所在单位。',
        form: '报到登记', pickUnit: '请选择工作单位', skillsHint: '如：法律咨询、电脑维修', submit: '提交报到',
        sent: '已提交，等待社区受理', card: '双报到服务卡', qrAlt: '服务卡二维码 {no}', service: '本季度服务（{q}）',
        auto: '服务数据根据已审核的志愿服务记录、岗位值守、活动签到和问题上报自动汇总，无需填写。',
        noPerson: '您的账号尚未关联人员信息，请联系居委代为登记。',
      },
      staff: {
        title: '双报到管理', tab: { pending: '待受理', all: '全部党员', units: '报到单位', overview: '各居民区概况' },
        accept: '受理', decline: '退回', accepted: '已受理 {name} 的报到', declined: '已退回 {name} 的报到',
        unitAccepted: '已受理 {name} 的单位报到', units: '报到单位', period: '统计期间 {q}（{from} 至 {to}）',
      },
      unitPortal: {
        title: '报到单位', registration: '报到社区', quarter: '季度', xlsx: '下载 Excel', pdf: '下载 PDF',
        none: '本单位尚未有已受理的社区报到',
      },
    },
  },
  en: {
    nav: { myParty: 'My dual registration', dual: 'Dual registration', unitPortal: 'Registered unit' },
    cards: {
      myParty: 'Employed party members register with the community where they live: skills, wishes, service card, service this quarter',
      dual: 'Accept member and unit registrations; registered members and hours per community',
      unitPortal: 'Your members’ service per quarter; download the feedback report (Excel, PDF)',
    },
    dual: {
      name: 'Name', community: 'Community', unit: 'Employer', skills: 'Skills', wishes: 'Service wishes',
      availability: 'Time available', stateLabel: 'State', reason: 'Reason', partyOrg: 'Unit party organisation', contact: 'Contact',
      commitments: 'Commitments', members: 'Members', cardNo: 'Card no.', total: 'Total', none: 'Nothing yet',
      state: { pending: 'Pending', accepted: 'Registered', declined: 'Declined' },
      unitState: { pending: 'Pending', accepted: 'Registered', ended: 'Ended' },
      avail: { weekday_daytime: 'Weekday daytime', weekday_evening: 'Weekday evenings', weekend: 'Weekends', holiday: 'Holidays' },
      col: {
        records: 'Services', hours: 'Hours', shifts_attended: 'Shifts', activities_attended: 'Activities',
        activity_signups: 'Activity sign-ups', problems_reported: 'Problems found', problems_closed: 'Closed',
      },
      my: {
        title: 'My dual registration', intro: 'Employed party members register with the community where they live (slip, form and card). Once accepted you get a service card; your service is reported to your employer every quarter.',
        form: 'Register', pickUnit: 'Choose your employer', skillsHint: 'e.g. legal advice, computer repair', submit: 'Register',
        sent: 'Sent; waiting for the community to accept', card: 'Service card', qrAlt: 'Service card QR code {no}', service: 'Service this quarter ({q})',
        auto: 'Collected automatically from approved service records, shifts, activity check-ins and problem reports — nothing to type.',
        noPerson: 'Your account has no person record yet; ask the residents’ committee to register you.',
      },
      staff: {
        title: 'Dual registration', tab: { pending: 'To accept', all: 'All members', units: 'Units', overview: 'Per community' },
        accept: 'Accept', decline: 'Decline', accepted: '{name} accepted', declined: '{name} declined',
        unitAccepted: '{name} accepted', units: 'Units', period: 'Period {q} ({from} to {to})',
      },
      unitPortal: {
        title: 'Registered unit', registration: 'Community', quarter: 'Quarter', xlsx: 'Download Excel', pdf: 'Download PDF',
        none: 'No accepted registration with a community yet',
      },
    },
  },
};
