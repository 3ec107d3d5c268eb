#include "placer/ingest/nginx_log.hpp"

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

struct RowError {
  std::string message;
};

// The variables placer reads; `list` ($upstream_*) and `other` are read past.
enum class Var { time_local, time_iso8601, msec, request_time, status, upstream_name, list, other };

struct Item {
  std::string literal;  // text before the variable
  Var var = Var::other;
  std::string name;  // without "$"
};

struct LogFormat {
  std::vector<Item> items;
  std::string tail;                     // text after the last variable
  bool request_time_from_tail = false;  // "combined" + request time
};

constexpr std::string_view k_combined =
    R"($remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent )"
    R"("$http_referer" "$http_user_agent")";
constexpr std::string_view k_upstreaminfo =
    R"($remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent )"
    R"("$http_referer" "$http_user_agent" $request_length $request_time )"
    R"([$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr )"
    R"($upstream_response_length $upstream_response_time $upstream_status $req_id)";

Var kind_of(std::string_view name) {
  if (name == "time_local") {
    return Var::time_local;
  }
  if (name == "time_iso8601") {
    return Var::time_iso8601;
  }
  if (name == "msec") {
    return Var::msec;
  }
  if (name == "request_time") {
    return Var::request_time;
  }
  if (name == "status") {
    return Var::status;
  }
  if (name == "proxy_upstream_name") {
    return Var::upstream_name;
  }
  if (name.rfind("upstream_", 0) == 0) {
    return Var::list;
  }
  return Var::other;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

Result<LogFormat> compile(std::string_view text) {
  LogFormat format;
  std::string literal;
  bool has_time = false;
  bool has_request_time = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::string_view name;
    if (text[pos] == '$' && pos + 1 < text.size() && text[pos + 1] == '{') {
      std::size_t close = text.find('}', pos + 2);
      if (close == std::string_view::npos) {
        return fail(ErrorCode::invalid_argument,
                    "unterminated \"${\" in log_format, expected ${name}", "log_format");
      }
      name = text.substr(pos + 2, close - pos - 2);
      pos = close + 1;
    } else if (text[pos] == '$' && pos + 1 < text.size() && is_name_char(text[pos + 1])) {
      std::size_t end = pos + 1;
      while (end < text.size() && is_name_char(text[end])) {
        ++end;
      }
      name = text.substr(pos + 1, end - pos - 1);
      pos = end;
    } else {
      literal += text[pos++];
      continue;
    }
    if (!format.items.empty() && literal.empty()) {
      return fail(ErrorCode::invalid_argument,
                  "$" + format.items.back().name + " is directly followed by $" +
                      std::string{name} + " in log_format, expected text between variables",
                  "log_format");
    }
    Var var = kind_of(name);
    has_time = has_time || var == Var::time_local || var == Var::time_iso8601 || var == Var::msec;
    has_request_time = has_request_time || var == Var::request_time;
    format.items.push_back(Item{std::move(literal), var, std::string{name}});
    literal.clear();
  }
  format.tail = std::move(literal);
  if (!has_request_time) {
    return fail(ErrorCode::invalid_argument,
                "log_format has no $request_time, expected the request's duration in the log",
                "log_format");
  }
  if (!has_time) {
    return fail(ErrorCode::invalid_argument,
                "log_format has no $time_local, $time_iso8601 or $msec, expected the request's time",
                "log_format");
  }
  return format;
}

LogFormat combined_with_request_time() {
  auto format = compile(std::string{k_combined} + " $request_time");
  format->items.pop_back();  // the request time comes from the tail instead
  format->tail = "\"";
  format->request_time_from_tail = true;
  return *format;
}

std::size_t token_end(std::string_view line, std::size_t pos) {
  std::size_t end = line.find_first_of(" \t", pos);
  return end == std::string_view::npos ? line.size() : end;
}

// One field of `var` at `pos` when no non-space literal text follows it.
std::size_t field_end(std::string_view line, std::size_t pos, Var var) {
  std::size_t end = token_end(line, pos);
  if (var == Var::time_local && end + 1 < line.size() && line[end] == ' ' &&
      (line[end + 1] == '+' || line[end + 1] == '-')) {
    return token_end(line, end + 1);  // "07/Feb/2020:11:48:51 +0000"
  }
  if (var == Var::list) {  // "0.100, 0.004", "a : b", "200, -"
    for (;;) {
      std::string_view rest = line.substr(end);
      std::size_t sep = rest.rfind(", ", 0) == 0 ? 2 : rest.rfind(" : ", 0) == 0 ? 3 : 0;
      if (sep == 0 || end + sep >= line.size() || line[end + sep] == ' ') {
        return end;
      }
      end = token_end(line, end + sep);
    }
  }
  return end;
}

struct Values {
  std::array<std::optional<std::string_view>, 6> typed;  // by Var, up to upstream_name
};

// Matches `line` against `format`; the typed variables' text lands in `values`.
void match(std::string_view line, const LogFormat& format, Values& values) {
  values.typed.fill(std::nullopt);
  std::size_t pos = 0;
  for (std::size_t i = 0; i < format.items.size(); ++i) {
    const Item& item = format.items[i];
    if (line.substr(pos).rfind(item.literal, 0) != 0) {
      throw RowError{pos >= line.size() ? "line ends before $" + item.name
                                        : "expected '" + shorten(item.literal) + "' before $" +
                                              item.name + ", found \"" +
                                              shorten(line.substr(pos)) + "\""};
    }
    pos += item.literal.size();
    const std::string& next = i + 1 < format.items.size() ? format.items[i + 1].literal
                                                          : format.tail;
    std::size_t end = 0;
    if (next.find_first_not_of(' ') != std::string::npos) {
      end = line.find(next, pos);
      if (end == std::string_view::npos) {
        throw RowError{"no '" + shorten(next) + "' after $" + item.name + ", found \"" +
                       shorten(line.substr(pos)) + "\""};
      }
    } else {
      end = field_end(line, pos, item.var);
      if (end == pos) {
        throw RowError{pos >= line.size() ? "line ends before $" + item.name
                                          : "expected $" + item.name + ", found \"" +
                                                shorten(line.substr(pos)) + "\""};
      }
    }
    if (item.var < Var::list) {
      values.typed[static_cast<std::size_t>(item.var)] = line.substr(pos, end - pos);
    }
    pos = end;
  }
  if (line.substr(pos).rfind(format.tail, 0) != 0) {
    throw RowError{"expected '" + shorten(format.tail) + "' at the end of the format, found \"" +
                   shorten(line.substr(pos)) + "\""};
  }
  pos += format.tail.size();
  if (!format.request_time_from_tail) {
    return;  // extra trailing fields are ignored
  }
  std::optional<std::string_view> request_time;
  std::size_t at = line.find_first_not_of(" \t", pos);
  while (at != std::string_view::npos) {
    std::size_t end = token_end(line, at);
    std::string_view token = line.substr(at, end - at);
    if (token.rfind("rt=", 0) == 0 || token.rfind("request_time=", 0) == 0) {
      values.typed[static_cast<std::size_t>(Var::request_time)] = token.substr(token.find('=') + 1);
      return;
    }
    request_time = token;
    at = line.find_first_not_of(" \t", end);
  }
  if (!request_time) {
    throw RowError{"no request_time after the combined fields, expected $request_time or "
                   "rt=<seconds> at the end of the line (plain combined logs no latency)"};
  }
  values.typed[static_cast<std::size_t>(Var::request_time)] = request_time;
}

// "07/Feb/2020:11:48:51 +0000" -> UTC epoch seconds.
std::optional<double> parse_time_local(std::string_view t) {
  static constexpr std::array<std::string_view, 12> k_months = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (t.size() != 26 || t[2] != '/' || t[6] != '/' || t[11] != ':' || t[20] != ' ' ||
      (t[21] != '+' && t[21] != '-')) {
    return std::nullopt;
  }
  std::size_t month = 0;
  while (month < 12 && k_months[month] != t.substr(3, 3)) {
    ++month;
  }
  if (month == 12) {
    return std::nullopt;
  }
  std::string rfc;  // "2020-02-07T11:48:51+00:00", checked by parse_rfc3339
  rfc.append(t.substr(7, 4)).append("-");
  rfc.append(month < 9 ? "0" : "").append(std::to_string(month + 1)).append("-");
  rfc.append(t.substr(0, 2)).append("T").append(t.substr(12, 8));
  rfc.append(t.substr(21, 3)).append(":").append(t.substr(24, 2));
  return parse_rfc3339(rfc);
}

Invocation make_invocation(const Values& values) {
  auto get = [&](Var var) { return values.typed[static_cast<std::size_t>(var)]; };
  std::optional<double> end_s;
  if (auto t = get(Var::time_local)) {
    if (!(end_s = parse_time_local(*t))) {
      throw RowError{"bad time_local \"" + shorten(*t) +
                     "\", expected dd/Mon/yyyy:HH:MM:SS with an offset like 07/Feb/2020:11:48:51 "
                     "+0000"};
    }
  } else if (auto iso = get(Var::time_iso8601)) {
    if (!(end_s = parse_rfc3339(*iso))) {
      throw RowError{"bad time_iso8601 \"" + shorten(*iso) +
                     "\", expected ISO 8601 with an offset like 2020-02-07T11:48:51+00:00"};
    }
  } else if (auto msec = get(Var::msec)) {
    if (!(end_s = parse_epoch_seconds(*msec))) {
      throw RowError{"bad msec \"" + shorten(*msec) + "\", expected epoch seconds"};
    }
  }
  std::string_view rt = get(Var::request_time).value_or("");
  auto seconds = text::parse_number(rt);
  if (!seconds || *seconds < 0) {
    throw RowError{"bad request_time \"" + shorten(rt) +
                   "\", expected seconds as a non-negative number"};
  }
  Invocation inv;
  inv.timestamp_s = end_s.value_or(0) - *seconds;
  inv.duration = Millis{*seconds * 1000};
  if (auto status = get(Var::status)) {
    auto code = text::parse_number(*status);
    if (!code || *code != std::floor(*code) || *code < 100 || *code > 999) {
      throw RowError{"bad status \"" + shorten(*status) +
                     "\", expected an HTTP status code (a whole number 100-999)"};
    }
    inv.status = static_cast<int>(*code);
  }
  if (auto name = get(Var::upstream_name); name && *name != "-") {
    inv.workload.assign(*name);
  }
  return inv;
}

class Parser {
 public:
  Parser(LineReader& reader, InvocationSink& sink, BadRows bad_rows,
         std::optional<LogFormat> format)
      : reader_(reader), sink_(sink), bad_rows_(bad_rows), format_(std::move(format)) {}

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
      if (!format_) {
        format_ = detect(line);
      }
      try {
        match(line, *format_, values_);
        sink_.add(make_invocation(values_));
        ++stats_.rows;
      } catch (const RowError& e) {
        if (bad_rows_ == BadRows::fail) {
          return fail(ErrorCode::parse, e.message, reader_.where());
        }
        stats_.skip(reader_.where(), e.message);
      }
    }
    if (!any) {
      return fail(ErrorCode::parse, "empty input, expected nginx access log lines",
                  reader_.path());
    }
    if (stats_.rows == 0) {
      return fail(ErrorCode::parse,
                  "no valid line among " + std::to_string(stats_.skipped_rows) +
                      ", expected nginx access log lines (first: " + stats_.first_skipped + ")",
                  reader_.path());
    }
    return stats_;
  }

 private:
  // ingress-nginx upstreaminfo when the first line matches it, else combined + request time.
  static LogFormat detect(std::string_view line) {
    LogFormat upstreaminfo = *compile(k_upstreaminfo);
    try {
      Values values;
      match(line, upstreaminfo, values);
      return upstreaminfo;
    } catch (const RowError&) {
      return combined_with_request_time();
    }
  }

  LineReader& reader_;
  InvocationSink& sink_;
  BadRows bad_rows_;
  std::optional<LogFormat> format_;
  IngestStats stats_;
  Values values_;
};

}  // namespace

Result<IngestStats> read_nginx_log(LineReader& reader, InvocationSink& sink, BadRows bad_rows,
                                   std::string_view log_format) {
  try {
    std::optional<LogFormat> format;
    if (!log_format.empty()) {
      auto compiled = compile(log_format);
      if (!compiled) {
        return tl::unexpected(compiled.error());
      }
      format = std::move(*compiled);
    }
    return Parser{reader, sink, bad_rows, std::move(format)}.run();
  } catch (const std::bad_alloc&) {
    return fail(ErrorCode::internal, "out of memory", reader.where());
  }
}

}  // namespace placer::ingest
