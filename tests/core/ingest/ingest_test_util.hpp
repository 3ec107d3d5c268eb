// Helpers the parser tests share: a sink that keeps every row, and temporary input files.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "placer/ingest/line_reader.hpp"
#include "placer/ingest/request_log.hpp"
#include "placer/trace.hpp"

namespace placer::ingest::test_util {

// Keeps every Invocation, interval count and duration summary it is given, in order.
class Collect final : public InvocationSink {
 public:
  void add(const Invocation& inv) override { rows.push_back(inv); }
  void add_counts(const IntervalCount& c) override { counts.push_back(c); }
  void add_durations(const QuantileSummary& d) override { durations.push_back(d); }
  std::vector<Invocation> rows;
  std::vector<IntervalCount> counts;
  std::vector<QuantileSummary> durations;
};

// Opens `path` and hands the reader to `parse` (a parser call); opening errors pass through.
template <typename Parse>
Result<IngestStats> read_file(const std::string& path, Parse parse) {
  auto reader = LineReader::open(path);
  if (!reader) {
    return tl::unexpected(reader.error());
  }
  return parse(*reader);
}

// Writes `text` to a file named after `name` in the test temp dir (unique per process, so
// tests may run in parallel) and returns its path.
inline std::string write_temp(const std::string& name, const std::string& text) {
  std::string path =
      ::testing::TempDir() + "placer_ingest_" + std::to_string(getpid()) + "_" + name;
  std::ofstream{path, std::ios::binary} << text;
  return path;
}

}  // namespace placer::ingest::test_util
