-- Issue 15 (security15): app passwords for mail clients, TOTP two-factor login, recovery codes,
-- and logins waiting for their second factor.
CREATE TABLE "app_passwords" (
  "id" BIGSERIAL PRIMARY KEY,
  "account_id" BIGINT NOT NULL REFERENCES "accounts"("id") ON DELETE CASCADE,
  "name" TEXT NOT NULL,
  "prefix" TEXT NOT NULL,
  "password_hash" TEXT NOT NULL,
  "protocols" TEXT[] NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "last_used_at" TIMESTAMPTZ(3),
  "last_used_ip" TEXT
);
CREATE UNIQUE INDEX "app_passwords_prefix_key" ON "app_passwords" ("prefix");
CREATE UNIQUE INDEX "app_passwords_account_id_id_key" ON "app_passwords" ("account_id", "id");

CREATE TABLE "account_totp" (
  "account_id" BIGINT PRIMARY KEY REFERENCES "accounts"("id") ON DELETE CASCADE,
  "secret" TEXT NOT NULL,
  "enabled_at" TIMESTAMPTZ(3),
  "last_step" BIGINT NOT NULL DEFAULT 0,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "recovery_codes" (
  "id" BIGSERIAL PRIMARY KEY,
  "account_id" BIGINT NOT NULL REFERENCES "accounts"("id") ON DELETE CASCADE,
  "code_hash" TEXT NOT NULL,
  "used_at" TIMESTAMPTZ(3)
);
CREATE UNIQUE INDEX "recovery_codes_account_id_code_hash_key" ON "recovery_codes" ("account_id", "code_hash");

CREATE TABLE "login_challenges" (
  "id" BIGSERIAL PRIMARY KEY,
  "account_id" BIGINT NOT NULL REFERENCES "accounts"("id") ON DELETE CASCADE,
  "token_hash" TEXT NOT NULL,
  "ip" TEXT NOT NULL DEFAULT '',
  "user_agent" TEXT NOT NULL DEFAULT '',
  "failures" INTEGER NOT NULL DEFAULT 0,
  "expires_at" TIMESTAMPTZ(3) NOT NULL
);
CREATE UNIQUE INDEX "login_challenges_token_hash_key" ON "login_challenges" ("token_hash");
CREATE INDEX "login_challenges_account_id_idx" ON "login_challenges" ("account_id");
