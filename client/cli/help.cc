#include <string>

#include "client/cli/commands.h"

namespace cortado::cli {

std::string HelpText() {
  return R"(cortado: command-line client for the Cortado message broker

usage: cortado [--server HOST:PORT] [--json] COMMAND ...

Queues:
  queue create NAME [--attr K=V]... [--tag K=V]...
                               create a queue (FIFO names end in .fifo and
                               need --attr FifoQueue=true)
  queue list [--prefix P]      list queue names
  queue delete NAME            delete a queue and its messages
  queue attrs NAME [ATTR]...   show attributes (all by default)
  queue set NAME K=V...        change attributes
  queue purge NAME             delete every message
  queue tag NAME K=V...        add or change tags
  queue untag NAME KEY...      remove tags
  queue tags NAME              show tags

Messages:
  send QUEUE [BODY]            send BODY, or all of standard input minus one
                               trailing newline
      --attr NAME=VALUE        a String attribute; NAME:Number=42 and
                               NAME:Binary=<base64> give other types
      --delay N                seconds before it can be received (0-900)
      --group G, --dedup D     FIFO message group and deduplication id
  receive QUEUE                receive and print messages
      --wait N                 long-poll up to N seconds (0-20)
      --max N                  up to N messages (1-10, default 1)
      --visibility N           keep them invisible N seconds
      --attempt-id ID          FIFO: a retry with the same ID gets the same
                               messages (ReceiveRequestAttemptId)
      --delete                 delete them once printed
  delete QUEUE RECEIPT_HANDLE  delete a received message
  watch QUEUE                  follow the queue like tail -f: print and delete
                               each message until Ctrl-C or SIGTERM
      --no-delete              leave the messages in the queue
      --max N, --visibility N  as for receive

Dead-letter queues:
  redrive start DLQ            move DLQ's messages back to the queues they
                               came from (a message move task)
      --to QUEUE               move them to QUEUE instead
      --rate N                 at most N messages per second (1-500)
  redrive list DLQ             show DLQ's move tasks and their progress
      --max N                  up to N tasks, most recent first (1-10)
  redrive cancel TASK_HANDLE   stop a running task

Topics:
  topic create NAME [--attr K=V]... [--tag K=V]...
                               create a topic (FIFO: NAME.fifo and
                               --attr FifoTopic=true); prints its ARN
  topic list                   list topic ARNs
  topic delete TOPIC           delete a topic and its subscriptions
  topic subscribe TOPIC QUEUE  copy the topic's messages into QUEUE
      --raw                    deliver the bare message, not the SNS envelope
      --filter JSON            an SNS filter policy
  topic publish TOPIC MESSAGE  publish to every subscriber
      --subject S, --attr NAME=VALUE, --group G, --dedup D
  listen TOPIC                 print each message the moment it is published
                               and acknowledge it, until Ctrl-C
      --listener NAME          names the durable queue (default "cli"): a
                               listener that comes back gets what it missed
      --window N               at most N unacknowledged messages (default 10)
      --visibility N           redeliver after N seconds unacknowledged
      --filter JSON            an SNS filter policy
  (TOPIC is a topic ARN or name.)

Queues and topics as code (docs/CONFIG.md):
  config plan FILE             print what applying the YAML FILE would change
  config apply FILE            apply it: create what is missing, set the
                               declared attributes and tags (prune: true also
                               deletes what FILE does not declare)
  config export                print the server's queues and topics as such
                               a file

Global flags:
  --server HOST:PORT           the broker's gRPC address (default: $CORTADO_SERVER,
                               else 127.0.0.1:50051)
  --json                       machine-readable output, one JSON object per line

Exit status: 0 on success, 1 when the broker or the network failed, 2 for a
wrong command line. Errors read "cortado: <SQS error name>: <message>".
)";
}

}  // namespace cortado::cli
