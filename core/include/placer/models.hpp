// The model parameters placer chose (MODEL.md, LATENCY_FACTS.md §6): every one has a dotted
// name, a unit, a range, a source and a description, and lives in a data file under
// models/ (lambda.json, kubernetes.json, analysis.json), never in code. Users override them by name
// (`--set lambda.keep_alive_s=600`); `placer models show` lists them.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "placer/error.hpp"

namespace placer {

struct ModelParameter {
  std::string name;             // "lambda.keep_alive_s"
  std::optional<double> value;  // absent: unset (the parameter is optional)
  std::string unit;             // "s", "ms", "fraction", ...
  double min = 0;               // accepted range, inclusive
  double max = 0;
  std::string source;           // an id of ModelSet::sources, or "override" once set
  std::string description;
  bool overridden = false;      // set by the user, not the file
};

// Measured Init Duration of one runtime (zip, x86_64) and how packaging, architecture and
// memory move it (LATENCY_FACTS.md §1.2).
struct RuntimeColdStart {
  std::string runtime;  // "python3.12"
  double init_p50_ms = 0;
  double init_p95_ms = 0;
  std::optional<double> image_init_p50_ms;
  std::optional<double> image_init_p95_ms;
  double arm64_init_factor = 1;
  double first_invoke_ms_at_1024_mib = 0;  // JIT runtimes: scales with 1024 / memory
  std::string source;
};

class ModelSet {
 public:
  std::vector<std::string> ids;                 // the files' ids, for provenance in outputs
  std::map<std::string, std::string> sources;   // source id -> citation
  std::vector<ModelParameter> parameters;       // sorted by name
  std::vector<RuntimeColdStart> runtimes;       // in file order

  const ModelParameter* find(std::string_view name) const;
  // The value of a parameter that exists and is set. Requires: both (a bug otherwise).
  double value(std::string_view name) const;
  // The value of a parameter that exists; absent when unset.
  std::optional<double> optional_value(std::string_view name) const;
  const RuntimeColdStart* find_runtime(std::string_view runtime) const;

  // Applies "NAME=VALUE" (VALUE a number, or "none" to unset an optional parameter).
  // Fails with invalid_argument (`where` = the assignment) for a malformed assignment, an
  // unknown name (naming the closest known ones) or a value outside the range.
  Result<void> set(std::string_view assignment);
  Result<void> set(std::string_view name, std::optional<double> value);
};

// Parses one models file's JSON into `into` (parameters and runtimes are added; a name
// defined twice is an error). Errors name `origin` and the JSON path.
Result<void> parse_models(std::string_view json_text, std::string_view origin, ModelSet& into);

// Reads lambda.json, kubernetes.json and analysis.json from `directory`. Fails with not_found when the
// directory or a file is missing, parse for a malformed file.
Result<ModelSet> load_models(const std::filesystem::path& directory);

}  // namespace placer
