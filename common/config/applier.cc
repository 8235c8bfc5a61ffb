#include "common/config/applier.h"

#include "absl/strings/str_cat.h"

namespace cortado::config {
namespace {

absl::Status Apply(const Change& change, Target& target) {
  using Kind = Change::Kind;
  switch (change.kind) {
    case Kind::kCreateQueue:
      return target.CreateQueue(change.name, change.attributes,
                                change.dead_letter, change.tags);
    case Kind::kSetQueueAttribute:
      return target.SetQueueAttributes(change.name,
                                       {{change.attribute, change.to}});
    case Kind::kSetDeadLetter:
      return target.SetDeadLetter(change.name, *change.dead_letter);
    case Kind::kTagQueue:
      return target.TagQueue(change.name, change.tags);
    case Kind::kUntagQueue:
      return target.UntagQueue(change.name, change.keys);
    case Kind::kDeleteQueue:
      return target.DeleteQueue(change.name);
    case Kind::kCreateTopic:
      return target.CreateTopic(change.name, change.attributes, change.tags);
    case Kind::kSetTopicAttribute:
      return target.SetTopicAttribute(change.name, change.attribute, change.to);
    case Kind::kTagTopic:
      return target.TagTopic(change.name, change.tags);
    case Kind::kUntagTopic:
      return target.UntagTopic(change.name, change.keys);
    case Kind::kDeleteTopic:
      return target.DeleteTopic(change.name);
    case Kind::kSubscribe:
      return target.Subscribe(change.name, change.queue, change.attributes);
    case Kind::kSetSubscriptionAttribute:
      return target.SetSubscriptionAttribute(change.subscription_arn,
                                             change.attribute, change.to);
    case Kind::kUnsubscribe:
      return target.Unsubscribe(change.subscription_arn);
  }
  return absl::InternalError("unknown change");
}

}  // namespace

absl::Status ApplyPlan(const Plan& plan, Target& target,
                       const std::function<void(const Change&)>& on_applied) {
  for (const Change& change : plan.changes) {
    if (absl::Status applied = Apply(change, target); !applied.ok()) {
      return absl::Status(applied.code(), absl::StrCat(change.Describe(), ": ",
                                                       applied.message()));
    }
    if (on_applied) on_applied(change);
  }
  return absl::OkStatus();
}

}  // namespace cortado::config
