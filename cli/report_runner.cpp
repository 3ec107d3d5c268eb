#include "report_runner.hpp"

#include <algorithm>
#include <atomic>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "inputs.hpp"
#include "placer/analysis/analysis.hpp"
#include "placer/sim/workload_trace.hpp"

namespace placer::cli {
namespace {

using Traces = Result<std::vector<sim::WorkloadTrace>>;

// Inputs that read alike go to one read_inputs call: one format and one set of options.
std::vector<InputFlags> input_groups(const std::vector<report::InputSpec>& inputs) {
  std::vector<InputFlags> groups;
  for (const report::InputSpec& in : inputs) {
    InputFlags f;
    f.format = in.format;
    f.on_bad_row = in.on_bad_row;
    f.log_format = in.log_format;
    f.series_kind = in.series_kind;
    f.series = in.series;
    f.workload_label = in.workload_label;
    f.quantile = in.quantile;
    f.step_seconds = in.step_seconds;
    f.metric_query = in.metric_query;
    f.as_workload = in.as_workload;
    bool joined = false;
    for (InputFlags& g : groups) {
      if (g.format == f.format && g.on_bad_row == f.on_bad_row && g.log_format == f.log_format &&
          g.series_kind == f.series_kind && g.series == f.series && g.workload_label == f.workload_label &&
          g.quantile == f.quantile && g.step_seconds == f.step_seconds && g.metric_query == f.metric_query &&
          g.as_workload == f.as_workload) {
        g.files.push_back(in.path);
        joined = true;
        break;
      }
    }
    if (!joined) {
      f.files.push_back(in.path);
      groups.push_back(std::move(f));
    }
  }
  return groups;
}

// A key that two workloads with the same inputs share.
std::string inputs_key(const std::vector<report::InputSpec>& inputs) {
  std::string key;
  for (const report::InputSpec& in : inputs) {
    key += in.path + '\x1f' + in.format + '\x1f' + in.on_bad_row + '\x1f' + in.log_format + '\x1f' +
           in.series_kind + '\x1f' + in.workload_label + '\x1f' + in.metric_query + '\x1f' + in.as_workload +
           '\x1f' + (in.quantile ? std::to_string(*in.quantile) : "") + '\x1f' +
           (in.step_seconds ? std::to_string(*in.step_seconds) : "");
    for (const std::string& s : in.series) {
      key += '\x1e' + s;
    }
    key += '\x1d';
  }
  return key;
}

Traces read_traces(const std::vector<report::InputSpec>& inputs) {
  sim::WorkloadTraceBuilder builder;
  for (const InputFlags& group : input_groups(inputs)) {
    if (auto files = read_inputs(group, builder); !files) {
      return tl::unexpected(files.error());
    }
  }
  return builder.finish();
}

// The trace `select` names among `sorted` (names with their trace index, by name): the one
// of that name, else the only one it is a prefix of.
Result<std::size_t> choose(const std::vector<std::pair<std::string_view, std::size_t>>& sorted,
                           const std::string& select) {
  if (sorted.size() == 1) {
    return sorted.front().second;
  }
  auto it = std::lower_bound(sorted.begin(), sorted.end(), std::pair<std::string_view, std::size_t>{select, 0});
  if (it != sorted.end() && it->first == select) {
    return it->second;
  }
  std::size_t matches = 0;
  for (auto p = it; p != sorted.end() && p->first.starts_with(select) && matches < 2; ++p) {
    ++matches;
  }
  if (matches == 1) {
    return it->second;
  }
  // Name a few, so the fix is a copy away.
  std::string some;
  const std::size_t first = matches > 1 ? static_cast<std::size_t>(it - sorted.begin()) : 0;
  for (std::size_t k = first; k < sorted.size() && k < first + 3; ++k) {
    some += (some.empty() ? "\"" : ", \"") + std::string{sorted[k].first} + "\"";
  }
  return fail(ErrorCode::not_found,
              "the inputs hold " + std::to_string(sorted.size()) + " workloads and " +
                  (matches > 1 ? "several" : "none") + " named \"" + select +
                  "\"; set select to one of them (" + some + (sorted.size() > 3 ? ", ..." : "") + ")",
              "select");
}

// What one distinct set of inputs read into, which trace each of its workloads takes, and
// how many of them have yet to finish with each trace.
struct Loaded {
  Traces traces;
  std::map<std::size_t, Result<std::size_t>> chosen;  // manifest index -> trace index
  std::vector<std::size_t> uses;
};

// Inputs read once, however many workloads share them (one export often holds a fleet);
// a trace's memory goes as soon as the last workload that takes it is done.
class TraceCache {
 public:
  TraceCache(const report::Manifest& m, const std::vector<std::size_t>& indices) : manifest_(m) {
    for (std::size_t i : indices) {
      workloads_[inputs_key(m.workloads[i].inputs)].push_back(i);
    }
  }

  // The trace workload `i` takes, read with the others of its inputs the first time any of
  // them is needed.
  Result<const sim::WorkloadTrace*> get(std::size_t i) {
    const std::string key = inputs_key(manifest_.workloads[i].inputs);
    std::shared_future<std::shared_ptr<Loaded>> future;
    std::promise<std::shared_ptr<Loaded>> promise;
    bool reader = false;
    {
      std::lock_guard lock{mutex_};
      auto it = entries_.find(key);
      if (it == entries_.end()) {
        future = promise.get_future().share();
        entries_.emplace(key, Entry{future, workloads_[key].size()});
        reader = true;
      } else {
        future = it->second.loaded;
      }
    }
    if (reader) {
      promise.set_value(load(key));
    }
    const std::shared_ptr<Loaded> loaded = future.get();
    if (!loaded->traces) {
      return tl::unexpected(loaded->traces.error());
    }
    const Result<std::size_t>& chosen = loaded->chosen.at(i);
    if (!chosen) {
      return tl::unexpected(chosen.error());
    }
    return &(*loaded->traces)[*chosen];
  }

  // Workload `i` is done with its trace.
  void done(std::size_t i) {
    const std::string key = inputs_key(manifest_.workloads[i].inputs);
    std::lock_guard lock{mutex_};
    auto it = entries_.find(key);
    const std::shared_ptr<Loaded> loaded = it->second.loaded.get();
    if (loaded->traces) {
      if (const Result<std::size_t>& t = loaded->chosen.at(i); t && --loaded->uses[*t] == 0) {
        (*loaded->traces)[*t] = sim::WorkloadTrace{};  // no one else reads it
      }
    }
    if (--it->second.pending == 0) {
      entries_.erase(it);
    }
  }

 private:
  struct Entry {
    std::shared_future<std::shared_ptr<Loaded>> loaded;
    std::size_t pending = 0;  // workloads of these inputs not yet done
  };

  std::shared_ptr<Loaded> load(const std::string& key) {
    auto loaded = std::make_shared<Loaded>();
    const std::vector<std::size_t>& users = workloads_.at(key);
    loaded->traces = read_traces(manifest_.workloads[users.front()].inputs);
    if (!loaded->traces) {
      return loaded;
    }
    const std::vector<sim::WorkloadTrace>& traces = *loaded->traces;
    std::vector<std::pair<std::string_view, std::size_t>> sorted;
    for (std::size_t t = 0; t < traces.size(); ++t) {
      sorted.emplace_back(traces[t].name, t);
    }
    std::sort(sorted.begin(), sorted.end());
    loaded->uses.assign(traces.size(), 0);
    for (std::size_t i : users) {
      Result<std::size_t> chosen = traces.empty()
                                       ? fail(ErrorCode::parse, "the inputs hold no requests", "inputs")
                                       : choose(sorted, manifest_.workloads[i].select);
      if (chosen) {
        ++loaded->uses[*chosen];
      }
      loaded->chosen.emplace(i, std::move(chosen));
    }
    return loaded;
  }

  const report::Manifest& manifest_;
  std::map<std::string, std::vector<std::size_t>> workloads_;  // by inputs key; read-only
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

// A reading error speaks of flags (`--series-kind`); in a manifest they are input keys.
Error in_manifest_terms(Error e) {
  if (e.where.starts_with("--")) {
    std::string key = e.where.substr(2);
    std::replace(key.begin(), key.end(), '-', '_');
    e.where = "inputs: " + key;
  }
  return e;
}

struct Outcome {
  report::Row row;
  std::string analysis;
};

Outcome analyze_one(std::size_t index, const report::ManifestWorkload& w, TraceCache& cache,
                    const ModelSet& base_models, const PricingCatalog& catalog) {
  auto trace = cache.get(index);
  if (!trace) {
    return {report::error_row(index, w.name, in_manifest_terms(trace.error())), {}};
  }
  ModelSet models = base_models;
  for (const auto& [name, value] : w.config.set) {
    if (auto ok = models.set(name, value); !ok) {
      return {report::error_row(index, w.name, ok.error()), {}};
    }
  }
  analysis::AnalysisOptions options;
  options.what_if = w.what_if;
  options.seed = w.seed;
  options.margin_pct = w.margin_pct.value_or(models.value("analysis.margin_pct"));
  if (w.cost_view) {
    auto view = analysis::parse_cost_view(*w.cost_view);
    if (!view) {
      return {report::error_row(index, w.name, view.error()), {}};
    }
    options.k8s_cost_view = *view;
  }
  auto result = analysis::analyze(**trace, w.config.attributes, options, models, catalog);
  if (!result) {
    return {report::error_row(index, w.name, result.error()), {}};
  }
  result->workload = w.name;
  return {report::make_row(index, w.name, *result, **trace), report::analysis_object_json(*result)};
}

// An error row keeps what the manifest says of the workload.
Outcome run_one(std::size_t index, const report::ManifestWorkload& w, TraceCache& cache,
                const ModelSet& base_models, const PricingCatalog& catalog) {
  Outcome out = analyze_one(index, w, cache, base_models, catalog);
  cache.done(index);
  if (!out.row.ok && w.config.attributes.current) {
    out.row.current = std::string{to_string(*w.config.attributes.current)};
  }
  return out;
}

}  // namespace

RunResult run_workloads(const report::Manifest& manifest, const std::vector<std::size_t>& indices,
                        const ModelSet& models, const PricingCatalog& catalog, unsigned jobs,
                        const std::function<void(std::size_t, std::size_t)>& progress) {
  TraceCache cache{manifest, indices};
  std::vector<Outcome> outcomes(indices.size());
  std::atomic<std::size_t> next{0};
  std::size_t done = 0;
  std::mutex progress_mutex;
  auto work = [&] {
    for (std::size_t k = next++; k < indices.size(); k = next++) {
      const std::size_t i = indices[k];
      outcomes[k] = run_one(i, manifest.workloads[i], cache, models, catalog);
      std::lock_guard lock{progress_mutex};
      ++done;
      if (progress) {
        progress(done, indices.size());
      }
    }
  };
  if (progress) {
    progress(0, indices.size());  // the bar shows while the first inputs are read
  }
  const std::size_t threads = std::max<std::size_t>(1, std::min<std::size_t>(jobs, indices.size()));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) {
    pool.emplace_back(work);
  }
  work();
  for (std::thread& t : pool) {
    t.join();
  }
  RunResult out;
  for (Outcome& o : outcomes) {
    out.rows.push_back(std::move(o.row));
    out.analyses.push_back(std::move(o.analysis));
  }
  return out;
}

}  // namespace placer::cli
