#include "placer/ingest/lambda_logs.hpp"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_reader.hpp"
#include "lambda_report_line.hpp"
#include "text.hpp"
#include "placer/ingest/timestamp.hpp"

namespace placer::ingest {
namespace {

using detail::InputError;
using detail::JsonReader;

using text::parse_number;
using text::shorten;

using lambda::mib_from_lambda_mb;
using lambda::parse_report;
using lambda::RowError;
using lambda::starts_report;
using lambda::to_invocation;
using lambda::words;

// A `platform.report` event, or nullopt for any other object. Throws InputError.
std::optional<Invocation> platform_event(const JsonReader& event) {
  if (!event.node().is_object()) {
    return std::nullopt;
  }
  auto type = event.node().find("type");
  if (type == event.node().end() || !type->is_string() || *type != "platform.report") {
    return std::nullopt;
  }
  JsonReader time = event.at("time");
  std::string text = time.string();
  auto when = parse_rfc3339(text);
  if (!when) {
    time.fail("expected RFC 3339 with an offset, found \"" + shorten(text) + "\"");
  }
  JsonReader metrics = event.at("record").at("metrics");
  Invocation inv;
  inv.timestamp_s = *when;
  inv.duration = Millis{metrics.at("durationMs").non_negative()};
  if (auto memory = metrics.find("maxMemoryUsedMB")) {
    inv.memory = mib_from_lambda_mb(memory->positive());
  }
  if (auto init = metrics.find("initDurationMs")) {
    inv.init_duration = Millis{init->non_negative()};
  } else if (auto restore = metrics.find("restoreDurationMs")) {
    inv.init_duration = Millis{restore->non_negative()};
  }
  return inv;
}

// One element of `events` / `logEvents`; `origin` names the file. Throws InputError.
std::optional<Invocation> log_event(const JsonReader& event, std::string_view origin) {
  double timestamp_ms = event.at("timestamp").number();
  JsonReader message = event.at("message");
  std::string text = message.string();
  if (starts_report(text)) {
    try {
      return to_invocation(timestamp_ms / 1000.0, parse_report(text));
    } catch (const RowError& e) {
      message.fail(e.message);
    }
  }
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') {  // JSON log format
    nlohmann::json inner = nlohmann::json::parse(text, nullptr, false);
    if (!inner.is_discarded()) {
      return platform_event(JsonReader{inner, message.path(), origin});
    }
  }
  return std::nullopt;
}

enum class TextTime { unknown, timed, untimed };

class Parser {
 public:
  Parser(LineReader& reader, InvocationSink& sink, BadRows bad_rows)
      : reader_(reader), sink_(sink), bad_rows_(bad_rows) {}

  Result<IngestStats> run() {
    std::string_view line;
    std::size_t blank_lines = 0;
    enum class Mode { unknown, text, jsonl, document } mode = Mode::unknown;
    for (;;) {
      auto more = reader_.next(line);
      if (!more) {
        return tl::unexpected(more.error());
      }
      if (!*more) {
        break;
      }
      if (mode == Mode::unknown) {
        if (reader_.line_number() == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) {
          line.remove_prefix(3);  // UTF-8 byte-order mark
        }
        std::size_t first = line.find_first_not_of(" \t");
        if (first == std::string_view::npos) {
          ++blank_lines;
          continue;
        }
        if (line[first] == '[') {
          mode = Mode::document;
        } else if (line[first] == '{') {
          // A complete (or plainly broken) JSON value on the first line means JSON Lines; an
          // unfinished one, as in "{" of a pretty-printed export, means one document.
          auto first_value = detail::parse_json(line, reader_.path());
          bool unfinished =
              !first_value && first_value.error().message.rfind("unexpected end", 0) == 0;
          mode = unfinished ? Mode::document : Mode::jsonl;
        } else {
          mode = Mode::text;
        }
        if (mode == Mode::document) {
          document_.assign(blank_lines, '\n');  // keeps line numbers in parse errors right
        }
      }
      Result<void> ok;
      switch (mode) {
        case Mode::text:
          ok = text_line(line);
          break;
        case Mode::jsonl:
          ok = json_line(line);
          break;
        default:
          ok = append(line);
      }
      if (!ok) {
        return tl::unexpected(ok.error());
      }
    }
    if (mode == Mode::unknown) {
      return fail(ErrorCode::parse, "empty input, expected Lambda REPORT lines or JSON log events",
                  reader_.path());
    }
    if (mode == Mode::document) {
      if (auto ok = read_document(); !ok) {
        return tl::unexpected(ok.error());
      }
    }
    if (stats_.rows == 0 && stats_.skipped_rows == 0) {
      return fail(ErrorCode::parse,
                  "no REPORT line or platform.report event found, expected AWS Lambda logs",
                  reader_.path());
    }
    return stats_;
  }

 private:
  Result<void> bad_row(Error error) {
    if (bad_rows_ == BadRows::fail) {
      return tl::unexpected(std::move(error));
    }
    stats_.skip(error.where, error.message);
    return {};
  }

  void deliver(const Invocation& inv) {
    sink_.add(inv);
    ++stats_.rows;
  }

  Result<void> text_line(std::string_view line) {
    try {
      if (auto inv = text_report(line)) {
        deliver(*inv);
      }
    } catch (const RowError& e) {
      return bad_row(Error{ErrorCode::parse, e.message, reader_.where()});
    }
    return {};
  }

  // A REPORT line, bare or after a leading time (and maybe a log stream name); nullopt for
  // any other line. Throws RowError.
  std::optional<Invocation> text_report(std::string_view line) {
    auto w = words(line.substr(0, 256));
    if (w.empty()) {
      return std::nullopt;
    }
    if (w[0] == "REPORT") {
      if (time_ == TextTime::timed) {
        throw RowError{
            "REPORT line has no timestamp but the first REPORT line has one, "
            "expected a leading RFC 3339 time"};
      }
      time_ = TextTime::untimed;
      return to_invocation(0, parse_report(line));
    }
    // "<time> REPORT ..." or "<time> <log stream> REPORT ..." (aws logs tail).
    std::size_t at = 0;
    if (w.size() > 1 && w[1] == "REPORT") {
      at = 1;
    } else if (w.size() > 2 && w[2] == "REPORT") {
      at = 2;
    } else {
      return std::nullopt;
    }
    auto when = parse_rfc3339(w[0]);
    if (!when && at == 2) {  // "2024-05-01 12:00:00Z REPORT ..."
      when = parse_rfc3339(std::string{w[0]} + " " + std::string{w[1]});
    }
    if (!when) {
      throw RowError{"bad timestamp \"" + shorten(w[0]) +
                     "\" before REPORT, expected RFC 3339 with an offset"};
    }
    if (time_ == TextTime::untimed) {
      throw RowError{
          "REPORT line has a timestamp but the first REPORT line has none, "
          "expected all or none timestamped"};
    }
    time_ = TextTime::timed;
    auto offset = static_cast<std::size_t>(w[at].data() - line.data());
    return to_invocation(*when, parse_report(line.substr(offset)));
  }

  // One JSON Lines record: an event, an array of events, or a whole container on one line.
  Result<void> json_line(std::string_view line) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      return {};
    }
    auto doc = detail::parse_json(line, reader_.path());
    if (!doc) {
      std::string message = doc.error().message;
      if (message.rfind("malformed JSON: ", 0) == 0) {
        message.erase(0, 16);
      }
      return bad_row(Error{ErrorCode::parse, "malformed JSON line: " + message, reader_.where()});
    }
    return walk(JsonReader{*doc, "$", origin_}, true);
  }

  Result<void> append(std::string_view line) {
    if (document_.size() + line.size() + 1 > k_max_lambda_json_bytes) {
      return fail(ErrorCode::parse,
                  "JSON document larger than 256 MiB, expected a smaller export (split it by "
                  "--start-time/--end-time)",
                  reader_.where());
    }
    if (document_lines_++ > 0) {
      document_ += '\n';
    }
    document_ += line;
    return {};
  }

  Result<void> read_document() {
    auto doc = detail::parse_json(document_, reader_.path());
    if (!doc) {
      return tl::unexpected(doc.error());
    }
    std::string().swap(document_);
    return walk(JsonReader{*doc, "$", origin_}, false);
  }

  // Turns an error inside one JSON Lines record into "<path>:<line>" plus the field.
  Error line_error(Error error) const {
    std::string_view path = error.where;
    std::string prefix = origin_ + ": $";
    if (path.rfind(prefix, 0) == 0) {
      path.remove_prefix(prefix.size());
    }
    if (!path.empty() && path.front() == '.') {
      path.remove_prefix(1);
    }
    std::string message = path.empty() ? error.message : std::string{path} + ": " + error.message;
    return Error{ErrorCode::parse, std::move(message), reader_.where()};
  }

  // Runs `step` for one event: its InputError is a bad row, its Invocation is delivered.
  template <typename Step>
  Result<void> event(Step step, bool in_line) {
    try {
      if (auto inv = step()) {
        deliver(*inv);
      }
    } catch (const InputError& e) {
      return bad_row(in_line ? line_error(e.error) : e.error);
    }
    return {};
  }

  // A top-level JSON value: a container of log events, an array of platform events, or one.
  Result<void> walk(const JsonReader& root, bool in_line) {
    try {
      if (root.node().is_array()) {
        for (const JsonReader& element : root.elements()) {
          if (auto ok = event([&] { return platform_event(element); }, in_line); !ok) {
            return ok;
          }
        }
        return {};
      }
      if (!root.node().is_object()) {
        root.fail(std::string{"expected a JSON object or array, found "} + root.node().type_name());
      }
      std::optional<JsonReader> events = root.find("events");
      if (!events) {
        events = root.find("logEvents");
      }
      if (events) {
        for (const JsonReader& element : events->elements()) {
          if (auto ok = event([&] { return log_event(element, origin_); }, in_line); !ok) {
            return ok;
          }
        }
        return {};
      }
      if (!root.has("type") && !in_line) {
        root.fail(
            "expected \"events\" (aws logs get-log-events), \"logEvents\" (a subscription "
            "payload) or a Lambda event with \"type\"");
      }
      return event([&] { return platform_event(root); }, in_line);  // others: ignored
    } catch (const InputError& e) {
      Error error = in_line ? line_error(e.error) : e.error;
      return in_line ? bad_row(std::move(error)) : tl::unexpected(std::move(error));
    }
  }

  LineReader& reader_;
  InvocationSink& sink_;
  BadRows bad_rows_;
  IngestStats stats_;
  TextTime time_ = TextTime::unknown;
  std::string document_;
  std::size_t document_lines_ = 0;
  std::string origin_ = reader_.path();
};

}  // namespace

Result<IngestStats> read_lambda_logs(LineReader& reader, InvocationSink& sink, BadRows bad_rows) {
  return Parser{reader, sink, bad_rows}.run();
}

}  // namespace placer::ingest
