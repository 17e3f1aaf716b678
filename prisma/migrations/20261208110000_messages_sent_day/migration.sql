-- SENTBEFORE / SENTON / SENTSINCE compare the date in the Date: header "disregarding time and
-- timezone" (RFC 9051 §6.4.4): the calendar day as the sender wrote it, which sent_date (a UTC
-- instant) has lost — "Mon, 07 Dec 2026 01:30 +0900" is 6 Dec in UTC but was sent ON 7 Dec. The
-- delivery statement fills sent_day from the header (search-text.ts sentDayOf; no extra statement).
ALTER TABLE "messages" ADD COLUMN "sent_day" DATE;
-- Existing rows, best effort: the UTC day of sent_date (right whenever the sender's offset did not
-- cross midnight UTC; the header's own day would need every blob re-read).
UPDATE "messages" SET "sent_day" = ("sent_date" AT TIME ZONE 'UTC')::date WHERE "sent_date" IS NOT NULL;
