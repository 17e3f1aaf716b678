-- Mail rules (issue 15, owned by apps/api/src/rules): filters, the vacation responder and its
-- per-sender memory, forwarding, blocked and allowed senders. The delivery path reads an account's
-- rules from a per-process cache; every change to them notifies channel correio_rules with the
-- account id (row triggers below), so processes on a real PostgreSQL drop that account's entry at once.

CREATE TABLE "mail_rules" (
    "id" BIGSERIAL NOT NULL,
    "account_id" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "match_all" BOOLEAN NOT NULL DEFAULT true,
    "conditions" JSONB NOT NULL,
    "actions" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "mail_rules_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "mail_rules_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "mail_rules_account_id_id_key" ON "mail_rules"("account_id", "id");
CREATE INDEX "mail_rules_account_id_position_idx" ON "mail_rules"("account_id", "position");

CREATE TABLE "vacation_settings" (
    "account_id" BIGINT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "subject" TEXT NOT NULL DEFAULT '',
    "message" TEXT NOT NULL DEFAULT '',
    "days" INTEGER NOT NULL DEFAULT 7,
    "starts_at" TIMESTAMPTZ(3),
    "ends_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "vacation_settings_pkey" PRIMARY KEY ("account_id"),
    CONSTRAINT "vacation_settings_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- One row per (account, sender) answered; replaced when the window has passed (RFC 5230 §4.2).
CREATE TABLE "vacation_replies" (
    "account_id" BIGINT NOT NULL,
    "sender" TEXT NOT NULL,
    "replied_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "vacation_replies_pkey" PRIMARY KEY ("account_id", "sender"),
    CONSTRAINT "vacation_replies_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "forwarding_settings" (
    "account_id" BIGINT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "addresses" TEXT[] NOT NULL DEFAULT '{}',
    "keep_copy" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "forwarding_settings_pkey" PRIMARY KEY ("account_id"),
    CONSTRAINT "forwarding_settings_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "sender_rules" (
    "id" BIGSERIAL NOT NULL,
    "account_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "pattern" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "sender_rules_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sender_rules_kind_check" CHECK ("kind" IN ('block', 'allow')),
    CONSTRAINT "sender_rules_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "sender_rules_account_id_id_key" ON "sender_rules"("account_id", "id");
CREATE UNIQUE INDEX "sender_rules_account_pattern_key" ON "sender_rules"("account_id", lower("pattern"));

CREATE FUNCTION correio_rules_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('correio_rules', OLD.account_id::text);
  ELSE
    PERFORM pg_notify('correio_rules', NEW.account_id::text);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER mail_rules_changed AFTER INSERT OR UPDATE OR DELETE ON mail_rules
  FOR EACH ROW EXECUTE FUNCTION correio_rules_changed();
CREATE TRIGGER vacation_settings_changed AFTER INSERT OR UPDATE OR DELETE ON vacation_settings
  FOR EACH ROW EXECUTE FUNCTION correio_rules_changed();
CREATE TRIGGER forwarding_settings_changed AFTER INSERT OR UPDATE OR DELETE ON forwarding_settings
  FOR EACH ROW EXECUTE FUNCTION correio_rules_changed();
CREATE TRIGGER sender_rules_changed AFTER INSERT OR UPDATE OR DELETE ON sender_rules
  FOR EACH ROW EXECUTE FUNCTION correio_rules_changed();
