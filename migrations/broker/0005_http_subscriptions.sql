-- HTTP(S) subscriptions (SNS push): a subscription waits for its endpoint to
-- confirm it with the token it was sent. Existing rows are queue
-- subscriptions, confirmed at once, so the defaults describe them.
ALTER TABLE subscriptions ADD COLUMN pending_confirmation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscriptions ADD COLUMN confirmation_token TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN confirmation_authenticated INTEGER NOT NULL DEFAULT 1;
ALTER TABLE subscriptions ADD COLUMN authenticate_on_unsubscribe INTEGER NOT NULL DEFAULT 0;
