// Reading a command's input files (any format, auto-detected, azure2019 file sets joined)
// into a sink: shared by the commands that take traces.
#pragma once

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
};

// Adds FILE... (required), --format, --on-bad-row and --log-format to `command`.
void add_input_options(CLI::App* command, InputFlags& flags);

// Reads every file into `sink`, in order (an azure2019 file set last, joined). Skipped rows
// are reported on stderr. Fails as the parsers do.
Result<std::vector<IngestedFile>> read_inputs(const InputFlags& flags, InvocationSink& sink);

}  // namespace placer::cli
