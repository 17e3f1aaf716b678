-- Issue 14: the admin audit log. Every admin API action (who, what, on what, from where, when).
-- Insert-only: a trigger refuses UPDATE and DELETE (and TRUNCATE) for every role, the table owner
-- included — REVOKE would not bind the owner, which is the role the application connects as.
CREATE TABLE "admin_audit" (
  "id"            BIGSERIAL PRIMARY KEY,
  "actor_id"      BIGINT,                 -- no foreign key: the entry outlives the account
  "actor_address" TEXT NOT NULL,
  "action"        TEXT NOT NULL,          -- e.g. account.create, queue.hold
  "target"        TEXT,                   -- the address, domain or queue id acted on
  "details"       JSONB NOT NULL DEFAULT '{}'::jsonb,
  "ip"            TEXT,
  "at"            TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
-- Keyset pages newest first, optionally for one actor or one action.
CREATE INDEX "admin_audit_actor_idx" ON "admin_audit" ("actor_address", "id" DESC);
CREATE INDEX "admin_audit_action_idx" ON "admin_audit" ("action", "id" DESC);

CREATE FUNCTION "admin_audit_insert_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'admin_audit is insert-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER "admin_audit_no_update_delete" BEFORE UPDATE OR DELETE ON "admin_audit"
  FOR EACH ROW EXECUTE FUNCTION "admin_audit_insert_only"();
CREATE TRIGGER "admin_audit_no_truncate" BEFORE TRUNCATE ON "admin_audit"
  FOR EACH STATEMENT EXECUTE FUNCTION "admin_audit_insert_only"();
