// Errors as plain data. Core never throws across its public API, never prints and never
// exits: every fallible function returns Result<T>, an expected value or an Error that
// says what went wrong (`message`, one lower-case line) and where in the input
// (`where`: "data/pricing/aws.json:$.lambda.requests", "trace.csv:17").
// The adapters (cli/, server/) each own one table that maps ErrorCode to an exit code or
// an HTTP status.
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace placer {

// A small closed set: add a code only when some caller would react to it differently.
enum class ErrorCode {
  invalid_argument,  // the caller asked for something impossible (negative requests)
  parse,             // input data is malformed or violates its schema
  not_found,         // a named file, instance type or workload does not exist
  unsupported,       // well-formed, but placer cannot do it (yet)
  io,                // reading or writing failed
  internal,          // a bug in placer
};

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::string where;
};

template <typename T>
using Result = tl::expected<T, Error>;

// Builds the unexpected side of a Result: `return fail(ErrorCode::parse, "...", where);`
inline tl::unexpected<Error> fail(ErrorCode code, std::string message, std::string where = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(where)});
}

// "invalid_argument", "parse", ...: the stable spelling used in CLI messages and in
// problem+json `code` fields.
std::string_view to_string(ErrorCode code);

// "parse: price must not be negative ($.lambda.requests.usd)": the one-line rendering
// used by the CLI after its "placer: error: " prefix.
std::string describe(const Error& error);

}  // namespace placer
