// The applier: carries out a Plan on a Target, in the plan's order. The plan
// was checked as a whole before (planner.h); an error here is the server's
// (a concurrent change, a store failure) and stops at that change, named.
// Thread-safety: pure function over the given Target.
#ifndef CORTADO_COMMON_CONFIG_APPLIER_H_
#define CORTADO_COMMON_CONFIG_APPLIER_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "common/config/planner.h"
#include "common/config/target.h"

namespace cortado::config {

// `on_applied` (may be empty) hears each change once it is done: the
// server logs them, the CLI prints them.
absl::Status ApplyPlan(
    const Plan& plan, Target& target,
    const std::function<void(const Change&)>& on_applied = nullptr);

}  // namespace cortado::config

#endif  // CORTADO_COMMON_CONFIG_APPLIER_H_
