// The Azure Functions trace 2019 (AzureFunctionsDataset2019), format name "azure2019":
// per-day CSV files, joined by their hashed ids. Many workloads a file set.
//
//   invocations  HashOwner,HashApp,HashFunction,Trigger,1,2,...,1440: requests in minute k of
//                the day (a derived file may hold a range of minute columns, e.g. 480..959)
//   durations    HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,
//                percentile_Average_{0,1,25,50,75,99,100}: ms, percentiles of 30-second
//                averages (so they understate tails), cold starts excluded
//   memory       HashOwner,HashApp[,HashFunction],SampleCount,AverageAllocatedMb,
//                AverageAllocatedMb_pct{1,5,25,50,75,95,99,100}: per app (per function in
//                derived copies that add HashFunction)
//
// The workload is "<owner>/<app>/<function>". Each minute column becomes an IntervalCount;
// each durations row a QuantileSummary of durations weighted by the function's invocations
// in the file set (not the file's Count, which comes from another log, FORMATS.md 5a); each
// memory row a QuantileSummary of memory for every function of that app seen in the
// invocations. The data set has no dates: minute 1 of the day starts at `day_start_s`.
#pragma once

#include <optional>
#include <string_view>

#include "placer/error.hpp"
#include "placer/ingest/line_reader.hpp"
#include "placer/ingest/request_log.hpp"
#include "placer/trace.hpp"

namespace placer::ingest {

// The stand-in date for day 1: 2019-07-01T00:00:00Z (the traces are from July 2019).
inline constexpr double k_azure2019_day_start_s = 1561939200.0;

// Which of the three files a header line belongs to; nullopt when it is none of them.
enum class Azure2019File { invocations, durations, memory };
std::optional<Azure2019File> azure2019_file_kind(std::string_view header);

struct Azure2019Inputs {
  LineReader* invocations = nullptr;  // required
  LineReader* durations = nullptr;    // optional
  LineReader* memory = nullptr;       // optional
};

// Reads the invocations (streamed, rows handed to `sink` as they come), then the durations
// and memory rows of the functions seen. IngestStats counts rows of all files.
// Fails with invalid_argument when `invocations` is null; parse (`where` = "<path>:<line>")
// on a header that lacks the columns above, a wrong field count, a negative or non-numeric
// count, percentile or memory value, or percentiles that decrease; unless `bad_rows` is
// skip (headers must still be good).
Result<IngestStats> read_azure2019(const Azure2019Inputs& inputs, InvocationSink& sink,
                                   BadRows bad_rows,
                                   double day_start_s = k_azure2019_day_start_s);

}  // namespace placer::ingest
