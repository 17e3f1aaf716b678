-- Issue 14, accounts in the admin API.
-- last_login_at: the last successful login on any protocol (webmail, IMAP, POP3, submission),
-- written at most once a minute per account (DirectoryService.authenticate).
-- delete_requested_at: the admin asked for the account's removal; the account is disabled at once
-- and the purge worker (apps/api/src/admin/accounts/account-purge.worker.ts) deletes its mail later.
ALTER TABLE "accounts" ADD COLUMN "last_login_at" TIMESTAMPTZ(3);
ALTER TABLE "accounts" ADD COLUMN "delete_requested_at" TIMESTAMPTZ(3);
CREATE INDEX "accounts_delete_requested_idx" ON "accounts" ("delete_requested_at") WHERE "delete_requested_at" IS NOT NULL;
