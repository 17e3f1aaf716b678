-- DKIM signing keys, made when a domain is created (RSA 2048 and Ed25519, RFC 8463, as two
-- selectors). The delivery worker signs outgoing mail with the active ones; the public halves are
-- published by the admin as TXT records at <selector>._domainkey.<domain>.

CREATE TYPE "dkim_algorithm" AS ENUM ('rsa_sha256', 'ed25519_sha256');

CREATE TABLE "dkim_keys" (
    "id" BIGSERIAL PRIMARY KEY,
    "domain_id" BIGINT NOT NULL REFERENCES "domains"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "selector" TEXT NOT NULL,
    "algorithm" "dkim_algorithm" NOT NULL,
    "private_key" TEXT NOT NULL,
    "public_key" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "dkim_keys_domain_id_selector_key" ON "dkim_keys"("domain_id", "selector");
