/**
 * Blocked and allowed senders of an account: exact addresses and domains (a domain also covers its
 * subdomains). The most specific entry decides: an allowed address inside a blocked domain is allowed.
 */
export class SenderLists {
  private readonly entries: Map<string, 'block' | 'allow'>;

  constructor(senders: { kind: 'block' | 'allow'; pattern: string }[]) {
    this.entries = new Map(senders.map((s) => [s.pattern.toLowerCase(), s.kind]));
  }

  get isEmpty(): boolean {
    return this.entries.size === 0;
  }

  verdict(address: string): 'block' | 'allow' | undefined {
    if (this.entries.size === 0 || !address) return undefined;
    const a = address.toLowerCase();
    const exact = this.entries.get(a);
    if (exact) return exact;
    let domain = a.slice(a.lastIndexOf('@') + 1);
    for (;;) {
      const hit = this.entries.get(domain);
      if (hit) return hit;
      const dot = domain.indexOf('.');
      if (dot < 0 || domain.indexOf('.', dot + 1) < 0) return undefined;
      domain = domain.slice(dot + 1);
    }
  }
}
