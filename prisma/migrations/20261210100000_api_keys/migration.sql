-- Issue 13: API keys for programs. The key is shown once; only its SHA-256 is kept (keys are 256
-- random bits, so a fast hash is enough: nobody can brute-force the preimage). A request finds its
-- key by that hash (unique index); the prefix is the public, greppable part shown in lists.
CREATE TABLE "api_keys" (
    "id" BIGSERIAL PRIMARY KEY,
    "account_id" BIGINT NOT NULL REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "scopes" TEXT[] NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "last_used_ip" TEXT
);
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys"("prefix");
-- Invariant 4: every query of this table filters by account.
CREATE UNIQUE INDEX "api_keys_account_id_id_key" ON "api_keys"("account_id", "id");
