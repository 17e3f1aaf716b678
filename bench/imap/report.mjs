// The benchmark's result table: metric, Dovecot, Correio, how many times faster Correio is, the
// issue's target and whether it is met.

/** rows: [{ metric, unit, dovecot, correio, higherIsBetter, target: { text, min?, max?, of } }] */
export function formatTable(rows) {
  const head = ['metric', 'Dovecot', 'Correio', 'Correio speed-up', 'target', 'met'];
  const fmt = (v, unit) => (v === undefined || v === null || Number.isNaN(v) ? '—' : `${v >= 100 ? v.toFixed(0) : v.toFixed(v >= 10 ? 1 : 2)} ${unit}`);
  const body = rows.map((r) => {
    const haveBoth = typeof r.dovecot === 'number' && typeof r.correio === 'number';
    const speedup = haveBoth ? (r.higherIsBetter ? r.correio / r.dovecot : r.dovecot / r.correio) : undefined;
    let met = '—';
    if (r.target.minSpeedup !== undefined && speedup !== undefined) met = speedup >= r.target.minSpeedup ? 'yes' : 'NO';
    if (r.target.maxCorreio !== undefined && typeof r.correio === 'number') met = r.correio < r.target.maxCorreio ? 'yes' : 'NO';
    return [r.metric, fmt(r.dovecot, r.unit), fmt(r.correio, r.unit), speedup === undefined ? '—' : `${speedup.toFixed(2)}×`, r.target.text, met];
  });
  const left = (i) => i === 0 || i === 4;
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (left(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (left(i) ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), sep, ...body.map(line)].join('\n');
}
