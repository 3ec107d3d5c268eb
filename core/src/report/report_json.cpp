#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <sstream>

#include "json_reader.hpp"
#include "placer/render/analysis_json.hpp"
#include "placer/report/render.hpp"

namespace placer::report {
namespace {

using ordered = nlohmann::ordered_json;
using detail::InputError;
using detail::JsonReader;

template <typename T>
ordered nullable(const std::optional<T>& v) {
  return v ? ordered(*v) : ordered(nullptr);
}

ordered row_json(const Row& row, bool with_change) {
  ordered o;
  o["index"] = row.index;
  o["name"] = row.name;
  o["status"] = row.ok ? "ok" : "error";
  o["error"] = row.ok ? ordered(nullptr) : ordered{{"code", row.error_code}, {"message", row.error}};
  o["current"] = nullable(row.current);
  o["recommended"] = nullable(row.recommended);
  o["verdict"] = row.verdict;
  o["recommended_config"] = row.recommended_config;
  o["recommended_monthly_cost_usd"] = nullable(row.recommended_cost_usd);
  o["current_monthly_cost_usd"] = nullable(row.current_cost_usd);
  o["misplaced_pct"] = nullable(row.misplaced_pct);
  o["savings_pct"] = row.savings_pct;
  o["slo"] = ordered{{"p99_ms", row.slo_p99_ms}, {"stated", row.slo_stated}};
  o["current_p99_ms"] = nullable(row.current_p99_ms);
  o["current_slo_met"] = nullable(row.current_slo_met);
  o["break_even_multiplier"] = nullable(row.break_even_multiplier);
  o["reasons"] = row.reasons;
  o["trace"] = ordered{{"requests", row.requests},
                       {"window_s", row.window_s},
                       {"mean_rps", row.mean_rps},
                       {"peak_rps", row.peak_rps}};
  ordered platforms = ordered::array();
  for (const PlatformBest& p : row.platforms) {
    platforms.push_back(ordered{{"platform", p.platform},
                                {"config", p.config},
                                {"monthly_cost_usd", p.monthly_cost_usd},
                                {"latency_ms", ordered{{"p50", p.p50_ms},
                                                       {"p95", p.p95_ms},
                                                       {"p99", p.p99_ms},
                                                       {"p999", p.p999_ms},
                                                       {"mean", p.mean_ms}}},
                                {"cold_start_ratio", p.cold_start_ratio},
                                {"slo_met", p.slo_met}});
  }
  o["platforms"] = platforms;
  ordered curve = ordered::array();
  for (const CostPoint& c : row.cost_curve) {
    curve.push_back(ordered{{"traffic_multiplier", c.traffic_multiplier},
                            {"lambda_monthly_cost_usd", c.lambda_monthly_cost_usd},
                            {"container_monthly_cost_usd", c.kubernetes_monthly_cost_usd}});
  }
  o["cost_curve"] = curve;
  o["traffic"] = ordered{{"start_s", row.traffic.start_s},
                         {"bin_s", row.traffic.bin_s},
                         {"requests", row.traffic.requests}};
  if (with_change) {
    const Change& c = row.change;
    o["change"] = ordered{{"text", c.text},
                          {"baseline", c.baseline},
                          {"verdict_flipped", c.verdict_flipped},
                          {"previous_recommended", nullable(c.previous_recommended)},
                          {"previous_recommended_monthly_cost_usd", nullable(c.previous_recommended_cost_usd)},
                          {"previous_current_slo_met", nullable(c.previous_current_slo_met)}};
  } else {
    o["change"] = nullptr;
  }
  ordered findings = ordered::array();
  for (const Finding& f : row.findings) {
    findings.push_back(ordered{{"rule", f.rule}, {"text", f.text}});
  }
  o["findings"] = findings;
  return o;
}

ordered summary_json(const Summary& s) {
  return ordered{{"workloads", s.workloads},
                 {"errors", s.errors},
                 {"with_current", s.with_current},
                 {"misplaced", s.misplaced},
                 {"slo_breaches", s.slo_breaches},
                 {"verdict_flips", s.flips},
                 {"current_monthly_cost_usd", s.current_monthly_cost_usd},
                 {"recommended_monthly_cost_usd", s.recommended_monthly_cost_usd},
                 {"removed", s.removed},
                 {"findings", s.findings},
                 {"gate_failed", s.gate_failed}};
}

// `text` with `prefix` before every line.
std::string indented(const std::string& text, std::string_view prefix) {
  std::string out{prefix};
  for (char ch : text) {
    out += ch;
    if (ch == '\n') {
      out += prefix;
    }
  }
  return out;
}

template <typename T>
std::optional<T> optional_of(const JsonReader& parent, std::string_view key,
                             T (JsonReader::*read)() const) {
  if (auto v = parent.find(key)) {
    return ((*v).*read)();
  }
  return std::nullopt;
}

std::vector<std::string> strings(const JsonReader& node) {
  std::vector<std::string> out;
  for (const JsonReader& e : node.elements()) {
    out.push_back(e.string());
  }
  return out;
}

std::size_t size_of(const JsonReader& node) {
  const double v = node.non_negative();
  if (v != std::floor(v) || v > 1e15) {
    node.fail("expected a whole number");
  }
  return static_cast<std::size_t>(v);
}

Row read_row(const JsonReader& o) {
  Row row;
  row.index = size_of(o.at("index"));
  row.name = o.at("name").string();
  const std::string status = o.at("status").string();
  if (status != "ok" && status != "error") {
    o.at("status").fail("expected \"ok\" or \"error\", found \"" + status + "\"");
  }
  row.ok = status == "ok";
  if (auto e = o.find("error")) {
    row.error_code = e->at("code").string();
    row.error = e->at("message").string();
  }
  row.current = optional_of(o, "current", &JsonReader::string);
  row.recommended = optional_of(o, "recommended", &JsonReader::string);
  row.verdict = o.at("verdict").string();
  row.recommended_config = o.at("recommended_config").string();
  row.recommended_cost_usd = optional_of(o, "recommended_monthly_cost_usd", &JsonReader::number);
  row.current_cost_usd = optional_of(o, "current_monthly_cost_usd", &JsonReader::number);
  row.misplaced_pct = optional_of(o, "misplaced_pct", &JsonReader::number);
  row.savings_pct = o.at("savings_pct").number();
  row.slo_p99_ms = o.at("slo").at("p99_ms").number();
  row.slo_stated = o.at("slo").at("stated").boolean();
  row.current_p99_ms = optional_of(o, "current_p99_ms", &JsonReader::number);
  row.current_slo_met = optional_of(o, "current_slo_met", &JsonReader::boolean);
  row.break_even_multiplier = optional_of(o, "break_even_multiplier", &JsonReader::number);
  row.reasons = strings(o.at("reasons"));
  const JsonReader trace = o.at("trace");
  row.requests = trace.at("requests").number();
  row.window_s = trace.at("window_s").number();
  row.mean_rps = trace.at("mean_rps").number();
  row.peak_rps = trace.at("peak_rps").number();
  for (const JsonReader& p : o.at("platforms").elements()) {
    PlatformBest b;
    b.platform = p.at("platform").string();
    b.config = p.at("config").string();
    b.monthly_cost_usd = p.at("monthly_cost_usd").number();
    const JsonReader l = p.at("latency_ms");
    b.p50_ms = l.at("p50").number();
    b.p95_ms = l.at("p95").number();
    b.p99_ms = l.at("p99").number();
    b.p999_ms = l.at("p999").number();
    b.mean_ms = l.at("mean").number();
    b.cold_start_ratio = p.at("cold_start_ratio").number();
    b.slo_met = p.at("slo_met").boolean();
    row.platforms.push_back(std::move(b));
  }
  for (const JsonReader& c : o.at("cost_curve").elements()) {
    row.cost_curve.push_back({c.at("traffic_multiplier").number(), c.at("lambda_monthly_cost_usd").number(),
                              c.at("container_monthly_cost_usd").number()});
  }
  const JsonReader traffic = o.at("traffic");
  row.traffic.start_s = traffic.at("start_s").number();
  row.traffic.bin_s = traffic.at("bin_s").number();
  for (const JsonReader& n : traffic.at("requests").elements()) {
    row.traffic.requests.push_back(n.number());
  }
  if (auto c = o.find("change")) {
    row.change.text = c->at("text").string();
    row.change.baseline = c->at("baseline").boolean();
    row.change.verdict_flipped = c->at("verdict_flipped").boolean();
    row.change.previous_recommended = optional_of(*c, "previous_recommended", &JsonReader::string);
    row.change.previous_recommended_cost_usd =
        optional_of(*c, "previous_recommended_monthly_cost_usd", &JsonReader::number);
    row.change.previous_current_slo_met = optional_of(*c, "previous_current_slo_met", &JsonReader::boolean);
  }
  for (const JsonReader& f : o.at("findings").elements()) {
    row.findings.push_back({f.at("rule").string(), f.at("text").string()});
  }
  return row;
}

void read_head(const JsonReader& root, Report& r) {
  const JsonReader version = root.at("schema_version");
  if (version.number() != k_report_schema_version) {
    throw InputError{Error{ErrorCode::unsupported,
                           "report schema_version " + version.node().dump() + ", expected " +
                               std::to_string(k_report_schema_version),
                           version.where()}};
  }
  if (root.at("kind").string() != "placer-report") {
    root.at("kind").fail("expected \"placer-report\"");
  }
  r.placer_version = root.at("placer_version").string();
  r.catalog_id = root.at("pricing_catalog").at("id").string();
  r.catalog_date = root.at("pricing_catalog").at("retrieved_on").string();
  r.model_version = root.at("model_version").string();
  r.models = strings(root.at("models"));
  const JsonReader manifest = root.at("manifest");
  r.manifest_name = manifest.at("name").string();
  r.manifest_digest = manifest.at("digest").string();
  r.manifest_workloads = size_of(manifest.at("workloads"));
  if (auto shard = root.find("shard")) {
    r.shard_index = size_of(shard->at("index"));
    r.shard_count = size_of(shard->at("count"));
  }
  r.fail_on = strings(root.at("fail_on"));
  r.baseline = optional_of(root, "baseline", &JsonReader::string);
  const JsonReader s = root.at("summary");
  r.summary.workloads = size_of(s.at("workloads"));
  r.summary.errors = size_of(s.at("errors"));
  r.summary.with_current = size_of(s.at("with_current"));
  r.summary.misplaced = size_of(s.at("misplaced"));
  r.summary.slo_breaches = size_of(s.at("slo_breaches"));
  r.summary.flips = size_of(s.at("verdict_flips"));
  r.summary.current_monthly_cost_usd = s.at("current_monthly_cost_usd").number();
  r.summary.recommended_monthly_cost_usd = s.at("recommended_monthly_cost_usd").number();
  r.summary.removed = strings(s.at("removed"));
  r.summary.findings = size_of(s.at("findings"));
  r.summary.gate_failed = s.at("gate_failed").boolean();
}

}  // namespace

void write_report_json(const Report& report, std::ostream& out) {
  ordered head;
  head["schema_version"] = k_report_schema_version;
  head["kind"] = "placer-report";
  head["placer_version"] = report.placer_version;
  head["pricing_catalog"] = ordered{{"id", report.catalog_id}, {"retrieved_on", report.catalog_date}};
  head["model_version"] = report.model_version;
  head["models"] = report.models;
  head["manifest"] = ordered{{"name", report.manifest_name},
                             {"digest", report.manifest_digest},
                             {"workloads", report.manifest_workloads}};
  head["shard"] = report.shard_index
                      ? ordered{{"index", *report.shard_index}, {"count", report.shard_count}}
                      : ordered(nullptr);
  head["fail_on"] = report.fail_on;
  head["baseline"] = nullable(report.baseline);
  head["summary"] = summary_json(report.summary);
  head["workloads"] = ordered::array();
  std::string text = head.dump(2);
  if (report.rows.empty()) {
    out << text << '\n';
    return;
  }
  // The workloads one at a time, as dump(2) of the whole would lay them out: a fleet's
  // analyses are never one document in memory.
  constexpr std::string_view k_tail = "[]\n}";
  text.resize(text.size() - k_tail.size());
  out << text << "[\n";
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    ordered entry = row_json(report.rows[i], report.baseline.has_value());
    const std::string& analysis = i < report.analyses.size() ? report.analyses[i] : std::string{};
    entry["analysis"] = analysis.empty() ? ordered(nullptr) : ordered::parse(analysis);
    out << indented(entry.dump(2), "    ") << (i + 1 < report.rows.size() ? ",\n" : "\n");
  }
  out << "  ]\n}\n";
}

std::string report_json(const Report& report) {
  std::ostringstream out;
  write_report_json(report, out);
  return out.str();
}

namespace {

// Reads report.json one workload at a time: the head (every key but "workloads") becomes
// one small DOM, and each entry of "workloads" its own DOM, handed to `on_entry` as soon as
// it closes and then dropped. A fleet's report (hundreds of MB, most of it analyses) is
// never one DOM in memory. A second "workloads" key replaces the first, as a DOM would.
class ReportSax {
 public:
  using number_integer_t = ordered::number_integer_t;
  using number_unsigned_t = ordered::number_unsigned_t;
  using number_float_t = ordered::number_float_t;
  using string_t = ordered::string_t;
  using binary_t = ordered::binary_t;
  using DomParser = nlohmann::detail::json_sax_dom_parser<ordered>;

  // `on_entry(entry, i)`; `on_restart()` when a second "workloads" array begins.
  ReportSax(std::function<void(ordered&, std::size_t)> on_entry, std::function<void()> on_restart)
      : on_entry_(std::move(on_entry)), on_restart_(std::move(on_restart)) {}

  ordered& head() { return head_; }
  bool has_workloads() const { return has_workloads_; }
  bool workloads_is_array() const { return workloads_is_array_; }

  bool null() { return value([](DomParser& p) { return p.null(); }); }
  bool boolean(bool v) { return value([v](DomParser& p) { return p.boolean(v); }); }
  bool number_integer(number_integer_t v) { return value([v](DomParser& p) { return p.number_integer(v); }); }
  bool number_unsigned(number_unsigned_t v) { return value([v](DomParser& p) { return p.number_unsigned(v); }); }
  bool number_float(number_float_t v, const string_t& text) {
    return value([&](DomParser& p) { return p.number_float(v, text); });
  }
  bool string(string_t& v) { return value([&](DomParser& p) { return p.string(v); }); }
  bool binary(binary_t& v) { return value([&](DomParser& p) { return p.binary(v); }); }
  bool start_object(std::size_t n) { return open([n](DomParser& p) { return p.start_object(n); }); }
  bool start_array(std::size_t n) {
    opening_array_ = true;
    const bool ok = open([n](DomParser& p) { return p.start_array(n); });
    opening_array_ = false;
    return ok;
  }
  bool end_object() { return close([](DomParser& p) { return p.end_object(); }); }
  bool end_array() { return close([](DomParser& p) { return p.end_array(); }); }
  bool key(string_t& k) {
    if (state_ == State::head && depth_ == 1 && k == "workloads") {
      state_ = State::workloads_value;
      has_workloads_ = true;
      return true;  // the head keeps every other key
    }
    return forward([&](DomParser& p) { return p.key(k); });
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }

 private:
  // head: the head's events; workloads_value: the value of "workloads" comes next;
  // in_array: between entries; in_entry: inside one entry; skip: inside a "workloads"
  // value that is not an array.
  enum class State { head, workloads_value, in_array, in_entry, skip };

  template <typename Event>
  bool forward(Event event) {
    return event(state_ == State::in_entry ? *entry_parser_ : head_parser_);
  }

  template <typename Event>
  bool value(Event event) {
    switch (state_) {
      case State::workloads_value:  // a scalar: not an array, nothing to skip
        workloads_is_array_ = false;
        state_ = State::head;
        return true;
      case State::in_array:  // a scalar entry, whole at once
        begin_entry();
        event(*entry_parser_);
        end_entry();
        return true;
      case State::skip:
        return true;
      default:
        return forward(event);
    }
  }

  template <typename Event>
  bool open(Event event) {
    ++depth_;
    switch (state_) {
      case State::workloads_value:
        workloads_is_array_ = depth_ == 2 && opening_array_;
        if (!workloads_is_array_) {
          state_ = State::skip;
          skip_depth_ = depth_;
          return true;
        }
        state_ = State::in_array;
        on_restart_();
        next_index_ = 0;
        return true;
      case State::in_array:
        begin_entry();
        return event(*entry_parser_);
      case State::skip:
        return true;
      default:
        return forward(event);
    }
  }

  template <typename Event>
  bool close(Event event) {
    const int depth = depth_--;
    switch (state_) {
      case State::in_array:  // the end of the workloads array
        state_ = State::head;
        return true;
      case State::in_entry:
        if (!event(*entry_parser_)) {
          return false;
        }
        if (depth == k_entry_depth) {
          end_entry();
        }
        return true;
      case State::skip:
        if (depth == skip_depth_) {
          state_ = State::head;
        }
        return true;
      default:
        return forward(event);
    }
  }

  void begin_entry() {
    entry_ = ordered{};
    entry_parser_.emplace(entry_, false);
    state_ = State::in_entry;
  }

  void end_entry() {
    on_entry_(entry_, next_index_++);
    entry_ = ordered{};
    entry_parser_.reset();
    state_ = State::in_array;
  }

  static constexpr int k_entry_depth = 3;  // root object, workloads array, entry
  std::function<void(ordered&, std::size_t)> on_entry_;
  std::function<void()> on_restart_;
  ordered head_;
  DomParser head_parser_{head_, false};
  ordered entry_;
  std::optional<DomParser> entry_parser_;
  State state_ = State::head;
  int depth_ = 0;
  int skip_depth_ = 0;
  std::size_t next_index_ = 0;
  bool has_workloads_ = false;
  bool workloads_is_array_ = false;
  bool opening_array_ = false;  // open() is called by start_array, not start_object
};

}  // namespace

Result<Report> parse_report_json(std::string_view text, std::string_view origin) {
  Report report;
  std::optional<InputError> row_error;
  const auto on_entry = [&](ordered& entry, std::size_t i) {
    if (row_error) {
      return;  // the first bad row is the error; later ones are only parsed
    }
    std::string analysis;
    if (entry.is_object() && entry.contains("analysis")) {
      if (!entry["analysis"].is_null()) {
        analysis = entry["analysis"].dump();
      }
      entry.erase("analysis");
    }
    try {
      const nlohmann::json plain = entry;
      report.rows.push_back(read_row(JsonReader{plain, "$.workloads[" + std::to_string(i) + "]", origin}));
      report.analyses.push_back(std::move(analysis));
    } catch (const InputError& e) {
      row_error = e;
    }
  };
  const auto on_restart = [&] {
    report.rows.clear();
    report.analyses.clear();
    row_error.reset();
  };
  ReportSax sax{on_entry, on_restart};
  bool parsed = false;
  try {
    parsed = nlohmann::json::sax_parse(text.begin(), text.end(), &sax);
  } catch (const nlohmann::json::exception&) {  // out_of_range for 1e99999
    parsed = false;
  }
  if (!parsed) {
    auto e = detail::parse_json(text, origin);  // for the line and column of the error
    return tl::unexpected(e ? Error{ErrorCode::parse, "malformed JSON", std::string{origin}} : e.error());
  }
  try {
    const nlohmann::json plain = sax.head();
    read_head(JsonReader{plain, "$", origin}, report);
  } catch (const InputError& e) {
    return tl::unexpected(e.error);
  }
  if (!sax.head().is_object() || !sax.has_workloads() || !sax.workloads_is_array()) {
    return fail(ErrorCode::parse, "expected an array of workloads", std::string{origin} + ": $.workloads");
  }
  if (row_error) {
    return tl::unexpected(row_error->error);
  }
  return report;
}

Result<Report> load_report_json(const std::string& path, std::string_view what) {
  auto text = detail::read_small_file(path, k_max_report_bytes, what);
  if (!text) {
    return tl::unexpected(text.error());
  }
  return parse_report_json(*text, path);
}

}  // namespace placer::report
