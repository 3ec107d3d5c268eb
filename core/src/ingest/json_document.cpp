#include "json_document.hpp"

#include "json_reader.hpp"

namespace placer::ingest {

Result<std::vector<JsonDocument>> read_json_documents(LineReader& reader, std::size_t max_bytes,
                                                      std::string_view what) {
  std::string text;
  auto more = reader.read_bytes(text, max_bytes);
  if (!more) {
    return tl::unexpected(more.error());
  }
  if (*more) {
    return fail(ErrorCode::parse,
                std::string{what} + " larger than " + std::to_string(max_bytes >> 20) + " MiB",
                reader.where());
  }
  auto values = detail::parse_json_values(text, reader.path());
  if (!values) {
    return tl::unexpected(values.error());
  }
  std::vector<JsonDocument> out;
  out.reserve(values->size());
  for (auto& [value, line] : *values) {
    out.push_back({std::move(value), values->size() == 1
                                         ? reader.path()
                                         : reader.path() + ":" + std::to_string(line)});
  }
  return out;
}

void fail_at(const std::string& where, std::string message) {
  throw detail::InputError{Error{ErrorCode::parse, std::move(message), where}};
}

void skip_or_throw(const detail::InputError& e, BadRows bad_rows, IngestStats& stats) {
  if (bad_rows == BadRows::fail || e.error.code != ErrorCode::parse) {
    throw e;
  }
  stats.skip(e.error.where, e.error.message);
}

}  // namespace placer::ingest
