// Which series of a Prometheus export the user's options select, and as what.
#include <set>
#include <tuple>

#include "json_reader.hpp"
#include "prometheus_series.hpp"
#include "text.hpp"

namespace placer::ingest {
namespace {

constexpr std::pair<std::string_view, SeriesKind> k_kinds[] = {
    {"counter", SeriesKind::counter},
    {"rate", SeriesKind::rate},
    {"latency-seconds", SeriesKind::latency_seconds},
};

std::optional<double> quantile_of(std::string_view text) {
  auto q = text::parse_number(text);
  if (!q || *q < 0 || *q > 1) {
    return std::nullopt;
  }
  return q;
}

}  // namespace

std::string_view to_string(SeriesKind kind) {
  for (const auto& [name, value] : k_kinds) {
    if (value == kind) {
      return name;
    }
  }
  return "counter";
}

Result<SeriesKind> parse_series_kind(std::string_view name) {
  for (const auto& [known, value] : k_kinds) {
    if (known == name) {
      return value;
    }
  }
  return fail(ErrorCode::invalid_argument,
              "found series kind \"" + text::shorten(name) +
                  "\", expected counter, rate or latency-seconds",
              "--series-kind");
}

Result<SeriesSpec> parse_series_spec(std::string_view text) {
  auto bad = [&](const std::string& message) {
    return fail(ErrorCode::invalid_argument, message + " in \"" + text::shorten(text) + "\"",
                "--series");
  };
  SeriesSpec spec;
  std::set<std::string, std::less<>> seen;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) {
      comma = text.size();
    }
    const std::string_view item = text.substr(pos, comma - pos);
    pos = comma + 1;
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return bad("found \"" + text::shorten(item) + "\", expected key=value");
    }
    const std::string key{item.substr(0, eq)};
    const std::string_view value = item.substr(eq + 1);
    if (key != "match" && !seen.insert(key).second) {
      return bad("found " + key + " twice, expected it once");
    }
    if (key == "kind") {
      auto kind = parse_series_kind(value);
      if (!kind) {
        return bad(kind.error().message);
      }
      spec.kind = *kind;
    } else if (key == "file") {
      if (value.empty()) {
        return bad("found an empty file, expected an input's path");
      }
      spec.file = value;
    } else if (key == "index") {
      auto index = text::parse_number(value);
      if (!index || *index < 0 || *index != static_cast<double>(static_cast<std::size_t>(*index))) {
        return bad("found index \"" + text::shorten(value) + "\", expected 0, 1, 2, ...");
      }
      spec.index = static_cast<std::size_t>(*index);
    } else if (key == "match") {
      const std::size_t label_end = value.find('=');
      if (label_end == 0 || label_end == std::string_view::npos) {
        return bad("found match \"" + text::shorten(value) + "\", expected match=LABEL=VALUE");
      }
      spec.match.emplace_back(value.substr(0, label_end), value.substr(label_end + 1));
    } else if (key == "quantile") {
      auto q = quantile_of(value);
      if (!q) {
        return bad("found quantile \"" + text::shorten(value) + "\", expected 0 to 1 (0.99)");
      }
      spec.quantile = *q;
    } else {
      return bad("found key \"" + text::shorten(key) +
                 "\", expected kind, file, index, match or quantile");
    }
  }
  return spec;
}

namespace prometheus {
namespace {

using detail::InputError;

[[noreturn]] void usage(std::string message, std::string where) {
  throw InputError{Error{ErrorCode::invalid_argument, std::move(message), std::move(where)}};
}

std::string describe_spec(const SeriesSpec& spec) {
  std::string out;
  auto add = [&](const std::string& item) { out += (out.empty() ? "" : ",") + item; };
  if (spec.kind) {
    add("kind=" + std::string{to_string(*spec.kind)});
  }
  if (!spec.file.empty()) {
    add("file=" + spec.file);
  }
  if (spec.index) {
    add("index=" + std::to_string(*spec.index));
  }
  for (const auto& [label, value] : spec.match) {
    add("match=" + label + "=" + value);
  }
  return "--series '" + out + "'";
}

bool matches(const SeriesSpec& spec, const RawSeries& series) {
  if ((!spec.file.empty() && spec.file != series.file) ||
      (spec.index && *spec.index != series.index)) {
    return false;
  }
  for (const auto& [label, value] : spec.match) {
    auto it = series.labels.find(label);
    if ((it == series.labels.end() ? std::string{} : it->second) != value) {
      return false;
    }
  }
  return true;
}

class Lister {
 public:
  explicit Lister(const std::vector<RawSeries>& raws) : raws_(raws) {
    std::set<std::string> files;
    for (const RawSeries& s : raws) {
      files.insert(s.file);
    }
    with_file_ = files.size() > 1;
  }
  std::string operator()(const RawSeries& s) const { return describe(s, with_file_); }
  // The first few series of `which` (all when empty), for a one-line message.
  std::string list(const std::vector<std::size_t>& which = {}) const {
    constexpr std::size_t k_shown = 8;
    std::vector<std::size_t> all = which;
    if (all.empty()) {
      for (std::size_t i = 0; i < raws_.size(); ++i) {
        all.push_back(i);
      }
    }
    std::string out;
    for (std::size_t i = 0; i < all.size() && i < k_shown; ++i) {
      out += (i == 0 ? "" : ", ") + (*this)(raws_[all[i]]);
    }
    if (all.size() > k_shown) {
      out += " and " + std::to_string(all.size() - k_shown) + " more";
    }
    return out;
  }

 private:
  const std::vector<RawSeries>& raws_;
  bool with_file_ = false;
};

double quantile_for(const RawSeries& s, const SeriesSpec* spec, const PrometheusOptions& options,
                    const Lister& name) {
  if (s.labels.count("le") != 0) {
    usage("series " + name(s) +
              " has an le label: it is a histogram bucket, expected a quantile such as "
              "histogram_quantile(0.99, ...) gives",
          "--series");
  }
  std::optional<double> label;
  if (auto it = s.labels.find("quantile"); it != s.labels.end()) {
    label = quantile_of(it->second);
    if (!label) {
      usage("series " + name(s) + " has quantile \"" + text::shorten(it->second) +
                "\", expected 0 to 1",
            "--series");
    }
  }
  std::optional<double> given =
      spec != nullptr && spec->quantile ? spec->quantile : options.quantile;
  if (given && label && *given != *label) {
    usage("series " + name(s) + " is quantile " + text::shorten(s.labels.at("quantile")) +
              " by its label, and the options say " + text::number(*given) +
              ", expected one answer",
          "--quantile");
  }
  if (!given && !label) {
    usage("latency series " + name(s) +
              " has no quantile, expected quantile=Q in its --series, --quantile or a "
              "quantile label",
          "--quantile");
  }
  return given ? *given : *label;
}

}  // namespace

std::string describe(const RawSeries& series, bool with_file) {
  std::string out = with_file ? series.file + " " : "";
  out += "[" + std::to_string(series.index) + "] {";
  bool first = true;
  for (const auto& [label, value] : series.labels) {
    out += (first ? "" : ", ") + text::shorten(label) + "=\"" + text::shorten(value) + "\"";
    first = false;
  }
  return out + "}";
}

std::vector<Selected> select(const std::vector<RawSeries>& raws, const PrometheusOptions& options) {
  const Lister name{raws};
  if (raws.empty()) {
    return {};
  }
  // Which spec selects each series (nullptr: all are selected, no spec).
  std::vector<const SeriesSpec*> spec_of(raws.size(), nullptr);
  std::vector<bool> selected(raws.size(), options.series.empty());
  for (const SeriesSpec& spec : options.series) {
    bool any = false;
    for (std::size_t i = 0; i < raws.size(); ++i) {
      if (!matches(spec, raws[i])) {
        continue;
      }
      if (selected[i]) {
        usage("series " + name(raws[i]) + " is selected by " + describe_spec(*spec_of[i]) +
                  " and " + describe_spec(spec) + ", expected one --series a series",
              "--series");
      }
      selected[i] = true;
      spec_of[i] = &spec;
      any = true;
    }
    if (!any) {
      usage(describe_spec(spec) + " selects no series, the export holds " + name.list(),
            "--series");
    }
  }
  std::vector<Selected> out;
  for (std::size_t i = 0; i < raws.size(); ++i) {
    if (!selected[i]) {
      continue;
    }
    const RawSeries& s = raws[i];
    const SeriesSpec* spec = spec_of[i];
    Selected sel;
    sel.raw = i;
    if (spec != nullptr && spec->kind) {
      sel.kind = *spec->kind;
    } else if (options.kind) {
      sel.kind = *options.kind;
    } else if (spec != nullptr) {
      usage(describe_spec(*spec) +
                " gives no kind, expected kind=counter, rate or "
                "latency-seconds in it or --series-kind",
            "--series");
    } else {
      usage(
          "the export does not say what its series measure, expected --series-kind counter, "
          "rate or latency-seconds",
          "--series-kind");
    }
    if (s.histograms_only) {
      throw InputError{Error{ErrorCode::unsupported,
                             "series " + name(s) +
                                 " holds native histograms only, which placer does not read: "
                                 "export histogram_quantile(...) over them instead",
                             s.where}};
    }
    if (!options.workload_label.empty()) {
      auto it = s.labels.find(options.workload_label);
      if (it == s.labels.end() || it->second.empty()) {
        usage("series " + name(s) + " has no label \"" + text::shorten(options.workload_label) +
                  "\" to name its workload, expected every selected series to have it",
              "--workload-label");
      }
      sel.workload = it->second;
    }
    if (sel.kind == SeriesKind::latency_seconds) {
      sel.quantile = quantile_for(s, spec, options, name);
    }
    out.push_back(std::move(sel));
  }
  // One request series a workload, one latency series a workload and quantile. A series is
  // its kind and labels: the same one in several responses is pages of one series.
  using Role = std::tuple<std::string, bool, double>;  // workload, latency, quantile
  using Identity = std::pair<SeriesKind, std::map<std::string, std::string>>;
  std::map<Role, std::map<Identity, std::size_t>> roles;  // -> the first raw series
  for (const Selected& sel : out) {
    const bool latency = sel.kind == SeriesKind::latency_seconds;
    roles[{sel.workload, latency, sel.quantile}].try_emplace({sel.kind, raws[sel.raw].labels},
                                                             sel.raw);
  }
  for (const auto& [role, series] : roles) {
    if (series.size() < 2) {
      continue;
    }
    if (options.series.empty() && options.workload_label.empty()) {
      usage(std::to_string(raws.size()) + " series and nothing tells them apart: " + name.list() +
                "; expected --series to say which is which (e.g. 'kind=counter,index=0') or "
                "--workload-label to name workloads by a label",
            "--series");
    }
    std::vector<std::size_t> firsts;
    for (const auto& [identity, raw] : series) {
      firsts.push_back(raw);
    }
    usage("workload \"" + text::shorten(std::get<0>(role)) + "\" has " +
              (std::get<1>(role) ? "several latency series at one quantile: "
                                 : "several request series: ") +
              name.list(firsts) + ", expected one (select it with --series)",
          "--series");
  }
  return out;
}

}  // namespace prometheus
}  // namespace placer::ingest
