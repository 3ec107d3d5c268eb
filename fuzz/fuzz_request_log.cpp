// libFuzzer target: any bytes as a request log must give rows or an Error, never a crash,
// a hang or a sanitizer report; the reader's fast paths must change nothing: the same
// rows (bit for bit), into a sink that copies workloads or one that takes views, with the
// vector CSV reader or without it, or the same error as with them off, and plain decimals
// read as
// std::from_chars reads them; and a file read in parts on two threads must give one pass's
// summary (bit for bit), counts and error. The end-to-end comparisons use the best vector
// reader this CPU runs; the AVX2 and AVX-512 readers are also compared with each other
// directly, row by row, on several column layouts.
#include <sys/mman.h>
#include <unistd.h>

#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/csv_vector.hpp"
#include "ingest/request_log_internal.hpp"
#include "ingest/text.hpp"
#include "placer/ingest/request_log.hpp"
#include "placer/trace_summary.hpp"

namespace {

// Keeps every row; with `views`, takes the rows read in place with their workload as a
// view (as TraceSummarizer does), not reading the row's own.
class Collect final : public placer::InvocationSink {
 public:
  explicit Collect(bool views = false) : views_(views) {}
  void add(const placer::Invocation& inv) override { rows.push_back(inv); }
  bool takes_workload_views() const override { return views_; }
  void add_with_workload(const placer::Invocation& row, std::string_view workload) override {
    rows.push_back(row);
    rows.back().workload.assign(workload);
  }
  std::vector<placer::Invocation> rows;

 private:
  bool views_;
};

bool same(const placer::Invocation& a, const placer::Invocation& b) {
  const auto bits = [](double v) { return std::bit_cast<std::uint64_t>(v); };
  const auto same_opt = [&](const auto& x, const auto& y) {
    return x.has_value() == y.has_value() && (!x || bits(x->count()) == bits(y->count()));
  };
  return bits(a.timestamp_s) == bits(b.timestamp_s) && bits(a.duration.count()) == bits(b.duration.count()) &&
         a.memory.has_value() == b.memory.has_value() &&
         (!a.memory || bits(a.memory->value()) == bits(b.memory->value())) &&
         same_opt(a.init_duration, b.init_duration) && a.status == b.status && a.workload == b.workload;
}

void check(bool ok) {
  if (!ok) {
    std::abort();
  }
}

std::string bits_of(const placer::Percentiles& p) {
  std::string out;
  for (double v : {p.p50, p.p90, p.p95, p.p99, p.min, p.max, p.mean}) {
    out += std::to_string(std::bit_cast<std::uint64_t>(v)) + " ";
  }
  return out;
}

// Every field of a summary, doubles as bits.
std::string bits_of(const std::vector<placer::TraceSummary>& workloads) {
  std::string out;
  for (const auto& s : workloads) {
    out += s.workload + " " + std::to_string(s.requests) + " " + bits_of({s.start_s, s.end_s, s.mean_rate_rps,
                                                                       s.peak_minute_rate_rps, 0, 0, s.longest_idle_s}) +
           bits_of(s.duration_ms) + (s.memory_mib ? bits_of(*s.memory_mib) : "-") +
           std::to_string(s.cold_starts) + (s.init_duration_ms ? bits_of(*s.init_duration_ms) : "-") +
           std::to_string(s.idle_gaps) + "\n";
  }
  return out;
}

template <typename Stats>
std::string outcome(const Stats& stats, const placer::TraceSummarizer& summary) {
  if (!stats) {
    return std::string{placer::to_string(stats.error().code)} + " " + stats.error().where + ": " +
           stats.error().message;
  }
  return bits_of(summary.finish()) + std::to_string(stats->rows) + " " +
         std::to_string(stats->skipped_rows) + " " + stats->first_skipped;
}

// The input as a file, read in one pass and in parts of a few bytes on two threads.
void check_parts(std::string_view text) {
  const int fd = memfd_create("fuzz_request_log", MFD_CLOEXEC);
  if (fd < 0) {
    return;
  }
  if (write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size())) {
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    for (auto mode : {placer::ingest::BadRows::fail, placer::ingest::BadRows::skip}) {
      placer::TraceSummarizer one;
      auto reader = placer::ingest::LineReader::open(path);
      check(reader.has_value());
      auto one_stats = placer::ingest::read_request_log(*reader, one, mode);
      const std::string expected = outcome(one_stats, one);
      // Parts of one byte put a boundary everywhere; past 512 bytes they cost too many runs.
      for (std::size_t part_bytes : {text.size() <= 512 ? std::size_t{1} : std::size_t{5},
                                     std::size_t{7}, text.size() / 3 + 1}) {
        placer::TraceSummarizer parts;
        auto stats = placer::ingest::internal::read_request_log_file(path, parts, mode, 2, part_bytes);
        const std::string got = outcome(stats, parts);
        if (got != expected) {  // both, to see what differs
          std::fprintf(stderr, "parts of %zu bytes:\n%s\none pass:\n%s\n", part_bytes, got.c_str(),
                       expected.c_str());
        }
        check(got == expected);
      }
    }
  }
  close(fd);
}

// The input through the AVX2 and the AVX-512 vector readers, where the CPU runs both: the
// same rows (values as bits, fields, names, starts) and the same place to stop, from every
// line that one of them declines on, for three
// layouts: five columns as the bench writes them, all five number fields with the name
// first, and a column placer does not read among four numbers.
void check_vector_readers(std::string_view text) {
  namespace cv = placer::ingest::csv_vector;
  if (cv::best_isa() != cv::Isa::avx512) {
    return;
  }
  using C = cv::Column;
  struct Layout {
    std::size_t count;
    C kinds[6];
    std::uint8_t fields[6];
  };
  constexpr Layout k_layouts[] = {
      {5, {C::number, C::number, C::number, C::name, C::number}, {0, 1, 2, 3, 4}},
      {6, {C::name, C::number, C::number, C::number, C::number, C::number}, {3, 4, 5, 1, 2, 0}},
      {6, {C::number, C::skip, C::number, C::name, C::number, C::number}, {5, 0, 1, 3, 0, 2}},
  };
  std::string padded{text};
  padded.append(cv::k_reach, '\0');
  const char* const limit = padded.data() + text.size();
  for (const Layout& layout : k_layouts) {
    cv::Columns columns;
    columns.count = layout.count;
    for (std::size_t c = 0; c < layout.count; ++c) {
      columns.kinds[c] = layout.kinds[c];
      columns.fields[c] = layout.fields[c];
    }
    cv::Reader avx2{columns, cv::Isa::avx2};
    cv::Reader avx512{columns, cv::Isa::avx512};
    const char* p = padded.data();
    const char* q = padded.data();
    for (;;) {
      cv::Row a[8];
      cv::Row b[8];
      const char* next_a = p;
      const char* next_b = q;
      const std::size_t n = avx2.read_rows(p, limit, a, 8, next_a);
      check(avx512.read_rows(q, limit, b, 8, next_b) == n && next_a == next_b);
      for (std::size_t i = 0; i < n; ++i) {
        check(a[i].present == b[i].present && a[i].start == b[i].start && a[i].name == b[i].name &&
              a[i].name_size == b[i].name_size);
        for (std::uint32_t bits = a[i].present; bits != 0; bits &= bits - 1) {
          const int f = std::countr_zero(bits);
          check(std::bit_cast<std::uint64_t>(a[i].values[f]) ==
                std::bit_cast<std::uint64_t>(b[i].values[f]));
        }
      }
      p = q = next_a;
      if (n < 8) {  // a row both declined, or the limit: go on from the next line
        if (p >= limit) {
          break;
        }
        const void* newline = std::memchr(p, '\n', static_cast<std::size_t>(limit - p));
        if (newline == nullptr) {
          break;
        }
        p = q = static_cast<const char*>(newline) + 1;
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using placer::ingest::internal::FastPaths;
  std::string_view text{reinterpret_cast<const char*>(data), size};
  for (auto mode : {placer::ingest::BadRows::fail, placer::ingest::BadRows::skip}) {
    auto reader = placer::ingest::LineReader::from_memory(text, "fuzz");
    placer::TraceSummarizer summary;
    auto stats = placer::ingest::read_request_log(reader, summary, mode);
    (void)stats;
    (void)summary.finish();

    Collect general;
    auto general_reader = placer::ingest::LineReader::from_memory(text, "fuzz");
    auto b = placer::ingest::internal::read_request_log(general_reader, general, mode, FastPaths::off);
    // Every fast path (with the vector CSV reader where the CPU runs it), and the scalar
    // ones alone, against none.
    for (const auto& [views, paths] :
         {std::pair{false, FastPaths::on}, std::pair{true, FastPaths::on},
          std::pair{true, FastPaths::scalar}}) {
      Collect fast{views};
      auto fast_reader = placer::ingest::LineReader::from_memory(text, "fuzz");
      auto a = placer::ingest::internal::read_request_log(fast_reader, fast, mode, paths);
      check(a.has_value() == b.has_value());
      if (a) {
        check(a->rows == b->rows && a->skipped_rows == b->skipped_rows &&
              a->first_skipped == b->first_skipped);
      } else {
        check(a.error().code == b.error().code && a.error().message == b.error().message &&
              a.error().where == b.error().where);
      }
      check(fast.rows.size() == general.rows.size());
      for (std::size_t i = 0; i < fast.rows.size(); ++i) {
        check(same(fast.rows[i], general.rows[i]));
      }
    }
  }
  check_parts(text);
  check_vector_readers(text);
  // The whole input as one number: the plain-decimal fast path agrees with from_chars.
  if (auto plain = placer::ingest::text::parse_plain_decimal(text)) {
    double expected = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), expected);
    check(ec == std::errc{} && end == text.data() + text.size() &&
          std::bit_cast<std::uint64_t>(*plain) == std::bit_cast<std::uint64_t>(expected));
  }
  return 0;
}
