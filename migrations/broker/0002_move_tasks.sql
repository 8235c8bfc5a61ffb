-- Message move tasks (StartMessageMoveTask). A task's progress is written in
-- the same transaction as the messages it moved, so it resumes exactly after
-- a crash. One row per task; finished tasks are kept for ListMessageMoveTasks.
CREATE TABLE move_tasks (
  task_handle TEXT PRIMARY KEY,
  source_queue_id INTEGER NOT NULL,
  source_arn TEXT NOT NULL,
  destination_arn TEXT NOT NULL DEFAULT '',  -- '' = each message's source
  max_per_second INTEGER NOT NULL DEFAULT 0, -- 0 = unlimited
  status TEXT NOT NULL,
  moved INTEGER NOT NULL DEFAULT 0,
  to_move INTEGER NOT NULL DEFAULT 0,
  last_sequence INTEGER NOT NULL,            -- newer messages are not moved
  failure_reason TEXT NOT NULL DEFAULT '',
  started_us INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX move_tasks_by_source ON move_tasks(source_queue_id);
