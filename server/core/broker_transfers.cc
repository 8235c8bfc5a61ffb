// The Broker's side of cluster mode's outbox (docs/CLUSTER.md, "Across
// partitions"): a message bound for a queue of another partition is written
// as a transfer in the same commit as what sent it (PlanTransfer), and the
// transfers of this partition are taken in, each exactly once, by
// AcceptTransfers.
#include <utility>

#include "absl/strings/match.h"
#include "server/core/broker.h"
#include "server/core/errors.h"

namespace cortado {

std::optional<int32_t> Broker::OtherPartitionOf(
    const std::string& queue_name) const {
  if (options_.other_partitions == nullptr || queue_name.empty() ||
      queues_.contains(queue_name)) {
    return std::nullopt;
  }
  return options_.other_partitions->PartitionOf(queue_name);
}

std::string Broker::QueueNameOfArn(const std::string& arn) const {
  const std::string prefix = QueueArn("");
  if (!absl::StartsWith(arn, prefix)) return "";
  return arn.substr(prefix.size());
}

absl::StatusOr<PeerQueue> Broker::DescribeOtherQueue(
    const std::string& queue_name) const {
  if (options_.other_partitions == nullptr) {
    return absl::NotFoundError(queue_name);
  }
  return options_.other_partitions->Describe(queue_name);
}

void Broker::PlanTransfer(int32_t partition, TransferRecord::Kind kind,
                          const std::string& queue_name,
                          const std::string& fallback_queue,
                          MessageRecord message, Txn& txn) {
  TransferRecord transfer;
  transfer.partition = partition;
  transfer.kind = kind;
  transfer.queue_name = queue_name;
  transfer.fallback_queue = fallback_queue;
  transfer.message = std::move(message);
  transfer.created = txn.now();
  ++stats_.transfers_sent;
  txn.Write(PutTransfer{std::move(transfer)});
}

bool Broker::PlanMove(const std::string& queue_name, MessageRecord record,
                      const std::string& fallback_queue, Txn& txn) {
  auto it = queues_.find(queue_name);
  if (it == queues_.end()) {
    const std::optional<int32_t> partition = OtherPartitionOf(queue_name);
    if (!partition.has_value()) return false;
    PlanTransfer(*partition, TransferRecord::Kind::kMove, queue_name,
                 fallback_queue, std::move(record), txn);
    return true;
  }
  Queue& target = *it->second;
  record.queue_id = target.id();
  record.sequence = NextId(IdKind::kSequence, txn);
  record.visible_at = txn.now();
  target.Add(Message::Make(record, sender_ids_), txn.now());
  txn.Write(InsertMessage{std::move(record)});
  txn.Touch(target.id());
  txn.ServeLater(target.id());
  return true;
}

void Broker::PlanArrival(const TransferRecord& transfer, Txn& txn) {
  ++stats_.transfers_taken;
  const MessageRecord& m = transfer.message;
  if (transfer.kind == TransferRecord::Kind::kMove) {
    // The fallback may be in yet another partition: one more transfer.
    if (!PlanMove(transfer.queue_name, m, /*fallback_queue=*/"", txn) &&
        (transfer.fallback_queue.empty() ||
         !PlanMove(transfer.fallback_queue, m, "", txn))) {
      ++stats_.transfers_dropped;
    }
    return;
  }
  // A send: as the publish would have planned it, had the queue been here.
  SendMessageEntry copy;
  copy.body = m.body;
  copy.attributes = m.attributes;
  copy.system_attributes = m.system_attributes;
  copy.sender_id = m.sender_id;
  copy.message_group_id = m.message_group_id;
  const absl::Status delivered =
      fan_out_.PlanCopy(transfer.queue_name, copy, m.message_deduplication_id,
                        /*fallback_queue=*/"", txn);
  if (delivered.ok()) return;
  if (!transfer.fallback_queue.empty()) {
    MarkUndelivered(copy, delivered);
    if (fan_out_
            .PlanCopy(transfer.fallback_queue, std::move(copy),
                      m.message_deduplication_id, "", txn)
            .ok()) {
      return;
    }
  }
  // As SNS drops a copy for a queue that does not exist.
  ++stats_.transfers_dropped;
}

void Broker::AcceptTransfers(std::vector<TransferRecord> transfers,
                             Callback<size_t> done) {
  SubmitCall<size_t>(std::move(done),
                     [this, transfers = std::move(transfers)](
                         Txn& txn) -> absl::StatusOr<size_t> {
                       mu_.AssertHeld();
                       RemoveTransfers taken;
                       taken.transfer_ids.reserve(transfers.size());
                       for (const TransferRecord& transfer : transfers) {
                         taken.transfer_ids.push_back(transfer.transfer_id);
                         PlanArrival(transfer, txn);
                       }
                       txn.Write(std::move(taken));
                       return transfers.size();
                     });
}

}  // namespace cortado
