import { CSRF_HEADER } from '@correio/contracts';

/** A tiny cookie-keeping REST client for tests (real HTTP over a socket, like a browser). */
export class HttpClient {
  private cookie = '';
  csrfToken = '';

  constructor(
    private readonly baseUrl: string,
    /** Sent as User-Agent when set (the session list shows the device it names). */
    private readonly userAgent?: string,
  ) {}

  async login(address: string, password: string): Promise<Response> {
    const res = await this.request('POST', '/api/v1/auth/login', { address, password });
    if (res.ok) this.csrfToken = ((await res.clone().json()) as { csrfToken: string }).csrfToken;
    return res;
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrfToken && method !== 'GET' ? { [CSRF_HEADER]: this.csrfToken } : {}),
        ...(this.userAgent ? { 'user-agent': this.userAgent } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const setCookie = res.headers.getSetCookie();
    // One cookie per name (the session's, or a login's second-factor challenge); an empty value clears it.
    for (const c of setCookie) {
      const pair = c.split(';')[0]!;
      const name = pair.slice(0, pair.indexOf('='));
      const kept = this.cookie.split('; ').filter((p) => p && !p.startsWith(`${name}=`));
      if (!pair.endsWith('=')) kept.push(pair);
      this.cookie = kept.join('; ');
    }
    return res;
  }

  /** POST multipart/form-data (fetch sets the boundary), with the session cookie and CSRF token. */
  async upload(path: string, form: FormData): Promise<Response> {
    return fetch(this.baseUrl + path, {
      method: 'POST',
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...(this.csrfToken ? { [CSRF_HEADER]: this.csrfToken } : {}) },
      body: form,
    });
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request(method, path, body);
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}

/** A multipart form with one file in the `file` field (POST /api/v1/uploads). */
export function fileForm(name: string, type: string, content: Buffer): FormData {
  const form = new FormData();
  form.append('file', new Blob([content], { type }), name);
  return form;
}
