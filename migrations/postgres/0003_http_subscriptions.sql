-- Cortado broker schema on PostgreSQL, version 3: HTTP(S) subscriptions
-- (SNS push) wait for their endpoint to confirm them with the token it was
-- sent. Existing rows are queue subscriptions, confirmed at once, so the
-- defaults describe them.
ALTER TABLE subscriptions
  ADD COLUMN pending_confirmation boolean NOT NULL DEFAULT false,
  ADD COLUMN confirmation_token text NOT NULL DEFAULT '',
  ADD COLUMN confirmation_authenticated boolean NOT NULL DEFAULT true,
  ADD COLUMN authenticate_on_unsubscribe boolean NOT NULL DEFAULT false;
