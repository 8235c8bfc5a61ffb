-- bench/sqs_cycle.lua: the SQS JSON message cycle for wrk (docs/PERFORMANCE.md).
--
-- Every connection runs SendMessage -> ReceiveMessage -> DeleteMessage (or
-- the Batch forms with BATCH=2..10) over and over on one keep-alive
-- connection, each request sent once the previous answer is in. wrk's Lua
-- API has one state per thread and no connection identity, so run it with
-- as many threads as connections (-t16 -c16): then the thread's state is the
-- connection's state and the cycle is exact.
--
-- Environment: QUEUE_URL (required), BATCH (1), BODY_BYTES (100), WAIT (1:
-- WaitTimeSeconds of the receive; every connection sends before it
-- receives, so a receive always finds at least as many messages as it asks
-- for and never parks), CYCLE (send,receive,delete: a prefix of it,
-- "send" or "send,receive", lets a profile tell the three requests apart by
-- difference), CYCLES (0 = no limit: the thread stops after that many
-- cycles, so a profile can count a fixed number of requests). Pointed at a server that answers every request
-- with one fixed ReceiveMessage-shaped body (bench/wrk_sqs.sh's nginx), the
-- same script costs the client the same, which gives the HTTP ceiling.
--
-- At the end it prints one line:
--   RESULT label=... msgs_per_s=... req_per_s=... messages=... requests=...
--          empty_receives=... errors=... p50_us=... p99_us=...
-- where a message counts once the cycle's last request is answered.

local queue_url = os.getenv("QUEUE_URL") or error("QUEUE_URL is not set")
local batch = tonumber(os.getenv("BATCH") or "1")
local body_bytes = tonumber(os.getenv("BODY_BYTES") or "100")
local wait = tonumber(os.getenv("WAIT") or "1")
local label = os.getenv("LABEL") or "wrk-sqs"
local cycle = os.getenv("CYCLE") or "send,receive,delete"
local max_cycles = tonumber(os.getenv("CYCLES") or "0")
local do_receive = string.find(cycle, "receive", 1, true) ~= nil
local do_delete = string.find(cycle, "delete", 1, true) ~= nil

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- Per thread (= per connection) from here on.
local message_body = string.rep("x", body_bytes)
local url_json = '"' .. queue_url .. '"'
local headers = {
  ["Content-Type"] = "application/x-amz-json-1.0",
}
local send_request, receive_body
local step = "send"     -- the request in flight
local handles = {}      -- receipt handles of the last receive
messages = 0            -- globals, read by done() through thread:get
empty_receives = 0
errors = 0
local cycles = 0

local function post(target, body)
  headers["X-Amz-Target"] = target
  return wrk.format("POST", "/", headers, body)
end

function init(args)
  if batch == 1 then
    send_request = post("AmazonSQS.SendMessage",
      '{"QueueUrl":' .. url_json .. ',"MessageBody":"' .. message_body .. '"}')
  else
    local entries = {}
    for i = 1, batch do
      entries[i] = '{"Id":"' .. i .. '","MessageBody":"' .. message_body .. '"}'
    end
    send_request = post("AmazonSQS.SendMessageBatch",
      '{"QueueUrl":' .. url_json .. ',"Entries":[' ..
      table.concat(entries, ",") .. ']}')
  end
  receive_body = post("AmazonSQS.ReceiveMessage",
    '{"QueueUrl":' .. url_json .. ',"MaxNumberOfMessages":' .. batch ..
    ',"WaitTimeSeconds":' .. wait .. '}')
end

local function delete_request()
  if #handles == 1 then
    return post("AmazonSQS.DeleteMessage",
      '{"QueueUrl":' .. url_json .. ',"ReceiptHandle":"' .. handles[1] .. '"}')
  end
  local entries = {}
  for i, handle in ipairs(handles) do
    entries[i] = '{"Id":"' .. i .. '","ReceiptHandle":"' .. handle .. '"}'
  end
  return post("AmazonSQS.DeleteMessageBatch",
    '{"QueueUrl":' .. url_json .. ',"Entries":[' ..
    table.concat(entries, ",") .. ']}')
end

-- Called when a cycle ends (after its last request's answer).
local function cycle_done()
  step = "send"
  cycles = cycles + 1
  if max_cycles > 0 and cycles >= max_cycles then wrk.thread:stop() end
end

function request()
  if step == "send" then return send_request end
  if step == "receive" then return receive_body end
  return delete_request()
end

function response(status, headers, body)
  -- A batch answers 200 with per-entry failures: those are errors too.
  if status ~= 200 or string.find(body, '"Failed":[{', 1, true) then
    errors = errors + 1
    if errors <= 3 then
      io.stderr:write("sqs_cycle.lua: ", step, " answered ", status, ": ",
        string.sub(body, 1, 200), "\n")
    end
    step = "send"  -- start the cycle again
    return
  end
  if step == "send" then
    if do_receive then
      step = "receive"
    else
      messages = messages + batch
      cycle_done()
    end
  elseif step == "receive" then
    handles = {}
    -- Receipt handles are base64url-like tokens: no quotes or escapes.
    for handle in string.gmatch(body, '"ReceiptHandle":"([^"]*)"') do
      handles[#handles + 1] = handle
    end
    if #handles == 0 then
      empty_receives = empty_receives + 1
      cycle_done()
    elseif do_delete then
      step = "delete"
    else
      messages = messages + #handles
      cycle_done()
    end
  else
    messages = messages + #handles
    cycle_done()
  end
end

function done(summary, latency, requests)
  local total_messages, total_empty, total_errors = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_messages = total_messages + thread:get("messages")
    total_empty = total_empty + thread:get("empty_receives")
    total_errors = total_errors + thread:get("errors")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT label=%s msgs_per_s=%.0f req_per_s=%.0f messages=%d " ..
    "requests=%d empty_receives=%d errors=%d socket_errors=%d " ..
    "p50_us=%d p99_us=%d seconds=%.2f\n",
    label, total_messages / seconds, summary.requests / seconds,
    total_messages, summary.requests, total_empty, total_errors,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout, latency:percentile(50), latency:percentile(99),
    seconds))
end
