// UI strings of 目标责任书 and 好人好事 (docs/PARTY.md "targets"). Merged
// into i18n.js's messages, namespace by namespace.
export default {
  'zh-CN': {
    nav: { targets: '目标责任书', goodDeeds: '好人好事', goodDeedsWall: '好人好事墙' },
    cards: {
      targets: '年度精神文明创建目标责任书：下达、签订、实时完成情况、打印',
      goodDeeds: '记录身边的好人好事；居委核实后上墙并计入爱心积分',
      goodDeedsWall: '已核实的好人好事，公开展示',
    },
    targets: {
      title: '目标责任书', year: '年度', overview: '年度总览', none: '本年度还没有责任书',
      state: { draft: '草稿', issued: '已下达', signed: '已签订' },
      met: '达标 {m} / {n} 项', itemMet: '达标', itemNotMet: '未达标',
      signedBy: '甲方 {a}，乙方 {b}，{d} 签订', pdf: '下载责任书（PDF）',
      value: '当前 {v} / 目标 {g}', period: '统计期 {f} 至 {to}', asOf: '截至 {to}', sample: '样本 {n}',
      manual: '人工录入', done: '标记完成', undo: '取消完成', enterRate: '录入知晓率（0–1）',
      goal: '目标值', text: '承诺内容', save: '保存条目', issue: '下达', sign: '签订',
      issuerSigner: '甲方签字人', receiverSigner: '乙方签字人', signedOn: '签订日期',
      create: '新建责任书', org: '责任单位（社区或单位）', metric: '指标', addItem: '添加条目', remove: '删除',
      saved: '已保存',
    },
    deeds: {
      title: '好人好事', record: '记录一件好人好事', org: '发生在哪个社区', doer: '做好事的人', what: '做了什么（标题）',
      content: '经过', place: '地点', when: '日期', photo: '照片', photoDone: '照片已上传', submit: '提交',
      recorded: '已提交，居委核实后上墙', queue: '待核实', queueEmpty: '没有待核实的记录',
      verify: '核实通过', reject: '不予核实', reason: '不予核实的理由', verified: '已核实，已上墙并计入积分', rejected: '已退回',
      area: '辖区记录', mine: '我记录的', none: '还没有记录', why: '理由：',
      state: { pending: '待核实', verified: '已核实', rejected: '未核实' },
      wall: '好人好事墙', wallLink: '查看好人好事墙', motto: '德者有得，好人好报', wallEmpty: '暂无', more: '更多',
    },
  },
  en: {
    nav: { targets: 'Responsibility targets', goodDeeds: 'Good deeds', goodDeedsWall: 'Good deeds wall' },
    cards: {
      targets: 'Yearly civilisation targets per community or unit: issue, sign, live progress, print',
      goodDeeds: 'Record a good deed; once the committee verifies it, it goes on the wall and earns points',
      goodDeedsWall: 'Verified good deeds, shown publicly',
    },
    targets: {
      title: 'Responsibility targets', year: 'Year', overview: 'Year overview', none: 'No target letters this year',
      state: { draft: 'Draft', issued: 'Issued', signed: 'Signed' },
      met: '{m} of {n} met', itemMet: 'Met', itemNotMet: 'Not met',
      signedBy: 'Signed by {a} and {b} on {d}', pdf: 'Download the letter (PDF)',
      value: 'Now {v} / goal {g}', period: 'Period {f} to {to}', asOf: 'As of {to}', sample: 'sample {n}',
      manual: 'entered by staff', done: 'Mark done', undo: 'Mark not done', enterRate: 'Enter awareness (0–1)',
      goal: 'Goal', text: 'Commitment', save: 'Save items', issue: 'Issue', sign: 'Sign',
      issuerSigner: 'Signed for the street by', receiverSigner: 'Signed for the org by', signedOn: 'Date signed',
      create: 'New letter', org: 'Community or unit', metric: 'Metric', addItem: 'Add item', remove: 'Remove',
      saved: 'Saved',
    },
    deeds: {
      title: 'Good deeds', record: 'Record a good deed', org: 'Community where it happened', doer: 'Who did it', what: 'What (title)',
      content: 'What happened', place: 'Place', when: 'Date', photo: 'Photo', photoDone: 'Photo uploaded', submit: 'Submit',
      recorded: 'Submitted; it goes on the wall once the committee verifies it', queue: 'Waiting for verification', queueEmpty: 'Nothing waiting',
      verify: 'Verify', reject: 'Reject', reason: 'Reason for rejecting', verified: 'Verified: on the wall, points awarded', rejected: 'Rejected',
      area: 'Deeds in my area', mine: 'Recorded by me', none: 'Nothing recorded yet', why: 'Reason: ',
      state: { pending: 'Pending', verified: 'Verified', rejected: 'Rejected' },
      wall: 'Good deeds wall', wallLink: 'See the good deeds wall', motto: 'Virtue is rewarded, good people fare well', wallEmpty: 'Nothing yet', more: 'More',
    },
  },
};
