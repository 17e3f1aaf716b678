/**
 * @correio/contracts — the REST API's request and response shapes, shared by apps/api (validation,
 * OpenAPI) and apps/web (typed fetches). All routes live under /api/v1; ids are decimal strings.
 *
 * Routes (cookie session, whose state-changing requests also need the X-CSRF-Token header, or
 * `Authorization: Bearer <API key>` with the route's scope):
 *   POST   /api/v1/auth/login            LoginRequest → SessionInfo (sets the session cookie)
 *   POST   /api/v1/auth/logout           → 204
 *   GET    /api/v1/auth/me               → SessionInfo
 *   GET    /api/v1/mailboxes             → MailboxList
 *   GET    /api/v1/mailboxes/:id/messages?limit&cursor → MessageList (newest first)
 *   GET    /api/v1/messages/:id?remote=block|allow     → MessageDetail
 *   GET    /api/v1/messages/:id/raw      → message/rfc822 (.eml)
 *   GET    /api/v1/messages/:id/attachments/:index → the attachment's bytes
 *   PATCH  /api/v1/messages/:id          UpdateMessageRequest → MessageSummary
 *   POST   /api/v1/messages/:id/move     MoveMessageRequest → MessageSummary
 *   POST   /api/v1/messages/send         SendMessageRequest → SendMessageResult (201)
 *   POST   /api/v1/messages/send/:queueId/cancel  CancelSendRequest → CancelSendResult (409 once started)
 *   DELETE /api/v1/messages/:id          → DeleteMessageResult
 *   GET    /api/v1/admin/queue?state&domain&sender&limit&cursor → QueueEntryList (admin)
 *   GET    /api/v1/admin/queue/:id       → QueueEntryDetail (admin)
 *   GET    /api/v1/admin/queue/:id/recipients/:recipientId/attempts → QueueAttemptList (admin)
 *   POST   /api/v1/admin/queue/:id/retry | /hold | /release → QueueActionResult (admin)
 *   DELETE /api/v1/admin/queue/:id       → 204 (admin; 409 while a worker delivers it)
 *   POST   /api/v1/uploads               multipart/form-data (field `file`) → UploadView (201)
 *   DELETE /api/v1/uploads/:id           → 204
 *   PUT    /api/v1/drafts                SaveDraftRequest → SaveDraftResult (new draft)
 *   PUT    /api/v1/drafts/:id            SaveDraftRequest → SaveDraftResult (replaces it in place)
 *   GET    /api/v1/drafts/:id            → DraftView
 *   DELETE /api/v1/drafts/:id            → 204 (discard)
 *   GET    /api/v1/contacts/suggest?q&limit → ContactSuggestions
 *   GET    /api/v1/compose/settings      → ComposeSettings
 *   PATCH  /api/v1/compose/settings      UpdateComposeSettingsRequest → ComposeSettings
 *   PUT    /api/v1/compose/signatures/:address UpdateSignatureRequest → Identity
 *   GET    /api/v1/messages/scheduled    → ScheduledMessageList
 *   GET    /api/v1/messages/:id/delivery → MessageDeliveryStatus
 *   POST   /api/v1/api-keys              CreateApiKeyRequest → CreatedApiKey (201; session only, never a key)
 *   GET    /api/v1/api-keys              → ApiKeyList (session only)
 *   DELETE /api/v1/api-keys/:id          → 204 (revoked at once; session only)
 *   GET    /api/health                   → { status, database }
 *   Mail for programs (mail-api.ts):
 *   GET    /api/v1/messages?q&mailboxId&limit&cursor → SearchResult (Gmail's search syntax; 400 with details.position)
 *   POST   /api/v1/mailboxes             CreateMailboxRequest → MailboxView (201; 409 exists)
 *   PATCH  /api/v1/mailboxes/:id         RenameMailboxRequest → MailboxView
 *   DELETE /api/v1/mailboxes/:id         → 204 (its messages go with it)
 *   POST   /api/v1/mailboxes/:id/messages?flags&keywords&date  message/rfc822 → ImportMessageResult (201; 413, 415)
 *   PATCH  /api/v1/messages/:id          UpdateFlagsRequest (flags and keywords) → MessageFlagsView
 *   POST   /api/v1/messages/send         also multipart/form-data (field message = JSON, files); Idempotency-Key header
 *   GET    /api/v1/messages/send/:queueId → MessageDeliveryStatus (per recipient)
 *   POST   /api/v1/webhooks              CreateWebhookRequest → CreatedWebhook (201; the secret only here)
 *   GET    /api/v1/webhooks              → WebhookList
 *   GET    /api/v1/webhooks/:id          → WebhookView
 *   PATCH  /api/v1/webhooks/:id          UpdateWebhookRequest → WebhookView
 *   DELETE /api/v1/webhooks/:id          → 204
 *   GET    /api/v1/webhooks/:id/deliveries?limit&cursor → WebhookDeliveryList
 *   POST   /api/v1/webhooks/:id/deliveries/:deliveryId/redeliver → WebhookDeliveryView (202)
 *   GET    /api/v1/events?after           → text/event-stream of AccountEvent (Last-Event-ID resumes)
 *   Webmail (issue 12): conversations, labels, counts, bulk + undo, trust — see webmail.ts
 *   Account settings and security (issue 15): /api/v1/account/*, /auth/login/second-factor — see account-security.ts
 */
export * from './auth.js';
export * from './mail.js';
export * from './errors.js';
export * from './admin-queue.js';
export * from './admin.js';
export * from './admin-overview.js';
export * from './compose.js';
export * from './compose-parts.js';
export * from './api-keys.js';
export * from './mail-api.js';
export * from './webhooks.js';
export * from './webmail.js';
// Issue 15 (security15): account settings, sessions, app passwords, two-factor login.
export * from './account-security.js';
// Mail rules (issue 15): filters, Sieve, vacation, forwarding, blocked/allowed senders — see mail-rules.ts
export * from './mail-rules.js';
