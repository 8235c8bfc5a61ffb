#include <string>
#include <vector>

#include "client/cli/commands.h"

namespace cortado::cli {

std::string HelpText() {
  return R"(cortado: command-line client for the Cortado message broker

usage: cortado [--server HOST:PORT] [--json] COMMAND ...

Queues:
  queue create NAME [--attr K=V]... [--tag K=V]...
                               create a queue (FIFO names end in .fifo and
                               need --attr FifoQueue=true); default: SQS's
                               default attributes, no tags
  queue list [--prefix P]      list queue names (default: all)
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
                               (default: none)
      --delay N                seconds before it can be received (0-900;
                               default: the queue's DelaySeconds)
      --group G, --dedup D     FIFO message group and deduplication id
                               (default: none; --dedup may be left out on
                               ContentBasedDeduplication queues)
  receive QUEUE                receive and print messages
      --wait N                 long-poll up to N seconds (0-20; default: the
                               queue's ReceiveMessageWaitTimeSeconds)
      --max N                  up to N messages (1-10, default 1)
      --visibility N           keep them invisible N seconds (default: the
                               queue's VisibilityTimeout)
      --attempt-id ID          FIFO: a retry with the same ID gets the same
                               messages (ReceiveRequestAttemptId; default:
                               none)
      --delete                 delete them once printed (default: off)
  delete QUEUE RECEIPT_HANDLE  delete a received message
  watch QUEUE                  follow the queue like tail -f: print and delete
                               each message until Ctrl-C or SIGTERM
      --no-delete              leave the messages in the queue (default:
                               off, watch deletes)
      --max N, --visibility N  as for receive (default 1; the queue's)

Dead-letter queues:
  redrive start DLQ            move DLQ's messages back to the queues they
                               came from (a message move task)
      --to QUEUE               move them to QUEUE instead (default: their
                               source queues)
      --rate N                 at most N messages per second (1-500;
                               default: unlimited)
  redrive list DLQ             show DLQ's move tasks and their progress
      --max N                  up to N tasks, most recent first (1-10,
                               default 1)
  redrive cancel TASK_HANDLE   stop a running task

Topics:
  topic create NAME [--attr K=V]... [--tag K=V]...
                               create a topic (FIFO: NAME.fifo and
                               --attr FifoTopic=true); prints its ARN
                               (default: no attributes, no tags)
  topic list                   list topic ARNs
  topic delete TOPIC           delete a topic and its subscriptions
  topic subscribe TOPIC QUEUE  copy the topic's messages into QUEUE
      --raw                    deliver the bare message, not the SNS envelope
                               (default: off, the envelope)
      --filter JSON            an SNS filter policy (default: none, every
                               message)
  topic publish TOPIC MESSAGE  publish to every subscriber
      --subject S, --attr NAME=VALUE, --group G, --dedup D
                               (default: none of them)
  listen TOPIC                 print each message the moment it is published
                               and acknowledge it, until Ctrl-C
      --listener NAME          names the durable queue (default "cli"): a
                               listener that comes back gets what it missed
      --window N               at most N unacknowledged messages (default 10)
      --visibility N           redeliver after N seconds unacknowledged
                               (default 30)
      --filter JSON            an SNS filter policy (default: none)
  (TOPIC is a topic ARN or name.)

Queues and topics as code (docs/CONFIG.md):
  config plan FILE             print what applying the YAML FILE would change
  config apply FILE            apply it: create what is missing, set the
                               declared attributes and tags (prune: true also
                               deletes what FILE does not declare)
  config export                print the server's queues and topics as such
                               a file

Cluster mode (docs/CLUSTER.md):
  cluster status               the nodes (alive as the node at --server
                               judges it, leaving), which partitions each
                               owns, the unowned ones, and which node
                               answered; --json gives every partition's
                               owner and epoch

Global flags:
  --server HOST:PORT           the broker's gRPC address (default: $CORTADO_SERVER,
                               else 127.0.0.1:50051)
  --json                       machine-readable output, one JSON object per line
                               (default: off, text)
  --help                       this text

Exit status: 0 on success, 1 when the broker or the network failed, 2 for a
wrong command line. Errors read "cortado: <SQS error name>: <message>".
)";
}

const std::vector<FlagSpec>& CliFlags() {
  static const auto* const kFlags = new std::vector<FlagSpec>{
      {"server", true},     {"json", false},      {"help", false},
      {"attr", true, true}, {"tag", true, true},  {"prefix", true},
      {"delay", true},      {"group", true},      {"dedup", true},
      {"wait", true},       {"max", true},        {"visibility", true},
      {"delete", false},    {"no-delete", false}, {"subject", true},
      {"raw", false},       {"filter", true},     {"listener", true},
      {"window", true},     {"attempt-id", true}, {"to", true},
      {"rate", true},
  };
  return *kFlags;
}

}  // namespace cortado::cli
