// Google Benchmark of the request log reader on one core, from memory (no page cache, no
// threads): rows parsed alone (a sink that only counts) and parsed into the summary, for
// the CSV and the JSON Lines rows of bench/ingest_throughput.sh, and two floors for what
// any scalar reader of these CSV rows costs here. Bytes per second are input bytes.
//   cmake --preset bench && cmake --build --preset bench &&
//   build/bench/bench/placer_bench --benchmark_filter=RequestLog
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "placer/ingest/request_log.hpp"
#include "placer/trace_summary.hpp"

namespace {

class CountRows final : public placer::InvocationSink {
 public:
  void add(const placer::Invocation& inv) override {
    ++rows;
    sum += inv.duration.count();
  }
  std::size_t rows = 0;
  double sum = 0;
};

// 16 MiB of the rows bench/ingest_throughput.sh writes: a request every 5 ms, 8 workloads.
const std::string& rows(bool jsonl) {
  static const auto make = [](bool as_jsonl) {
    std::string text = as_jsonl ? "" : "timestamp,duration_ms,memory_mib,workload,status\n";
    char line[160];
    for (long i = 0; text.size() < (16u << 20); ++i) {
      const double t = 1700000000 + static_cast<double>(i) * 0.005;
      const double ms = static_cast<double>(i * 7919 % 200000) / 100 + 1;
      const long memory = 128 + i % 8 * 128;
      const int status = i % 97 == 0 ? 500 : 200;
      const int n =
          as_jsonl ? std::snprintf(line, sizeof line,
                                   "{\"timestamp\":%.3f,\"duration_ms\":%.2f,\"memory_mib\":%ld,"
                                   "\"workload\":\"svc-%ld\",\"status\":%d}\n",
                                   t, ms, memory, i % 8, status)
                   : std::snprintf(line, sizeof line, "%.3f,%.2f,%ld,svc-%ld,%d\n", t, ms, memory,
                                   i % 8, status);
      text.append(line, static_cast<std::size_t>(n));
    }
    return text;
  };
  static const std::string csv = make(false);
  static const std::string json_lines = make(true);
  return jsonl ? json_lines : csv;
}

template <typename Sink>
void read_rows(benchmark::State& state, bool jsonl) {
  const std::string& text = rows(jsonl);
  for (auto _ : state) {
    Sink sink;
    auto reader = placer::ingest::LineReader::from_memory(text, "bench");
    auto stats = placer::ingest::read_request_log(reader, sink, placer::ingest::BadRows::fail);
    if (!stats) {
      state.SkipWithError(stats.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(sink);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void BM_RequestLogParseCsv(benchmark::State& state) { read_rows<CountRows>(state, false); }
void BM_RequestLogSummarizeCsv(benchmark::State& state) { read_rows<placer::TraceSummarizer>(state, false); }
void BM_RequestLogParseJsonLines(benchmark::State& state) { read_rows<CountRows>(state, true); }
void BM_RequestLogSummarizeJsonLines(benchmark::State& state) {
  read_rows<placer::TraceSummarizer>(state, true);
}
// Floors for the CSV rows on this CPU, no placer code: a memchr per line (what splitting
// lines costs), and a bare loop that reads the four numbers of each row, exactly as the
// fast path does (an integer, then one correctly rounded division), and adds them up, with
// no line split, no checks beyond the digits, no row and no summary.
void BM_CsvFloorLineSplit(benchmark::State& state) {
  const std::string& text = rows(false);
  for (auto _ : state) {
    std::size_t lines = 0;
    const char* p = text.data();
    const char* const end = p + text.size();
    while (const void* newline = std::memchr(p, '\n', static_cast<std::size_t>(end - p))) {
      p = static_cast<const char*>(newline) + 1;
      ++lines;
    }
    benchmark::DoNotOptimize(lines);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

bool bare_decimal(const char*& p, double& out) {
  static constexpr double k_powers[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
  std::uint64_t mantissa = 0;
  const char* const first = p;
  while (static_cast<unsigned>(*p - '0') < 10) {
    mantissa = mantissa * 10 + static_cast<unsigned>(*p++ - '0');
  }
  if (*p != '.') {
    out = static_cast<double>(mantissa);
    return p != first;
  }
  const char* const point = ++p;
  while (static_cast<unsigned>(*p - '0') < 10) {
    mantissa = mantissa * 10 + static_cast<unsigned>(*p++ - '0');
  }
  out = static_cast<double>(mantissa) / k_powers[p - point];
  return true;
}

void BM_CsvFloorNumbersOnly(benchmark::State& state) {
  const std::string& text = rows(false);
  for (auto _ : state) {
    const char* p = text.data() + text.find('\n') + 1;  // a NUL ends std::string's data
    double sum = 0;
    double timestamp = 0, duration = 0, memory = 0, status = 0;
    while (*p != '\0' && bare_decimal(p, timestamp) && bare_decimal(++p, duration) &&
           bare_decimal(++p, memory)) {
      p = std::strchr(p + 1, ',') + 1;  // the workload
      bare_decimal(p, status);
      ++p;
      sum += timestamp + duration + memory + status;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

BENCHMARK(BM_CsvFloorLineSplit)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CsvFloorNumbersOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RequestLogParseCsv)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RequestLogSummarizeCsv)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RequestLogParseJsonLines)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RequestLogSummarizeJsonLines)->Unit(benchmark::kMillisecond);

}  // namespace
