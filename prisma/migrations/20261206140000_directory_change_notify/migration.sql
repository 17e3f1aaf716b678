-- Issue 10: the MX answers RCPT from a cache of recipient resolutions (directory/recipient-cache.ts).
-- Any change to what a resolution depends on notifies channel correio_directory, whoever makes it
-- (the API, the CLI, another worker process, plain SQL), so every process listening on a real
-- PostgreSQL server drops its cache at once. Statement-level triggers: one notification per statement,
-- and PostgreSQL folds identical notifications of one transaction into one. accounts.used_bytes
-- (changed by every delivery) and password_hash are not watched: neither changes a resolution
-- (the quota is re-checked by the delivery statement itself).
CREATE FUNCTION correio_directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('correio_directory', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER domains_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON domains
  FOR EACH STATEMENT EXECUTE FUNCTION correio_directory_changed();
CREATE TRIGGER aliases_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON aliases
  FOR EACH STATEMENT EXECUTE FUNCTION correio_directory_changed();
CREATE TRIGGER accounts_changed AFTER INSERT OR DELETE OR TRUNCATE ON accounts
  FOR EACH STATEMENT EXECUTE FUNCTION correio_directory_changed();
CREATE TRIGGER accounts_resolution_changed AFTER UPDATE OF address, disabled, quota_bytes, domain_id ON accounts
  FOR EACH STATEMENT EXECUTE FUNCTION correio_directory_changed();
