#include "cmd/cortado-server/apply_config.h"

#include "absl/strings/str_cat.h"
#include "cmd/cortado-server/broker_target.h"
#include "cmd/cortado-server/log.h"
#include "common/config/applier.h"
#include "common/config/parser.h"
#include "common/config/planner.h"

namespace cortado {

absl::Status ApplyConfigFile(const std::string& path, Broker& broker) {
  BrokerTarget target(&broker);
  return ApplyConfigFile(path, target);
}

absl::Status ApplyConfigFile(const std::string& path, config::Target& target) {
  absl::StatusOr<config::Config> parsed = config::ParseConfigFile(path);
  if (!parsed.ok()) return parsed.status();
  absl::StatusOr<config::State> state = target.Read();
  if (!state.ok()) return state.status();
  absl::StatusOr<config::Plan> plan = config::MakePlan(*parsed, *state, target);
  if (!plan.ok()) return plan.status();
  absl::Status applied =
      config::ApplyPlan(*plan, target, [&](const config::Change& change) {
        LogInfo(absl::StrCat("config ", path, ": ", change.Describe()));
      });
  if (!applied.ok()) {
    return absl::Status(applied.code(),
                        absl::StrCat(path, ": ", applied.message()));
  }
  LogInfo(absl::StrCat("config ", path, ": applied, ", plan->changes.size(),
                       " change(s)"));
  return absl::OkStatus();
}

}  // namespace cortado
