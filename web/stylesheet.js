// A page's own stylesheet, linked once on first use (pages that few accounts
// open keep their CSS out of index.html). Returns when it has loaded, so a
// page that measures its layout (charts, maps) can wait for it.
const links = new Map();
export function linkStylesheet(href) {
  if (!links.has(href)) {
    links.set(href, new Promise((resolve) => {
      const l = document.createElement('link');
      l.rel = 'stylesheet';
      l.href = href;
      l.onload = () => resolve();
      l.onerror = () => resolve();	// unstyled beats blank
      document.head.appendChild(l);
    }));
  }
  return links.get(href);
}

// The dashboard's, the map's and the big screen's styles.
export const dashboardCss = () => linkStylesheet('/assets/dashboard.css');
