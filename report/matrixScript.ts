import { createHash } from 'node:crypto';

/**
 * The matrix's filters, as the text of an inline `<script>` placed after the matrix. Progressive
 * enhancement: without JavaScript the matrix stays a plain, complete table and no control is
 * shown; with it, the script puts before the table a fieldset with one labelled `<select>` per
 * filter that has a choice to make (provider, scope, check severity, status) and a button that
 * clears them, then a live region that says `N of M clusters shown`. Native controls only, so the
 * keyboard works as everywhere else; no `eval`, no inline handlers or styles (it hides with the
 * `hidden` attribute), no dependencies.
 *
 * The markup it reads, which the template must follow:
 * - a container with `data-matrix` holding one `<table>`;
 * - in `<thead>`, one `<th data-severity="high">` per check column, in column order;
 * - in `<tbody>`, one `<tr data-provider="eks" data-provider-name="Amazon EKS" data-scope="…">`
 *   per cluster;
 * - in each row, one `<td data-status="fail">` per check column, in the same order (every check
 *   cell, `not_evaluated` ones too). In the counts layout there are no severity headers, and
 *   a count cell carries `data-status` only when its count is not zero.
 *
 * A row matches the status filter when one of its visible cells has that status; the severity
 * filter hides the other check columns. The live region is filled before it is inserted, so the
 * first count is not announced as a change. Leading spaces are stripped to keep it under 3 KB.
 */
export const MATRIX_SCRIPT = `(() => {
  const STATUSES = ['fail', 'error', 'unknown', 'waived', 'pass', 'not_applicable', 'not_evaluated'];
  const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
  const label = (key) => key[0].toUpperCase() + key.slice(1).replace('_', ' ');
  const make = (tag, props, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  };
  const all = (root, selector) => [...root.querySelectorAll(selector)];
  const known = (keys, present) => keys.filter((key) => present.includes(key)).map((key) => [key, label(key)]);
  const enhance = (box) => {
    const table = box.querySelector('table');
    if (!table) return;
    const heads = all(table, 'thead th[data-severity]');
    const rows = all(table, 'tbody tr[data-provider]');
    const cells = rows.map((row) => all(row, 'td[data-status]'));
    const selects = {};
    const bar = make('fieldset', { className: 'matrix-filters' }, make('legend', { textContent: 'Filter the matrix' }));
    const live = make('p', { className: 'matrix-count' });
    live.setAttribute('role', 'status');
    const apply = () => {
      const [provider, scope, severity, status] = ['provider', 'scope', 'severity', 'status']
        .map((key) => (selects[key] ? selects[key].value : ''));
      const columns = heads.map((head) => !severity || head.dataset.severity === severity);
      heads.forEach((head, index) => { head.hidden = !columns[index]; });
      const shown = rows.filter((row, index) => {
        const visible = cells[index].filter((cell, column) => !(cell.hidden = columns[column] === false));
        const data = row.dataset;
        row.hidden = !((!provider || data.provider === provider) && (!scope || data.scope === scope) &&
          (!status || visible.some((cell) => cell.dataset.status === status)));
        return !row.hidden;
      }).length;
      live.textContent = shown + ' of ' + rows.length + ' clusters shown' +
        (severity ? ', ' + columns.filter(Boolean).length + ' of ' + heads.length + ' checks' : '');
    };
    const add = (key, title, choices) => {
      if (choices.length < 2) return;
      const select = make('select', {}, ...[['', 'All'], ...choices].map(([value, textContent]) => make('option', { value, textContent })));
      select.addEventListener('change', apply);
      bar.append(make('label', { textContent: title + ' ' }, select));
      selects[key] = select;
    };
    add('provider', 'Provider', [...new Map(rows.map((row) => [row.dataset.provider, row.dataset.providerName]))]);
    add('scope', 'Scope', [...new Set(rows.map((row) => row.dataset.scope))].map((scope) => [scope, scope]));
    add('severity', 'Severity', known(SEVERITIES, heads.map((head) => head.dataset.severity)));
    add('status', 'Status', known(STATUSES, cells.flat().map((cell) => cell.dataset.status)));
    if (!Object.keys(selects).length) return;
    const reset = make('button', { type: 'button', textContent: 'Show all' });
    reset.addEventListener('click', () => {
      for (const key in selects) selects[key].value = '';
      apply();
    });
    bar.append(reset);
    apply();
    box.prepend(bar, live);
  };
  all(document, '[data-matrix]').forEach(enhance);
})();
`.replace(/^\s+/gm, '');

/**
 * The script's CSP source (`'sha256-…'`), for a `script-src` that allows this inline script and
 * nothing else.
 */
export const MATRIX_SCRIPT_CSP_SOURCE = `'sha256-${createHash('sha256').update(MATRIX_SCRIPT).digest('base64')}'`;
