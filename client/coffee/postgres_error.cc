#include "client/coffee/postgres_error.h"

#include <pqxx/pqxx>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace cortado::coffee {

absl::Status PostgresError(std::exception_ptr error,
                           absl::string_view context) {
  try {
    std::rethrow_exception(error);
  } catch (const pqxx::broken_connection& e) {
    return absl::UnavailableError(
        absl::StrCat(context, ": connection to PostgreSQL failed: ",
                     absl::StripTrailingAsciiWhitespace(e.what())));
  } catch (const pqxx::in_doubt_error& e) {
    // The commit may or may not have happened. Retrying is safe: the
    // unique message_id makes the second attempt insert nothing twice.
    return absl::UnavailableError(
        absl::StrCat(context, ": commit outcome unknown: ", e.what()));
  } catch (const pqxx::sql_error& e) {
    const std::string state = e.sqlstate();
    const std::string message = absl::StrCat(
        context, ": PostgreSQL error ", state.empty() ? "?" : state, ": ",
        absl::StripTrailingAsciiWhitespace(e.what()));
    if (absl::StartsWith(state, "22") || absl::StartsWith(state, "23")) {
      return absl::InvalidArgumentError(message);
    }
    return absl::UnavailableError(message);
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat(context, ": ", e.what()));
  } catch (...) {
    return absl::UnavailableError(
        absl::StrCat(context, ": unknown error from libpqxx"));
  }
}

}  // namespace cortado::coffee
