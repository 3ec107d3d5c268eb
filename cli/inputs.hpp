// Reading a command's input files into a sink: every format, auto-detected, with the
// format-specific flags; an azure2019 file set, the Prometheus files and the CloudWatch
// files each read as one export. Shared by the commands that take traces.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "placer/error.hpp"
#include "placer/render/trace_json.hpp"
#include "placer/trace.hpp"

namespace CLI {
class App;
}

namespace placer::cli {

struct InputFlags {
  std::vector<std::string> files;
  std::string format = "auto";
  std::string on_bad_row = "fail";
  std::string log_format;
  // Prometheus: what the series are.
  std::string series_kind;
  std::vector<std::string> series;
  std::string workload_label;
  std::optional<double> quantile;
  std::optional<double> step_seconds;
  // CloudWatch get-metric-data: the queries that made it.
  std::string metric_query;
  // Every row as this workload (joins exports that name one workload differently).
  std::string as_workload;
  // Threads for a request log a summary reads in parts (0: one per core).
  unsigned threads = 0;
};

// The formats and their flags, for a command's --help footer.
extern const char* const k_formats_help;

// Adds FILE... (required), --format, --on-bad-row, --log-format and the Prometheus and
// CloudWatch flags to `command`.
void add_input_options(CLI::App* command, InputFlags& flags);

// Reads every file into `sink`, in order, the multi-file exports last. Skipped rows are
// reported on stderr. Fails as the parsers do, and with invalid_argument for a
// format-specific flag no input uses.
Result<std::vector<IngestedFile>> read_inputs(const InputFlags& flags, InvocationSink& sink);

}  // namespace placer::cli
