#include "placer/ingest/alb_log.hpp"

#include <array>
#include <cmath>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "placer/ingest/timestamp.hpp"
#include "text.hpp"

namespace placer::ingest {
namespace {

using text::shorten;

// Field positions (FORMATS.md 4a, ELB user guide).
enum Field : std::size_t {
  type = 0,
  time = 1,
  request_processing_time = 5,
  target_processing_time = 6,
  response_processing_time = 7,
  elb_status_code = 8,
  target_status_code = 9,
  target_group_arn = 16,
  request_creation_time = 21,
};
constexpr std::size_t k_min_fields = 12;  // through sent_bytes
constexpr std::size_t k_max_fields = 64;  // 29 known today; more means this is not ALB

struct RowError {
  std::string message;
};

// Not an error: an entry that is not a served request (see the header).
struct NotServed {
  std::string reason;
};

// Splits `line` at spaces into `out`; a field starting with '"' runs to the closing quote
// (a backslash escapes the next character) and is stored without its quotes.
void split_fields(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t pos = 0;
  while (pos < line.size()) {
    if (line[pos] == ' ') {
      ++pos;
      continue;
    }
    if (out.size() >= k_max_fields) {
      throw RowError{"more than " + std::to_string(k_max_fields) +
                     " fields, expected an ALB access log entry"};
    }
    if (line[pos] == '"') {
      std::size_t start = ++pos;
      while (pos < line.size() && line[pos] != '"') {
        pos += line[pos] == '\\' ? std::size_t{2} : std::size_t{1};
      }
      if (pos >= line.size()) {
        throw RowError{"unterminated quoted field " + std::to_string(out.size() + 1) +
                       ", expected a closing '\"'"};
      }
      out.push_back(line.substr(start, pos - start));
      ++pos;
    } else {
      std::size_t end = line.find(' ', pos);
      if (end == std::string_view::npos) {
        end = line.size();
      }
      out.push_back(line.substr(pos, end - pos));
      pos = end;
    }
  }
}

// A processing time in seconds: >= 0, or -1 ("not known"), returned as nullopt.
std::optional<double> processing_time(std::string_view text, const char* name) {
  auto value = text::parse_number(text);
  if (value && *value == -1) {
    return std::nullopt;
  }
  if (!value || *value < 0) {
    throw RowError{std::string{"bad "} + name + " \"" + shorten(text) +
                   "\", expected seconds as a non-negative number or -1"};
  }
  return *value;
}

int status_code(std::string_view text, const char* name) {
  auto value = text::parse_number(text);
  if (!value || *value != std::floor(*value) || *value < 100 || *value > 999) {
    throw RowError{std::string{"bad "} + name + " \"" + shorten(text) +
                   "\", expected an HTTP status code (a whole number 100-999)"};
  }
  return static_cast<int>(*value);
}

double utc_time(std::string_view text, const char* name) {
  auto value = parse_rfc3339(text);
  if (!value) {
    throw RowError{std::string{"bad "} + name + " \"" + shorten(text) +
                   "\", expected ISO-8601 UTC like 2018-07-02T22:23:00.186641Z"};
  }
  return *value;
}

// "arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>" -> "<name>".
std::string workload_of(std::string_view arn) {
  if (arn == "-") {
    return {};
  }
  constexpr std::string_view k_marker = ":targetgroup/";
  std::size_t at = arn.find(k_marker);
  if (at == std::string_view::npos) {
    return std::string{arn};
  }
  std::string_view rest = arn.substr(at + k_marker.size());
  return std::string{rest.substr(0, rest.find('/'))};
}

Invocation make_invocation(const std::vector<std::string_view>& f) {
  static constexpr std::array<std::string_view, 6> k_types = {"http", "https", "h2",
                                                              "grpcs", "ws", "wss"};
  bool known_type = false;
  for (std::string_view t : k_types) {
    known_type = known_type || f[type] == t;
  }
  if (!known_type) {
    throw RowError{"bad type \"" + shorten(f[type]) +
                   "\", expected http, https, h2, grpcs, ws or wss (an ALB access log entry)"};
  }
  if (f.size() < k_min_fields) {
    throw RowError{"entry has " + std::to_string(f.size()) + " fields, expected at least " +
                   std::to_string(k_min_fields) + " (type through sent_bytes)"};
  }
  double end_s = utc_time(f[time], "time");
  auto request_s = processing_time(f[request_processing_time], "request_processing_time");
  auto target_s = processing_time(f[target_processing_time], "target_processing_time");
  auto response_s = processing_time(f[response_processing_time], "response_processing_time");
  int elb_status = status_code(f[elb_status_code], "elb_status_code");
  Invocation inv;
  inv.status = f[target_status_code] == "-" ? elb_status
                                            : status_code(f[target_status_code],
                                                          "target_status_code");
  if (f.size() > request_creation_time && f[request_creation_time] != "-") {
    inv.timestamp_s = utc_time(f[request_creation_time], "request_creation_time");
  } else if (request_s && target_s && response_s) {
    inv.timestamp_s = end_s - (*request_s + *target_s + *response_s);
  } else {
    inv.timestamp_s = end_s;
  }
  if (f.size() > target_group_arn) {
    inv.workload = workload_of(f[target_group_arn]);
  }
  if (f[type] == "ws" || f[type] == "wss") {
    throw NotServed{"WebSocket connection (type " + std::string{f[type]} +
                    "), not a request"};
  }
  if (!target_s) {
    throw NotServed{"not served by a target (target_processing_time -1, elb_status_code " +
                    std::to_string(elb_status) + ")"};
  }
  inv.duration = Millis{*target_s * 1000};
  return inv;
}

class Parser {
 public:
  Parser(LineReader& reader, InvocationSink& sink, BadRows bad_rows)
      : reader_(reader), sink_(sink), bad_rows_(bad_rows) {}

  Result<IngestStats> run() {
    std::string_view line;
    bool any = false;
    for (;;) {
      auto more = text::next_nonblank(reader_, line);
      if (!more) {
        return tl::unexpected(more.error());
      }
      if (!*more) {
        break;
      }
      any = true;
      try {
        split_fields(line, fields_);
        sink_.add(make_invocation(fields_));
        ++stats_.rows;
      } catch (const RowError& e) {
        if (bad_rows_ == BadRows::fail) {
          return fail(ErrorCode::parse, e.message, reader_.where());
        }
        skip(e.message);
      } catch (const NotServed& e) {
        skip(e.reason);
      }
    }
    if (!any) {
      return fail(ErrorCode::parse, "empty input, expected ALB access log entries",
                  reader_.path());
    }
    if (stats_.rows == 0) {
      return fail(ErrorCode::parse,
                  "no served request among " + std::to_string(stats_.skipped_rows) +
                      " entries, expected ALB access log entries with a target (first: " +
                      stats_.first_skipped + ")",
                  reader_.path());
    }
    return stats_;
  }

 private:
  void skip(const std::string& reason) {
    stats_.skip(reader_.where(), reason);
  }

  LineReader& reader_;
  InvocationSink& sink_;
  BadRows bad_rows_;
  IngestStats stats_;
  std::vector<std::string_view> fields_;
};

}  // namespace

Result<IngestStats> read_alb_log(LineReader& reader, InvocationSink& sink, BadRows bad_rows) {
  try {
    return Parser{reader, sink, bad_rows}.run();
  } catch (const std::bad_alloc&) {
    return fail(ErrorCode::internal, "out of memory", reader.where());
  }
}

}  // namespace placer::ingest
