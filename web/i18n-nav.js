// Headings of the menu's sections (app.js NAV_GROUPS). Merged into i18n.js.
export default {
  'zh-CN': {
    navGroup: {
      mine: '我的', loop: '问题闭环', inspect: '巡查测评', volunteer: '志愿服务与爱心银行', party: '党建引领',
      stats: '统计分析', admin: '系统管理', other: '其他',
    },
  },
  en: {
    navGroup: {
      mine: 'Me', loop: 'Problem loop', inspect: 'Inspections', volunteer: 'Volunteers and love bank', party: 'Party building',
      stats: 'Statistics', admin: 'Administration', other: 'Other',
    },
  },
};
