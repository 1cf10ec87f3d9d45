// 亮身份 (docs/PARTY.md): the 党员 and 党员先锋岗 badges' look, one rule set
// injected once by every page that shows them (style.css stays shared).
const ID = 'wm-party-badge';
if (typeof document !== 'undefined' && !document.getElementById(ID)) {
  const s = document.createElement('style');
  s.id = ID;
  s.textContent = '.badge.badge-party{background:#c8102e;color:#fff;border-color:#c8102e;font-weight:600}'
    + '.badge.badge-vanguard{background:#fff4e5;color:#a3000f;border-color:#c8102e;font-weight:600}'
    // the party page's names that open a branch or a member: links, not boxes
    + '.party-page button.link{background:none;border:0;padding:0;color:var(--primary,#b3261e);text-decoration:underline;cursor:pointer;font:inherit;text-align:left}';
  document.head.appendChild(s);
}
export {};
