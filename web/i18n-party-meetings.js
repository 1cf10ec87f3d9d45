// UI strings of 三会一课 and the compliance view (docs/PARTY.md). Merged into i18n.js.
export default {
  'zh-CN': {
    nav: { meetings: '三会一课', meeting: '会议详情', meetingSignIn: '会议签到', compliance: '三会一课合规' },
    cards: { meetings: '安排会议、扫码签到、请假与出席、会议记录', compliance: '各支部三会一课红黄绿、期末提醒、规则设置' },
    meet: {
      title: '三会一课', add: '安排会议', org: '党组织', type: '会议类型', day: '日期', time: '开始时间', place: '地点',
      topic: '主题', speaker: '主讲/主持', state: '状态', minutes: '会议记录', photos: '照片', addPhoto: '上传照片',
      attachments: '附件链接', attName: '附件名称', attUrl: '链接（https://…）', addAtt: '添加附件',
      save: '保存', saved: '已保存', created: '已安排会议，已通知支部党员', empty: '暂无会议', all: '全部',
      from: '从', to: '到', filter: '筛选', open: '详情', expected: '应到 {n} 人', present: '实到 {n} 人', leave: '请假 {n} 人',
      attendance: '出席情况', markAll: '全部标为出席', mark: { present: '出席', leave: '请假', absent: '缺席', none: '未标记' },
      reason: '请假原因', saveAttendance: '保存出席情况', attendanceSaved: '出席情况已保存',
      qr: '签到二维码', qrHint: '会前 2 小时至当天结束，党员扫码签到', link: '签到链接',
      types: { member_meeting: '党员大会', committee_meeting: '支委会', group_meeting: '党小组会', lecture: '党课', theme_day: '主题党日' },
      states: { planned: '计划', held: '已召开', cancelled: '已取消' },
      signIn: {
        title: '会议签到', button: '签到', done: '签到成功', already: '您已签到', leave: '请假', leaveReason: '请假原因',
        leaveSend: '提交请假', leaveDone: '已请假：{r}', noToken: '请扫描会议现场的二维码签到', myStatus: '我的状态',
      },
    },
    comp: {
      title: '三会一课合规', year: '年度', org: '党组织', rule: '要求', today: '今天 {d}', rollup: '汇总（党委/党总支）',
      orgs: '支部数', legend: { green: '已达标', amber: '进行中未达标', red: '期满未达标', grey: '未开始' },
      held: '已开 {h}/{r}', rules: '规则设置', perMonth: '每月', perQuarter: '每季度', min: '至少次数', remind: '期末前提醒天数',
      saveRules: '保存规则', rulesSaved: '规则已保存', closing: '即将期满', empty: '没有可统计的党支部',
      period: { month: '月', quarter: '季度' },
    },
  },
  en: {
    nav: { meetings: 'Party meetings', meeting: 'Meeting', meetingSignIn: 'Meeting sign-in', compliance: 'Meeting compliance' },
    cards: { meetings: 'Plan meetings, QR sign-in, leave and attendance, minutes', compliance: 'Red/amber/green per branch, reminders, rules' },
    meet: {
      title: 'Party meetings', add: 'Plan a meeting', org: 'Party organisation', type: 'Type', day: 'Date', time: 'Start time', place: 'Place',
      topic: 'Topic', speaker: 'Speaker / chair', state: 'State', minutes: 'Minutes', photos: 'Photos', addPhoto: 'Upload photo',
      attachments: 'Linked files', attName: 'File name', attUrl: 'Link (https://…)', addAtt: 'Add a file',
      save: 'Save', saved: 'Saved', created: 'Meeting planned; the members were notified', empty: 'No meetings', all: 'All',
      from: 'From', to: 'To', filter: 'Filter', open: 'Open', expected: '{n} expected', present: '{n} present', leave: '{n} on leave',
      attendance: 'Attendance', markAll: 'Mark all present', mark: { present: 'Present', leave: 'Leave', absent: 'Absent', none: 'Not marked' },
      reason: 'Reason for leave', saveAttendance: 'Save attendance', attendanceSaved: 'Attendance saved',
      qr: 'Sign-in QR code', qrHint: 'Members scan it from 2 hours before the start to the end of the day', link: 'Sign-in link',
      types: { member_meeting: 'Members’ meeting', committee_meeting: 'Committee meeting', group_meeting: 'Group meeting', lecture: 'Party lecture', theme_day: 'Theme party day' },
      states: { planned: 'Planned', held: 'Held', cancelled: 'Cancelled' },
      signIn: {
        title: 'Meeting sign-in', button: 'Sign in', done: 'Signed in', already: 'You are signed in', leave: 'Ask for leave', leaveReason: 'Reason',
        leaveSend: 'Send', leaveDone: 'On leave: {r}', noToken: 'Scan the QR code at the meeting to sign in', myStatus: 'My status',
      },
    },
    comp: {
      title: 'Meeting compliance', year: 'Year', org: 'Organisation', rule: 'Rule', today: 'Today {d}', rollup: 'Roll-up (party committees)',
      orgs: 'Branches', legend: { green: 'Met', amber: 'Open, not yet met', red: 'Closed unmet', grey: 'Not started' },
      held: 'Held {h}/{r}', rules: 'Rules', perMonth: 'Monthly', perQuarter: 'Quarterly', min: 'At least', remind: 'Remind days before the end',
      saveRules: 'Save rules', rulesSaved: 'Rules saved', closing: 'Closing soon', empty: 'No branches to show',
      period: { month: 'Month', quarter: 'Quarter' },
    },
  },
};
