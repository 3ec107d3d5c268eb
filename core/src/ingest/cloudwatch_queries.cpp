// What a get-metric-data Id holds: the user's queries, or the Id and Label conventions.
#include <cctype>
#include <set>

#include "cloudwatch_metric_data.hpp"
#include "json_document.hpp"
#include "text.hpp"

namespace placer::ingest {

using detail::JsonReader;
namespace cloudwatch {
namespace {

constexpr std::string_view k_metrics[] = {
    "Invocations", "Duration",     "ConcurrentExecutions", "Errors",
    "Throttles",   "RequestCount", "TargetResponseTime"};

std::string lower(std::string_view s) {
  std::string out{s};
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// "TargetResponseTime" -> "target_response_time".
std::string snake(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (std::isupper(static_cast<unsigned char>(c)) && !out.empty()) {
      out += '_';
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool is_statistic(std::string_view stat) {
  return stat == "Sum" || stat == "Average" || stat == "Minimum" || stat == "Maximum" ||
         stat == "SampleCount" || percentile_of(stat).has_value();
}

// The CloudWatch statistic an Id suffix names: "avg" -> "Average", "p99_9" -> "p99.9".
std::optional<std::string> statistic_of_suffix(const std::string& suffix) {
  static const std::pair<std::string_view, std::string_view> k_names[] = {
      {"sum", "Sum"},
      {"avg", "Average"},
      {"average", "Average"},
      {"mean", "Average"},
      {"min", "Minimum"},
      {"minimum", "Minimum"},
      {"max", "Maximum"},
      {"maximum", "Maximum"},
      {"samplecount", "SampleCount"},
      {"sample_count", "SampleCount"}};
  for (const auto& [name, stat] : k_names) {
    if (suffix == name) {
      return std::string{stat};
    }
  }
  std::string pct = suffix;
  if (auto underscore = pct.find('_'); underscore != std::string::npos) {
    pct[underscore] = '.';
  }
  if (percentile_of(pct)) {
    return pct;
  }
  return std::nullopt;
}

struct Named {
  std::string metric;
  std::string stat;  // empty: not named
};

std::optional<Named> from_id(const std::string& id) {
  const std::string lowered = lower(id);
  for (std::string_view metric : k_metrics) {
    for (const std::string& form : {lower(metric), snake(metric)}) {
      if (lowered == form) {
        return Named{std::string{metric}, ""};
      }
      if (lowered.size() > form.size() + 1 && lowered.compare(0, form.size(), form) == 0 &&
          lowered[form.size()] == '_') {
        if (auto stat = statistic_of_suffix(lowered.substr(form.size() + 1))) {
          return Named{std::string{metric}, *stat};
        }
      }
    }
  }
  return std::nullopt;
}

std::optional<Named> from_label(const std::string& label) {
  for (std::string_view metric : k_metrics) {
    if (label == metric) {
      return Named{std::string{metric}, ""};
    }
    if (label.size() > metric.size() + 1 && label.compare(0, metric.size(), metric) == 0 &&
        label[metric.size()] == ' ' && is_statistic(label.substr(metric.size() + 1))) {
      return Named{std::string{metric}, label.substr(metric.size() + 1)};
    }
  }
  return std::nullopt;
}

MetricMeaning from_query(const JsonReader& id_node, const std::vector<MetricQuery>& queries) {
  const std::string id = id_node.string();
  const MetricQuery* query = nullptr;
  std::string known;
  for (const MetricQuery& q : queries) {
    if (q.id == id) {
      query = &q;
    }
    known += (known.empty() ? "" : ", ") + q.id;
  }
  if (query == nullptr) {
    id_node.fail("found Id \"" + text::shorten(id) + "\", expected an Id of the queries (" +
                 text::shorten(known) + ")");
  }
  if (query->expression) {
    id_node.fail("Id \"" + text::shorten(id) +
                 "\" is a metric math expression, expected a MetricStat query");
  }
  MetricMeaning m;
  m.metric = query->metric;
  m.stat = query->stat;
  m.unit = query->unit;
  m.period_s = query->period_s;
  m.source = query->namespace_name;
  for (const auto& [name, value] : query->dimensions) {
    m.source += "\n" + name + "=" + value;
    m.workload_name += (m.workload_name.empty() ? "" : "/") + value;
  }
  if (m.workload_name.empty()) {
    m.workload_name = query->namespace_name;
  }
  return m;
}

}  // namespace

MetricMeaning meaning_of(const JsonReader& id_node, const std::string& label,
                         const std::vector<MetricQuery>& queries) {
  MetricMeaning m;
  const std::string id = id_node.string();
  if (!queries.empty()) {
    m = from_query(id_node, queries);
  } else {
    // The Id first; the Label when the Id names nothing, or names the metric alone.
    auto named = from_id(id);
    if (!named || named->stat.empty()) {
      auto by_label = from_label(label);
      if (by_label && (!named || (by_label->metric == named->metric && !by_label->stat.empty()))) {
        named = by_label;
      }
    }
    if (!named) {
      id_node.fail("cannot tell what Id \"" + text::shorten(id) + "\" (Label \"" +
                   text::shorten(label) +
                   "\") holds, expected an Id such as invocations or duration_p99, a Label "
                   "such as \"Duration p99\", or the queries (--metric-query)");
    }
    const KnownMetric* known = known_metric(named->metric);
    m.metric = named->metric;
    m.stat = named->stat;
    m.source = std::string{known->namespace_name};
    m.workload_name = m.source;
    if (m.stat.empty()) {
      if (known->unit != "Count") {
        id_node.fail("Id \"" + text::shorten(id) + "\" (Label \"" + text::shorten(label) +
                     "\") names " + m.metric + " but not its statistic, expected e.g. " +
                     snake(m.metric) + "_p99 or " + snake(m.metric) + "_avg");
      }
      m.stat = m.metric == "ConcurrentExecutions" ? "Maximum" : "Sum";
    }
  }
  if (!is_statistic(m.stat)) {
    id_node.fail("Id \"" + text::shorten(id) + "\" holds the statistic \"" + text::shorten(m.stat) +
                 "\", expected Sum, Average, Minimum, Maximum, SampleCount or pNN");
  }
  if (m.unit.empty()) {
    const KnownMetric* known = known_metric(m.metric);
    if (known == nullptr) {
      id_node.fail("Id \"" + text::shorten(id) + "\" holds \"" + text::shorten(m.metric) +
                   "\" and its query gives no Unit, expected a Lambda or ALB metric placer "
                   "knows (Invocations, Duration, RequestCount, TargetResponseTime) or a Unit");
    }
    m.unit = std::string{known->unit};
  }
  return m;
}

}  // namespace cloudwatch

Result<std::vector<MetricQuery>> read_metric_queries(LineReader& reader) {
  constexpr std::size_t k_max_bytes = std::size_t{16} << 20;
  auto documents = read_json_documents(reader, k_max_bytes, "query file");
  if (!documents) {
    return tl::unexpected(documents.error());
  }
  try {
    const JsonDocument& doc = documents->front();
    JsonReader root{doc.value, "$", doc.origin};
    if (documents->size() > 1) {
      JsonReader{(*documents)[1].value, "$", (*documents)[1].origin}.fail(
          "a second JSON document, expected one list of queries");
    }
    const JsonReader list = root.node().is_object() ? root.at("MetricDataQueries") : root;
    std::vector<MetricQuery> out;
    std::set<std::string> ids;
    for (const JsonReader& q : list.elements()) {
      MetricQuery query;
      const JsonReader id = q.at("Id");
      query.id = id.string();
      if (!ids.insert(query.id).second) {
        id.fail("Id \"" + text::shorten(query.id) + "\" appears twice, expected one query an Id");
      }
      if (auto stat = q.find("MetricStat")) {
        const JsonReader metric = stat->at("Metric");
        query.namespace_name = metric.at("Namespace").string();
        query.metric = metric.at("MetricName").string();
        if (auto dimensions = metric.find("Dimensions")) {
          for (const JsonReader& d : dimensions->elements()) {
            query.dimensions.emplace_back(d.at("Name").string(), d.at("Value").string());
          }
        }
        query.period_s = stat->at("Period").positive();
        query.stat = stat->at("Stat").string();
        if (auto unit = stat->find("Unit")) {
          query.unit = unit->string();
        }
      } else if (q.has("Expression")) {
        query.expression = true;
      } else {
        q.fail("a query with neither MetricStat nor Expression, expected one of them");
      }
      out.push_back(std::move(query));
    }
    return out;
  } catch (const detail::InputError& e) {
    return tl::unexpected(e.error);
  }
}

}  // namespace placer::ingest
