#include "inputs.hpp"

#include <CLI/CLI.hpp>
#include <array>
#include <iostream>
#include <optional>

#include "placer/ingest/format.hpp"
#include "placer/ingest/line_reader.hpp"
#include "placer/ingest/request_log.hpp"

namespace placer::cli {

void add_input_options(CLI::App* command, InputFlags& f) {
  command->add_option("files", f.files, "input files, - for standard input")->required();
  command->add_option("--format", f.format, "input format, or auto to detect it")
      ->check(CLI::IsMember({"auto", "requests", "lambda-report", "cloudwatch", "prometheus",
                             "azure2019", "azure2021", "alb", "nginx"}))
      ->default_str("auto");
  command->add_option("--on-bad-row", f.on_bad_row,
                      "fail on the first malformed row, or skip such rows and count them")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->default_str("fail");
  command->add_option("--log-format", f.log_format,
                      "nginx log_format of the access logs (default: combined or "
                      "ingress-nginx, detected)");
}

Result<std::vector<IngestedFile>> read_inputs(const InputFlags& f, InvocationSink& sink) {
  std::optional<ingest::Format> chosen;
  if (f.format != "auto") {
    auto parsed = ingest::parse_format(f.format);
    if (!parsed) {
      return tl::unexpected(parsed.error());
    }
    chosen = *parsed;
  }
  const auto bad_rows = f.on_bad_row == "skip" ? ingest::BadRows::skip : ingest::BadRows::fail;
  std::vector<IngestedFile> files;
  auto warn_skipped = [](const std::string& what, const ingest::IngestStats& stats) {
    if (stats.skipped_rows > 0) {
      std::cerr << "placer: warning: " << what << ": skipped " << stats.skipped_rows
                << " rows, the first: " << stats.first_skipped << '\n';
    }
  };
  // An azure2019 file set (invocations, durations, memory) is read together, after the rest.
  std::array<std::optional<std::string>, 3> azure2019;
  for (const std::string& path : f.files) {
    ingest::Format format = ingest::Format::requests;
    if (chosen) {
      format = *chosen;
    } else if (path != "-") {
      auto detected = ingest::detect_format(path);
      if (!detected) {
        return tl::unexpected(detected.error());
      }
      format = *detected;
    }
    const std::string name{ingest::to_string(format)};
    if (format == ingest::Format::azure2019) {
      auto kind = ingest::azure2019_kind_of(path);
      if (!kind) {
        return tl::unexpected(kind.error());
      }
      auto& slot = azure2019[static_cast<std::size_t>(*kind)];
      if (slot) {
        return fail(ErrorCode::invalid_argument,
                    "two azure2019 files of one kind (" + *slot + ", " + path +
                        "): read one day's file set at a time",
                    "files");
      }
      slot = path;
      continue;
    }
    auto reader = ingest::LineReader::open(path);
    if (!reader) {
      return tl::unexpected(reader.error());
    }
    auto stats = ingest::read_trace(*reader, format, sink, bad_rows, f.log_format);
    if (!stats) {
      return tl::unexpected(stats.error());
    }
    warn_skipped(path, *stats);
    files.push_back({path, chosen ? name : name + " (detected)", stats->rows, stats->skipped_rows});
  }
  if (azure2019[0] || azure2019[1] || azure2019[2]) {
    std::array<std::optional<ingest::LineReader>, 3> readers;
    std::string paths;
    for (std::size_t i = 0; i < 3; ++i) {
      if (azure2019[i]) {
        auto reader = ingest::LineReader::open(*azure2019[i]);
        if (!reader) {
          return tl::unexpected(reader.error());
        }
        readers[i] = std::move(*reader);
        paths += (paths.empty() ? "" : " + ") + *azure2019[i];
      }
    }
    ingest::Azure2019Inputs inputs{readers[0] ? &*readers[0] : nullptr,
                                   readers[1] ? &*readers[1] : nullptr,
                                   readers[2] ? &*readers[2] : nullptr};
    auto stats = ingest::read_azure2019(inputs, sink, bad_rows);
    if (!stats) {
      return tl::unexpected(stats.error());
    }
    warn_skipped(paths, *stats);
    files.push_back({paths, chosen ? "azure2019" : "azure2019 (detected)", stats->rows,
                     stats->skipped_rows});
  }
  return files;
}

}  // namespace placer::cli
