-- Failed logins per hour, on every protocol (webmail/API, IMAP, POP3, submission), for the admin
-- overview's "failed logins in the last 24 hours". Each process counts its failures in memory and adds
-- them here every 30 s and at shutdown (one upsert per hour bucket), so an attack's failures cost no
-- write each and the figure survives restarts and covers every process. Owned by the directory module.
CREATE TABLE "login_failures_hourly" (
  "hour" TIMESTAMPTZ NOT NULL PRIMARY KEY,
  "failures" BIGINT NOT NULL
);
