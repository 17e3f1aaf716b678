-- Undo send / cancel a scheduled send keeps the entry with its recipients 'cancelled' (instead of
-- deleting it), so the sender's delivery status can say so; the worker never claims them, and they
-- are purged with finished entries. (ADD VALUE inside the migration's transaction is allowed since
-- PostgreSQL 12; the value is not used in this transaction.)
ALTER TYPE "queue_state" ADD VALUE IF NOT EXISTS 'cancelled';
