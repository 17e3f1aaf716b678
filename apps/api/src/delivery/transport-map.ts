/**
 * Static routes for outbound mail, Postfix's transport_maps in one setting:
 * "ifsc.edu=127.0.0.1:2625, example.org=[10.0.0.5]:25, *=smtp.provider.example:587".
 * A route named here is trusted (private addresses allowed); "*" is the smarthost for the rest.
 */
export interface Route {
  host: string;
  port: number;
}

export function parseTransportMap(spec: string): Map<string, Route> {
  const map = new Map<string, Route>();
  for (const entry of spec.split(',').map((e) => e.trim()).filter(Boolean)) {
    const m = /^([^=\s]+)\s*=\s*\[?([^\]\s:]+)\]?(?::(\d{1,5}))?$/.exec(entry);
    if (!m) throw new Error(`CORREIO_TRANSPORT_MAP: cannot read "${entry}" (expected domain=host:port)`);
    map.set(m[1]!.toLowerCase(), { host: m[2]!, port: Number(m[3] ?? 25) });
  }
  return map;
}
