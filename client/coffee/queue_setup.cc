#include "client/coffee/queue_setup.h"

#include "absl/strings/str_cat.h"

namespace cortado::coffee {

absl::Status CreateCafeteriaQueues(client::Client& client,
                                   const QueueSetup& setup) {
  // Created without attributes, then configured: CreateQueue on an
  // existing queue with different attributes is QueueAlreadyExists, and a
  // rerun should converge instead of failing.
  if (absl::StatusOr<client::QueueInfo> dlq =
          client.CreateQueue(setup.dead_letter_queue);
      !dlq.ok()) {
    return dlq.status();
  }
  absl::StatusOr<client::StringMap> dlq_attributes =
      client.GetQueueAttributes(setup.dead_letter_queue, {"QueueArn"});
  if (!dlq_attributes.ok()) return dlq_attributes.status();
  const auto arn = dlq_attributes->find("QueueArn");
  if (arn == dlq_attributes->end()) {
    return absl::InternalError(absl::StrCat(
        "GetQueueAttributes(", setup.dead_letter_queue, ") has no QueueArn"));
  }
  if (absl::StatusOr<client::QueueInfo> queue = client.CreateQueue(setup.queue);
      !queue.ok()) {
    return queue.status();
  }
  const std::string redrive_policy =
      absl::StrCat("{\"deadLetterTargetArn\":\"", arn->second,
                   "\",\"maxReceiveCount\":", setup.max_receive_count, "}");
  return client.SetQueueAttributes(
      setup.queue,
      {{"RedrivePolicy", redrive_policy},
       {"VisibilityTimeout",
        absl::StrCat(absl::ToInt64Seconds(setup.visibility_timeout))}});
}

}  // namespace cortado::coffee
