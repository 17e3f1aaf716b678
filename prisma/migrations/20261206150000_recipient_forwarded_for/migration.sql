-- A queued recipient that is a local alias's external forward, queued by the send path, records the
-- address the sender wrote: the sender's delivery status and undo never show the forward target.
ALTER TABLE "outbound_recipients" ADD COLUMN "forwarded_for" TEXT;
