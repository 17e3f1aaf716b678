/**
 * Typed client for the Correio REST API (routes listed in @correio/contracts).
 *
 * The browser talks to same-origin /api/... only; next.config rewrites it to the API process. The
 * session lives in an httpOnly cookie the API sets; the CSRF token comes back in the body of
 * login/me and is kept here, in memory only, and sent on every state-changing request.
 * Every response body is parsed with the shared zod schema, so a contract drift fails loudly here
 * instead of rendering `undefined` somewhere in the UI.
 */
import {
  ApiError as ApiErrorBody,
  ApiKeyList,
  type CreateApiKeyRequest,
  CreatedApiKey,
  CancelSendResult,
  ComposeSettings,
  ContactSuggestions,
  CSRF_HEADER,
  DeleteMessageResult,
  DraftView,
  Identity,
  MessageDeliveryStatus,
  type SaveDraftRequest,
  SaveDraftResult,
  ScheduledMessageList,
  type SendMessageRequest,
  SendMessageResult,
  type LoginRequest,
  LoginResult,
  MailboxList,
  MessageDetail,
  MessageList,
  MessageSummary,
  type MoveMessageRequest,
  SessionInfo,
  type UpdateMessageRequest,
  type BulkAction,
  BulkResult,
  type BulkTarget,
  BulkUndoResult,
  ConversationDetail,
  ConversationList,
  type CreateLabelRequest,
  LabelList,
  LabelView,
  MessagePage,
  MessageTrust,
  MailboxView as MailboxViewSchema,
  type MailboxView as MailboxViewT,
  type UpdateLabelRequest,
} from '@correio/contracts';
import { parseSearchResult, type SearchResult } from './search-result';

const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  get isUnauthorized(): boolean {
    return this.status === 401;
  }
  get isNotFound(): boolean {
    return this.status === 404;
  }
}

let csrfToken: string | null = null;

/** Called after login/me; also exported for tests of the client. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** Any zod schema from the contracts package fits this; keeps zod out of our own imports. */
interface Schema<T> {
  parse(input: unknown): T;
}

/** Exported for the per-feature clients beside this one (account-api.ts). */
export async function request<T>(method: Method, path: string, schema: Schema<T> | null, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers[CSRF_HEADER] = csrfToken;

  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', 'Could not reach the server. Check your connection.');
  }

  if (!res.ok) throw await toApiError(res);
  if (schema === null || res.status === 204) return undefined as T;
  const json: unknown = await res.json();
  return schema.parse(json);
}

/** The CSRF header for requests made outside `request` (uploads go through XMLHttpRequest). */
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { [CSRF_HEADER]: csrfToken } : {};
}

export async function toApiError(res: Response): Promise<ApiError> {
  try {
    const parsed = ApiErrorBody.safeParse(await res.json());
    if (parsed.success) return new ApiError(res.status, parsed.data.code, parsed.data.message);
  } catch {
    // Not JSON (e.g. the proxy could not reach the API): fall through to a generic message.
  }
  if (res.status >= 500) {
    return new ApiError(res.status, 'SERVER', 'The server had a problem. Try again in a moment.');
  }
  return new ApiError(res.status, 'HTTP', `Request failed (${res.status}).`);
}

const enc = encodeURIComponent;

export const api = {
  /** A session, or (two-factor login on) `{ secondFactorRequired }`: then loginSecondFactor with a code. */
  async login(req: LoginRequest): Promise<LoginResult> {
    const result = await request('POST', '/auth/login', LoginResult, req);
    if ('csrfToken' in result) setCsrfToken(result.csrfToken);
    return result;
  },

  /** The second step of a two-factor login: a TOTP code or a recovery code. */
  async loginSecondFactor(code: string): Promise<SessionInfo> {
    const session = await request('POST', '/auth/login/second-factor', SessionInfo, { code });
    setCsrfToken(session.csrfToken);
    return session;
  },

  async me(signal?: AbortSignal): Promise<SessionInfo> {
    const session = await request('GET', '/auth/me', SessionInfo, undefined, signal);
    setCsrfToken(session.csrfToken);
    return session;
  },

  async logout(): Promise<void> {
    await request<void>('POST', '/auth/logout', null);
    setCsrfToken(null);
  },

  listMailboxes(signal?: AbortSignal): Promise<MailboxList> {
    return request('GET', '/mailboxes', MailboxList, undefined, signal);
  },

  listMessages(mailboxId: string, opts: { limit?: number; cursor?: string | null } = {}, signal?: AbortSignal): Promise<MessageList> {
    const qs = new URLSearchParams({ limit: String(opts.limit ?? 50) });
    if (opts.cursor) qs.set('cursor', opts.cursor);
    return request('GET', `/mailboxes/${enc(mailboxId)}/messages?${qs}`, MessageList, undefined, signal);
  },

  getMessage(id: string, opts: { remote?: 'block' | 'allow' } = {}, signal?: AbortSignal): Promise<MessageDetail> {
    const qs = opts.remote === 'allow' ? '?remote=allow' : '';
    return request('GET', `/messages/${enc(id)}${qs}`, MessageDetail, undefined, signal);
  },

  updateMessage(id: string, patch: UpdateMessageRequest): Promise<MessageSummary> {
    return request('PATCH', `/messages/${enc(id)}`, MessageSummary, patch);
  },

  moveMessage(id: string, mailboxId: MoveMessageRequest['mailboxId']): Promise<MessageSummary> {
    const body: MoveMessageRequest = { mailboxId };
    return request('POST', `/messages/${enc(id)}/move`, MessageSummary, body);
  },

  deleteMessage(id: string): Promise<DeleteMessageResult> {
    return request('DELETE', `/messages/${enc(id)}`, DeleteMessageResult);
  },

  // ---- compose (issue 9). Uploads use XMLHttpRequest for progress: see lib/upload.ts.

  deleteUpload(id: string): Promise<void> {
    return request<void>('DELETE', `/uploads/${enc(id)}`, null);
  },

  /** New draft (no id) or a replacement of `id`; the answer's id is the one to use next time. */
  saveDraft(id: string | null, draft: SaveDraftRequest): Promise<SaveDraftResult> {
    return request('PUT', id ? `/drafts/${enc(id)}` : '/drafts', SaveDraftResult, draft);
  },

  getDraft(id: string, signal?: AbortSignal): Promise<DraftView> {
    return request('GET', `/drafts/${enc(id)}`, DraftView, undefined, signal);
  },

  deleteDraft(id: string): Promise<void> {
    return request<void>('DELETE', `/drafts/${enc(id)}`, null);
  },

  sendMessage(req: SendMessageRequest): Promise<SendMessageResult> {
    return request('POST', '/messages/send', SendMessageResult, req);
  },

  cancelSend(queueId: string, sentId: string | null): Promise<CancelSendResult> {
    return request('POST', `/messages/send/${enc(queueId)}/cancel`, CancelSendResult, sentId ? { sentId } : {});
  },

  suggestContacts(q: string, limit = 8, signal?: AbortSignal): Promise<ContactSuggestions> {
    const qs = new URLSearchParams({ q, limit: String(limit) });
    return request('GET', `/contacts/suggest?${qs}`, ContactSuggestions, undefined, signal);
  },

  composeSettings(signal?: AbortSignal): Promise<ComposeSettings> {
    return request('GET', '/compose/settings', ComposeSettings, undefined, signal);
  },

  updateComposeSettings(undoSendSeconds: number): Promise<ComposeSettings> {
    return request('PATCH', '/compose/settings', ComposeSettings, { undoSendSeconds });
  },

  updateSignature(address: string, html: string): Promise<Identity> {
    return request('PUT', `/compose/signatures/${enc(address)}`, Identity, { html });
  },

  listScheduled(signal?: AbortSignal): Promise<ScheduledMessageList> {
    return request('GET', '/messages/scheduled', ScheduledMessageList, undefined, signal);
  },

  deliveryStatus(id: string, signal?: AbortSignal): Promise<MessageDeliveryStatus> {
    return request('GET', `/messages/${enc(id)}/delivery`, MessageDeliveryStatus, undefined, signal);
  },

  // ---- API keys for programs (issue 13); the session manages them, a key cannot.

  listApiKeys(signal?: AbortSignal): Promise<ApiKeyList> {
    return request('GET', '/api-keys', ApiKeyList, undefined, signal);
  },

  /** The answer's `key` is the only time the secret is shown. */
  createApiKey(req: CreateApiKeyRequest): Promise<CreatedApiKey> {
    return request('POST', '/api-keys', CreatedApiKey, req);
  },

  revokeApiKey(id: string): Promise<void> {
    return request<void>('DELETE', `/api-keys/${enc(id)}`, null);
  },

  // ---- webmail (issue 12): conversations, labels, bulk actions with undo, trust signals

  listConversations(
    view: { mailboxId?: string; labelId?: string },
    opts: { limit?: number; cursor?: string | null } = {},
    signal?: AbortSignal,
  ): Promise<ConversationList> {
    const qs = new URLSearchParams({ limit: String(opts.limit ?? 50) });
    if (view.mailboxId) qs.set('mailboxId', view.mailboxId);
    if (view.labelId) qs.set('labelId', view.labelId);
    if (opts.cursor) qs.set('cursor', opts.cursor);
    return request('GET', `/conversations?${qs}`, ConversationList, undefined, signal);
  },

  getConversation(threadId: string, mailboxId: string | null, signal?: AbortSignal): Promise<ConversationDetail> {
    const qs = mailboxId ? `?mailboxId=${enc(mailboxId)}` : '';
    return request('GET', `/conversations/${enc(threadId)}${qs}`, ConversationDetail, undefined, signal);
  },

  /** The flat list of a folder with each message's labels (conversation view off). */
  listPage(mailboxId: string, opts: { limit?: number; cursor?: string | null } = {}, signal?: AbortSignal): Promise<MessagePage> {
    const qs = new URLSearchParams({ limit: String(opts.limit ?? 50) });
    if (opts.cursor) qs.set('cursor', opts.cursor);
    return request('GET', `/mailboxes/${enc(mailboxId)}/page?${qs}`, MessagePage, undefined, signal);
  },

  /** Gmail-syntax search across mailboxes, newest first (GET /messages?q=, from the mail-api branch). */
  search(q: string, opts: { limit?: number; cursor?: string | null } = {}, signal?: AbortSignal): Promise<SearchResult> {
    const qs = new URLSearchParams({ q, limit: String(opts.limit ?? 50) });
    if (opts.cursor) qs.set('cursor', opts.cursor);
    return request('GET', `/messages?${qs}`, { parse: parseSearchResult }, undefined, signal);
  },

  listLabels(signal?: AbortSignal): Promise<LabelList> {
    return request('GET', '/labels', LabelList, undefined, signal);
  },

  createLabel(req: CreateLabelRequest): Promise<LabelView> {
    return request('POST', '/labels', LabelView, req);
  },

  updateLabel(id: string, req: UpdateLabelRequest): Promise<LabelView> {
    return request('PATCH', `/labels/${enc(id)}`, LabelView, req);
  },

  deleteLabel(id: string): Promise<void> {
    return request<void>('DELETE', `/labels/${enc(id)}`, null);
  },

  bulk(target: BulkTarget, action: BulkAction): Promise<BulkResult> {
    return request('POST', '/bulk', BulkResult, { target, action });
  },

  bulkUndo(token: string): Promise<BulkUndoResult> {
    return request('POST', '/bulk/undo', BulkUndoResult, { token });
  },

  trust(id: string, signal?: AbortSignal): Promise<MessageTrust> {
    return request('GET', `/messages/${enc(id)}/trust`, MessageTrust, undefined, signal);
  },

  /** Folders (mail-api branch): "/" in a name nests it ("Projects/2026"). */
  createMailbox(name: string): Promise<MailboxViewT> {
    return request('POST', '/mailboxes', MailboxViewSchema, { name });
  },

  renameMailbox(id: string, name: string): Promise<MailboxViewT> {
    return request('PATCH', `/mailboxes/${enc(id)}`, MailboxViewSchema, { name });
  },

  deleteMailbox(id: string): Promise<void> {
    return request<void>('DELETE', `/mailboxes/${enc(id)}`, null);
  },

  /** Plain links (the cookie authenticates them); the browser downloads them itself. */
  rawUrl(id: string): string {
    return `${BASE}/messages/${enc(id)}/raw`;
  },

  attachmentUrl(id: string, index: number): string {
    return `${BASE}/messages/${enc(id)}/attachments/${index}`;
  },
};

export type { SearchHit, SearchResult } from './search-result';
export type {
  AccountSummary,
  ApiKeyScope,
  ApiKeyView,
  CreatedApiKey,
  BulkAction,
  BulkTarget,
  ConversationDetail,
  ConversationSummary,
  LabelView,
  MessageTrust,
  WebmailMessage,
  Address,
  AttachmentRef,
  AttachmentView,
  ComposeSettings,
  ContactSuggestion,
  DraftAttachment,
  DraftView,
  Identity,
  MessageDeliveryStatus,
  RecipientDelivery,
  SaveDraftRequest,
  SaveDraftResult,
  ScheduledMessage,
  SendMessageRequest,
  SendMessageResult,
  UploadView,
  MailboxView,
  MessageDetail,
  MessageSummary,
  SessionInfo,
  SpecialUse,
} from '@correio/contracts';
