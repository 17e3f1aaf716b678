/**
 * The REST calls of the mail-rules settings (issue 15): filters, Sieve, vacation, forwarding,
 * blocked and allowed senders. Same rules as lib/api.ts: same-origin /api/v1, the CSRF header on
 * changes, every answer parsed with the shared contract.
 */
import {
  FilterList,
  type FilterRequest,
  FilterView,
  type ForwardingRequest,
  ForwardingView,
  SenderRuleList,
  type SenderRuleRequest,
  SenderRuleView,
  SieveScript,
  type VacationRequest,
  VacationView,
} from '@correio/contracts';
import { csrfHeaders, toApiError } from '@/lib/api';

interface Schema<T> {
  parse(input: unknown): T;
}

async function call<T>(method: string, path: string, schema: Schema<T> | null, body?: unknown): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(method !== 'GET' ? csrfHeaders() : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (!res.ok) throw await toApiError(res);
  if (schema === null || res.status === 204) return undefined as T;
  return schema.parse(await res.json());
}

export const rulesApi = {
  filters: () => call('GET', '/filters', FilterList),
  createFilter: (f: FilterRequest) => call('POST', '/filters', FilterView, f),
  updateFilter: (id: string, f: FilterRequest) => call('PUT', `/filters/${encodeURIComponent(id)}`, FilterView, f),
  deleteFilter: (id: string) => call('DELETE', `/filters/${encodeURIComponent(id)}`, null),
  reorderFilters: (ids: string[]) => call('PUT', '/filters/order', FilterList, { ids }),
  exportSieve: () => call('GET', '/filters/sieve', SieveScript),
  importSieve: (script: string) => call('PUT', '/filters/sieve', FilterList, { script }),
  vacation: () => call('GET', '/vacation', VacationView),
  setVacation: (v: VacationRequest) => call('PUT', '/vacation', VacationView, v),
  forwarding: () => call('GET', '/forwarding', ForwardingView),
  setForwarding: (f: ForwardingRequest) => call('PUT', '/forwarding', ForwardingView, f),
  senders: () => call('GET', '/senders', SenderRuleList),
  putSender: (s: SenderRuleRequest) => call('POST', '/senders', SenderRuleView, s),
  deleteSender: (id: string) => call('DELETE', `/senders/${encodeURIComponent(id)}`, null),
};
