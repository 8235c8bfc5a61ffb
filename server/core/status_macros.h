// Small helpers for absl::Status plumbing; abseil 20220623 ships none.
// Thread-safety: macros only.
#ifndef CORTADO_SERVER_CORE_STATUS_MACROS_H_
#define CORTADO_SERVER_CORE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define CORTADO_CONCAT_INNER_(a, b) a##b
#define CORTADO_CONCAT_(a, b) CORTADO_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` is not OK.
#define CORTADO_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::absl::Status cortado_status_ = (expr);           \
    if (!cortado_status_.ok()) return cortado_status_; \
  } while (0)

// `CORTADO_ASSIGN_OR_RETURN(auto x, F())` declares x from an OK StatusOr or
// returns its error.
#define CORTADO_ASSIGN_OR_RETURN(lhs, rexpr)                                  \
  CORTADO_ASSIGN_OR_RETURN_IMPL_(CORTADO_CONCAT_(cortado_or_, __LINE__), lhs, \
                                 rexpr)
#define CORTADO_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                   \
  if (!tmp.ok()) return tmp.status();                   \
  lhs = std::move(tmp).value()

#endif  // CORTADO_SERVER_CORE_STATUS_MACROS_H_
