import { SetMetadata } from '@nestjs/common';
import { API_KEY_SCOPES } from '@correio/contracts';

/**
 * What an API key may do (issue 13). A session cookie (the webmail) holds every scope its account
 * has; a Bearer key holds the scopes it was created with. `admin` only on admin accounts.
 *   mail:read  — list, search, read, download (GET)
 *   mail:write — flags, keywords, moves, deletes, import, mailbox create/rename/delete
 *   mail:send  — submit mail (POST /api/v1/messages/send, drafts sent)
 *   admin      — the /api/v1/admin API
 */
export const API_SCOPES = API_KEY_SCOPES;
export type ApiScope = (typeof API_SCOPES)[number];

export const REQUIRED_SCOPE = 'correio:requiredScope';

/**
 * Declares the scope a route (or a whole controller) needs from a Bearer key. The guard answers
 * 403 `forbidden` when the key lacks it. Routes without the decorator fall back to the guard's
 * default: GET/HEAD → mail:read, anything else → mail:write.
 */
export const RequireScope = (scope: ApiScope) => SetMetadata(REQUIRED_SCOPE, scope);
