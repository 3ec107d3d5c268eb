// libFuzzer target: any bytes as a request log must give rows or an Error, never a crash,
// a hang or a sanitizer report; and the reader's fast paths must change nothing: the same
// rows (bit for bit) or the same error as with them off, and plain decimals read as
// std::from_chars reads them.
#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "placer/ingest/request_log.hpp"
#include "placer/trace_summary.hpp"

#include "ingest/request_log_internal.hpp"
#include "ingest/text.hpp"

namespace {

class Collect final : public placer::InvocationSink {
 public:
  void add(const placer::Invocation& inv) override { rows.push_back(inv); }
  std::vector<placer::Invocation> rows;
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

    Collect fast, general;
    auto fast_reader = placer::ingest::LineReader::from_memory(text, "fuzz");
    auto general_reader = placer::ingest::LineReader::from_memory(text, "fuzz");
    auto a = placer::ingest::internal::read_request_log(fast_reader, fast, mode, FastPaths::on);
    auto b = placer::ingest::internal::read_request_log(general_reader, general, mode, FastPaths::off);
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
  // The whole input as one number: the plain-decimal fast path agrees with from_chars.
  if (auto plain = placer::ingest::text::parse_plain_decimal(text)) {
    double expected = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), expected);
    check(ec == std::errc{} && end == text.data() + text.size() &&
          std::bit_cast<std::uint64_t>(*plain) == std::bit_cast<std::uint64_t>(expected));
  }
  return 0;
}
