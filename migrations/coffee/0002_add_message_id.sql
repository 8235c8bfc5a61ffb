-- The id of the queue message an order came from. Delivery is at least
-- once (a consumer can die between its commit and its DeleteMessage), so the
-- consumer inserts with ON CONFLICT (message_id) DO NOTHING: a redelivered
-- message finds its row and adds none. Nullable, because rows typed in by
-- hand (psql) have no message.
ALTER TABLE coffee_orders ADD COLUMN message_id VARCHAR(100);
ALTER TABLE coffee_orders
    ADD CONSTRAINT coffee_orders_message_id_key UNIQUE (message_id);
