#include "server/store/postgres_helpers.h"

#include <utility>

#include "absl/base/internal/endian.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace cortado::store {
namespace {

void AppendBigEndian32(std::string& out, uint32_t value) {
  const uint32_t big = absl::ghtonl(value);
  out.append(reinterpret_cast<const char*>(&big), sizeof(big));
}

void AppendBigEndian64(std::string& out, uint64_t value) {
  const uint64_t big = absl::ghtonll(value);
  out.append(reinterpret_cast<const char*>(&big), sizeof(big));
}

std::string Message(const char* text) {
  return std::string(absl::StripTrailingAsciiWhitespace(text ? text : ""));
}

}  // namespace

absl::Status PgError(PGconn* connection, absl::string_view what) {
  return absl::UnavailableError(
      absl::StrCat(what, ": ",
                   Message(connection != nullptr ? PQerrorMessage(connection)
                                                 : "out of memory")));
}

absl::Status PgResultError(const PGresult* result, absl::string_view what) {
  if (result == nullptr) return absl::UnavailableError(absl::StrCat(what));
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  if (state != nullptr && absl::string_view(state) == kFencedSqlState) {
    return absl::AbortedError(
        absl::StrCat(what, ": ", Message(PQresultErrorMessage(result))));
  }
  return absl::UnavailableError(
      absl::StrCat(what, ": ", Message(PQresultErrorMessage(result)),
                   state != nullptr ? absl::StrCat(" (SQLSTATE ", state, ")")
                                    : std::string()));
}

absl::StatusOr<PgConnection> PgConnect(const std::string& url,
                                       const std::string& application_name) {
  const char* keywords[] = {"dbname", "fallback_application_name", nullptr};
  const char* values[] = {url.c_str(), application_name.c_str(), nullptr};
  PgConnection connection(PQconnectdbParams(keywords, values, 1));
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    return PgError(connection.get(), "cannot connect to PostgreSQL");
  }
  return connection;
}

absl::StatusOr<bool> PgReconnectIfLost(PGconn* connection) {
  if (PQstatus(connection) == CONNECTION_OK) return false;
  PQreset(connection);
  if (PQstatus(connection) != CONNECTION_OK) {
    return PgError(connection, "cannot reconnect to PostgreSQL");
  }
  return true;
}

std::string PgQuoteIdentifier(PGconn* connection,
                              absl::string_view identifier) {
  char* quoted =
      PQescapeIdentifier(connection, identifier.data(), identifier.size());
  if (quoted == nullptr) return "\"\"";
  std::string out(quoted);
  PQfreemem(quoted);
  return out;
}

absl::Status PgExec(PGconn* connection, absl::string_view sql) {
  PgResult result(PQexec(connection, std::string(sql).c_str()));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return result == nullptr ? PgError(connection, sql)
                             : PgResultError(result.get(), sql);
  }
  return absl::OkStatus();
}

void PgArray::AddInt64(int64_t value) {
  AppendBigEndian32(elements_, sizeof(value));
  AppendBigEndian64(elements_, static_cast<uint64_t>(value));
  ++count_;
}

void PgArray::AddInt32(int32_t value) {
  AppendBigEndian32(elements_, sizeof(value));
  AppendBigEndian32(elements_, static_cast<uint32_t>(value));
  ++count_;
}

void PgArray::AddBytes(absl::string_view value) {
  AppendBigEndian32(elements_, static_cast<uint32_t>(value.size()));
  elements_.append(value.data(), value.size());
  ++count_;
}

// array_recv's format: dimensions, a has-nulls flag, the element type, then
// (size, lower bound) per dimension and the elements.
std::string PgArray::Finish() const {
  std::string out;
  out.reserve(20 + elements_.size());
  AppendBigEndian32(out, count_ == 0 ? 0 : 1);
  AppendBigEndian32(out, 0);
  AppendBigEndian32(out, static_cast<uint32_t>(element_));
  if (count_ != 0) {
    AppendBigEndian32(out, static_cast<uint32_t>(count_));
    AppendBigEndian32(out, 1);
  }
  out += elements_;
  return out;
}

PgParams& PgParams::AddInt64(int64_t value) {
  std::string& out = values_.emplace_back();
  AppendBigEndian64(out, static_cast<uint64_t>(value));
  return *this;
}

PgParams& PgParams::AddInt32(int32_t value) {
  std::string& out = values_.emplace_back();
  AppendBigEndian32(out, static_cast<uint32_t>(value));
  return *this;
}

PgParams& PgParams::AddBool(bool value) {
  values_.emplace_back(1, value ? '\1' : '\0');
  return *this;
}

PgParams& PgParams::AddBytes(absl::string_view value) {
  values_.emplace_back(value);
  return *this;
}

PgParams& PgParams::AddArray(const PgArray& array) {
  values_.push_back(array.Finish());
  return *this;
}

namespace {

// The parallel arrays libpq takes, pointing into `values`.
struct ParamArrays {
  explicit ParamArrays(const std::vector<std::string>& values) {
    for (const std::string& value : values) {
      pointers.push_back(value.data());
      lengths.push_back(static_cast<int>(value.size()));
      formats.push_back(1);
    }
  }
  int size() const { return static_cast<int>(pointers.size()); }
  std::vector<const char*> pointers;
  std::vector<int> lengths;
  std::vector<int> formats;
};

}  // namespace

bool PgParams::SendPrepared(PGconn* connection, const char* name) const {
  const ParamArrays p(values_);
  return PQsendQueryPrepared(connection, name, p.size(), p.pointers.data(),
                             p.lengths.data(), p.formats.data(),
                             /*resultFormat=*/1) == 1;
}

bool PgParams::SendQuery(PGconn* connection, const char* sql) const {
  const ParamArrays p(values_);
  return PQsendQueryParams(connection, sql, p.size(), nullptr,
                           p.pointers.data(), p.lengths.data(),
                           p.formats.data(), /*resultFormat=*/1) == 1;
}

PgResult PgParams::Exec(PGconn* connection, const char* sql) const {
  const ParamArrays p(values_);
  return PgResult(PQexecParams(connection, sql, p.size(), nullptr,
                               p.pointers.data(), p.lengths.data(),
                               p.formats.data(), /*resultFormat=*/1));
}

absl::string_view PgRow::View(int column) const {
  return absl::string_view(PQgetvalue(result_, row_, column),
                           PQgetlength(result_, row_, column));
}

void PgRow::Assign(int column, std::string& out) const {
  out.assign(PQgetvalue(result_, row_, column),
             PQgetlength(result_, row_, column));
}

int64_t PgRow::Int64(int column) const {
  uint64_t big = 0;
  const absl::string_view value = View(column);
  if (value.size() == sizeof(big)) value.copy(reinterpret_cast<char*>(&big), 8);
  return static_cast<int64_t>(absl::gntohll(big));
}

int32_t PgRow::Int32(int column) const {
  uint32_t big = 0;
  const absl::string_view value = View(column);
  if (value.size() == sizeof(big)) value.copy(reinterpret_cast<char*>(&big), 4);
  return static_cast<int32_t>(absl::gntohl(big));
}

bool PgRow::Bool(int column) const {
  const absl::string_view value = View(column);
  return !value.empty() && value[0] != 0;
}

absl::Status PgForEachRow(PGconn* connection, const char* sql,
                          const PgParams& params, absl::string_view table,
                          absl::FunctionRef<absl::Status(const PgRow&)> row) {
  if (!params.SendQuery(connection, sql) ||
      PQsetSingleRowMode(connection) != 1) {
    return PgError(connection, absl::StrCat("reading ", table));
  }
  absl::Status status;
  // Every result up to the null one is read, also after an error, so the
  // connection is ready for the next query.
  while (PGresult* raw = PQgetResult(connection)) {
    PgResult result(raw);
    switch (PQresultStatus(raw)) {
      case PGRES_SINGLE_TUPLE:
        if (status.ok()) status = row(PgRow(raw, 0));
        break;
      case PGRES_TUPLES_OK:  // the end of the rows
        break;
      default:
        if (status.ok()) {
          status = PgResultError(raw, absl::StrCat("reading ", table));
        }
        break;
    }
    if (PQstatus(connection) == CONNECTION_BAD) break;
  }
  if (status.ok() && PQstatus(connection) == CONNECTION_BAD) {
    return PgError(connection, absl::StrCat("reading ", table));
  }
  return status;
}

}  // namespace cortado::store
