/** Header bytes read at most: a longer header section is abuse, and the rest is not looked at. */
export const MAX_HEADER_BYTES = 256 * 1024;

/**
 * The header section of a raw message as lower-case name → unfolded values, in order (RFC 5322
 * §2.2.3). Values are not RFC 2047-decoded: the filters' "any header" compares what was sent.
 */
export function parseHeaderFields(raw: Buffer): Map<string, string[]> {
  const head = raw.subarray(0, Math.min(raw.length, MAX_HEADER_BYTES));
  let end = head.indexOf('\r\n\r\n');
  if (end < 0) end = head.indexOf('\n\n');
  const text = head.subarray(0, end < 0 ? head.length : end).toString('utf8');
  const out = new Map<string, string[]>();
  let name = '';
  let value = '';
  const flush = () => {
    if (!name) return;
    const list = out.get(name);
    if (list) list.push(value.trim());
    else out.set(name, [value.trim()]);
  };
  for (const line of text.split(/\r?\n/)) {
    if (/^[ \t]/.test(line)) {
      value += ` ${line.trim()}`;
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    value = colon > 0 ? line.slice(colon + 1) : '';
  }
  flush();
  return out;
}
