/** RFC 6266 Content-Disposition with an ASCII fallback and the RFC 8187 UTF-8 filename*. */
export function contentDisposition(type: 'attachment' | 'inline', filename: string): string {
  const safe = filename.replace(/[\r\n"\\/]/g, '_').slice(0, 200);
  const ascii = safe.replace(/[^\x20-\x7e]/g, '_');
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(safe)}`;
}
