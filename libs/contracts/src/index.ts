/**
 * @correio/contracts — the REST API's request and response shapes, shared by apps/api (validation,
 * OpenAPI) and apps/web (typed fetches). All routes live under /api/v1; ids are decimal strings.
 *
 * Routes (cookie session; state-changing requests also need the X-CSRF-Token header):
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
 *   GET    /api/health                   → { status, database }
 *   Webmail (issue 12): conversations, labels, counts, bulk + undo, trust — see webmail.ts
 */
export * from './auth.js';
export * from './mail.js';
export * from './errors.js';
export * from './admin-queue.js';
export * from './compose.js';
export * from './compose-parts.js';
export * from './webmail.js';
