/**
 * Code that runs INSIDE the page. It is plain JavaScript in a string, installed with
 * `addInitScript({ content })`: functions handed to `page.evaluate` are serialized from the
 * transpiled source, and tsx's keep-names helper (`__name`) does not exist in the page.
 *
 * Times are `performance.now()` in the page, whose origin is the navigation start. "dom" is when the
 * change is in the DOM; "paint" is the first task after the next animation frame, i.e. after the
 * browser produced the frame that shows it.
 */
export interface SortSample {
  dom: number;
  paint: number;
  ariaSort: string | null;
  firstRow: string;
}

export interface FilterSample {
  /** From the input event: includes the UI's ~150 ms debounce. */
  total: number;
  /** From the URL write (the end of the debounce) to the painted table. */
  afterDebounce: number;
  debounce: number;
  countText: string;
}

export interface LoadMarks {
  firstRowDom: number | null;
  firstRowPaint: number | null;
  /** The row count shows the whole set (not "Loading all N rows…"): sort and filter work on it. */
  allRows: number | null;
}

export type ProbeError = { error: string };

export const PROBES_SOURCE = String.raw`
(() => {
  const TABLE = 'table[aria-label="Processes"]';
  const bench = { firstRowDom: null, firstRowPaint: null, allRows: null, urlWrites: [] };
  window.__bench = bench;

  // Every URL write (the filter's debounce ends with one); Next wraps this again later.
  const replace = history.replaceState.bind(history);
  history.replaceState = function (data, unused, url) {
    bench.urlWrites.push(performance.now());
    return replace(data, unused, url);
  };

  const afterPaint = (fn) => requestAnimationFrame(() => setTimeout(fn, 0));
  const firstRow = () => document.querySelector(TABLE + ' tbody tr[aria-rowindex="2"]');

  const loadObserver = new MutationObserver(() => {
    const r = firstRow();
    if (bench.firstRowDom !== null || !r || r.getBoundingClientRect().height === 0) return;
    bench.firstRowDom = performance.now();
    loadObserver.disconnect();
    afterPaint(() => { bench.firstRowPaint = performance.now(); });
  });
  loadObserver.observe(document, { childList: true, subtree: true });


  const rowCount = () => {
    for (const p of document.querySelectorAll('p[aria-live="polite"]')) {
      const t = (p.textContent || '').trim();
      if (/^\d+ of \d+ rows$/.test(t)) return t;
    }
    return '';
  };

  const allObserver = new MutationObserver(() => {
    if (bench.allRows !== null || rowCount() === '') return;
    bench.allRows = performance.now();
    allObserver.disconnect();
  });
  allObserver.observe(document, { childList: true, subtree: true, characterData: true });

  /** Resolves when changed() turns true (then after the next paint), or with an error after 10 s. */
  const watch = (root, changed, t0, done) => new Promise((resolve) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      observer.disconnect();
      resolve({ error: 'no change within 10 s' });
    }, 10000);
    const check = () => {
      if (settled || !changed()) return;
      settled = true;
      const dom = performance.now() - t0;
      observer.disconnect();
      afterPaint(() => {
        clearTimeout(timer);
        resolve(done(dom, performance.now()));
      });
    };
    const observer = new MutationObserver(check);
    observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  });

  const filterInput = () => {
    const label = [...document.querySelectorAll('label')].find((l) => (l.textContent || '').trim() === 'Filter');
    return label ? label.control : null;
  };

  window.__benchProbes = {
    rowCount,
    // React keeps a props object on every element it has hydrated or rendered (__reactProps$<id>).
    hydrated() {
      const input = filterInput();
      return !!input && Object.keys(input).some((k) => k.startsWith('__reactProps$'));
    },
    clickSort(header) {
      const table = document.querySelector(TABLE);
      const th = table && [...table.querySelectorAll('thead th')].find((t) => (t.textContent || '').trim() === header);
      const button = th && th.querySelector('button');
      if (!button) return Promise.resolve({ error: 'no sortable header "' + header + '"' });
      const text = () => (firstRow() || {}).textContent || '';
      const before = text();
      const beforeSort = th.getAttribute('aria-sort');
      const t0 = performance.now();
      const p = watch(table, () => text() !== before && th.getAttribute('aria-sort') !== beforeSort, t0, (dom, painted) => ({
        dom,
        paint: painted - t0,
        ariaSort: th.getAttribute('aria-sort'),
        firstRow: text().slice(0, 80),
      }));
      button.click();
      return p;
    },
    filter(term) {
      const input = filterInput();
      if (!(input instanceof HTMLInputElement)) return Promise.resolve({ error: 'no input labelled "Filter"' });
      const before = rowCount();
      const writesBefore = bench.urlWrites.length;
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      const t0 = performance.now();
      const p = watch(document.body, () => rowCount() !== before, t0, (dom, painted) => {
        const written = bench.urlWrites.slice(writesBefore).find((t) => t >= t0);
        const w = written === undefined ? NaN : written;
        return { total: painted - t0, afterDebounce: painted - w, debounce: w - t0, countText: rowCount() };
      });
      setValue.call(input, term);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      return p;
    },
  };
})();
`;
