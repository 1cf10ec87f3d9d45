// usePagedList(path, query, opts): the state of a list page read with the
// API's cursor paging ({items, next_cursor}), written once for every list page.
// fetchPage(true) loads the first page (a new filter), fetchPage(false) appends
// the next one (the list footer's "more"). query() gives the page's parameters
// (filters and limit) at the time of the call. An answer that arrives after a
// newer fetchPage started is dropped, so a slow first filter cannot overwrite
// the list of the filter chosen after it.
//   opts.map(item)  turns each item into what the page shows;
//   opts.onPage(page)  sees the whole answer (e.g. an unread count beside the items).
import { ref } from '/assets/vue.esm-browser.prod.js';
import { api } from './api.js';

export function usePagedList(path, query, { map = null, onPage = null } = {}) {
  const items = ref([]);
  const cursor = ref(null);
  const loading = ref(false);
  const error = ref(null);
  let seq = 0;
  async function fetchPage(reset) {
    const my = ++seq;
    loading.value = true;
    error.value = null;
    try {
      const page = await api.get(path, { ...query(), cursor: reset ? null : cursor.value });
      if (my !== seq) return;
      const got = (page && page.items) || [];
      items.value = reset ? (map ? got.map(map) : got) : items.value.concat(map ? got.map(map) : got);
      cursor.value = (page && page.next_cursor) || null;
      if (onPage) onPage(page);
    } catch (e) {
      if (my === seq) error.value = e;
    } finally {
      if (my === seq) loading.value = false;
    }
  }
  return { items, cursor, loading, error, fetchPage };
}
