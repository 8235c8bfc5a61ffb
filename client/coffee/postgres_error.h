// PostgresError turns the exception libpqxx threw into an absl::Status
// whose code says what the caller should do about it:
//
//   InvalidArgument  the database refused the data itself (SQLSTATE class
//                    22 data exception, 23 constraint violation): retrying
//                    the same order cannot help.
//   Unavailable      everything else: connection lost or refused, server
//                    shutting down, commit outcome unknown, even a missing
//                    table. The consumer backs off and retries, and the
//                    message stays in the queue; an infrastructure problem
//                    must never send valid orders to the dead-letter queue.
//
// Thread-safety: a plain function.
#ifndef CORTADO_CLIENT_COFFEE_POSTGRES_ERROR_H_
#define CORTADO_CLIENT_COFFEE_POSTGRES_ERROR_H_

#include <exception>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace cortado::coffee {

// `error` is what a catch (...) got (std::current_exception()); `context`
// names the operation ("insert", "migrate").
absl::Status PostgresError(std::exception_ptr error, absl::string_view context);

}  // namespace cortado::coffee

#endif  // CORTADO_CLIENT_COFFEE_POSTGRES_ERROR_H_
