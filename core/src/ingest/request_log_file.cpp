// A request log file read in parts on several threads, counted back in file order.
//
// The rows after the header are cut into parts of internal::k_part_bytes by byte offset: a
// part owns the lines that start in its range. Each thread reads a part with pread, from one byte
// before its range (to see whether a line starts at its first byte) to the first newline at
// or after its end, parses it with the same parser as one pass into the thread's own part
// of the sink (one per thread, for all the parts it reads), and counts its lines. The
// caller's thread takes the parts' counts in file order: it adds the line counts of the
// parts before a part to the line numbers in that part's errors, so errors, skipped rows
// and their lines are those one pass gives. When every part has been read, it merges the
// threads' sinks into the sink; a mergeable sink's merge is exact (TraceSummarizer's counts
// and sums are whole numbers), so which thread read which part cannot show. A part waiting
// to be counted holds only its counts: memory stays flat in file size.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "placer/ingest/request_log.hpp"
#include "request_log_internal.hpp"

namespace placer::ingest {
namespace {

constexpr std::size_t k_parts_ahead_per_thread = 4;  // read before the caller counts them
constexpr std::size_t k_extend_bytes = 64u << 10;  // read past a part's end in these steps

class File {
 public:
  explicit File(int fd) : fd_(fd) {}
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  int fd() const { return fd_; }

 private:
  int fd_;
};

// Appends bytes [offset, offset + size) of `fd` to `out`. False on a read error or a file
// shorter than that (it changed while read), with errno or EIO set.
bool read_at(int fd, std::size_t offset, std::size_t size, std::vector<char>& out) {
  const std::size_t start = out.size();
  out.resize(start + size);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, out.data() + start + done, size - done,
                              static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      if (n == 0) {
        errno = EIO;
      }
      out.resize(start + done);
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// "<path>:<n>..." with n raised by `lines`; other texts unchanged.
std::string rebase(const std::string& where, const std::string& path, std::size_t lines) {
  const std::string prefix = path + ":";
  if (lines == 0 || where.compare(0, prefix.size(), prefix) != 0) {
    return where;
  }
  std::size_t end = prefix.size();
  std::size_t line = 0;
  while (end < where.size() && where[end] >= '0' && where[end] <= '9' && end - prefix.size() < 19) {
    line = line * 10 + static_cast<std::size_t>(where[end] - '0');
    ++end;
  }
  if (end == prefix.size()) {
    return where;
  }
  return prefix + std::to_string(line + lines) + where.substr(end);
}

struct Part {
  Result<IngestStats> stats = IngestStats{};
  std::size_t lines = 0;  // lines the part owns, blank ones too
  bool done = false;
};

class ParallelRead {
 public:
  ParallelRead(const std::string& path, int fd, std::size_t data_start, std::size_t size,
               MergeableSink& sink, BadRows bad_rows, const internal::Layout& layout,
               unsigned threads, std::size_t part_bytes)
      : path_(path), fd_(fd), data_start_(data_start), size_(size), part_bytes_(part_bytes),
        sink_(sink), bad_rows_(bad_rows), layout_(layout), threads_(threads),
        parts_((size - data_start + part_bytes - 1) / part_bytes) {}

  // Reads every part into the sink; the first failing part's error, rebased. Nullopt when
  // no thread could be started (the sink is untouched: the caller reads in one pass).
  std::optional<Result<IngestStats>> run(std::size_t line_base) {
    std::vector<std::thread> pool;
    pool.reserve(threads_);
    sinks_.reserve(threads_);
    for (unsigned t = 0; t < threads_; ++t) {
      sinks_.push_back(sink_.make_part());
      try {
        pool.emplace_back([this, part_sink = sinks_.back().get()] { work(*part_sink); });
      } catch (const std::system_error&) {
        sinks_.pop_back();
        break;  // out of threads: the ones started take every part
      }
    }
    if (pool.empty()) {
      return std::nullopt;
    }
    Result<IngestStats> total = count_parts(line_base);
    {
      std::lock_guard lock{mutex_};
      stop_ = true;
    }
    ready_.notify_all();
    for (std::thread& thread : pool) {
      thread.join();
    }
    if (total) {
      for (const auto& part_sink : sinks_) {
        sink_.merge(*part_sink);
      }
    }
    return total;
  }

 private:
  // The parts' rows, skipped rows and lines in file order; the first failing part's error.
  Result<IngestStats> count_parts(std::size_t line_base) {
    IngestStats total;
    for (std::size_t k = 0; k < parts_.size(); ++k) {
      Part part;
      {
        std::unique_lock lock{mutex_};
        done_.wait(lock, [&] { return parts_[k].done; });
        part = std::move(parts_[k]);
        counted_ = k + 1;
      }
      ready_.notify_all();
      if (!part.stats) {
        Error error = part.stats.error();
        error.where = rebase(error.where, path_, line_base);
        return tl::unexpected(std::move(error));
      }
      total.rows += part.stats->rows;
      if (part.stats->skipped_rows > 0 && total.skipped_rows == 0) {
        total.first_skipped = rebase(part.stats->first_skipped, path_, line_base);
      }
      total.skipped_rows += part.stats->skipped_rows;
      line_base += part.lines;
    }
    return total;
  }

  void work(MergeableSink& sink) {
    std::vector<char> buffer;
    buffer.reserve(part_bytes_ + 1 + k_extend_bytes);
    for (;;) {
      std::size_t k = 0;
      {
        std::unique_lock lock{mutex_};
        ready_.wait(lock, [&] {
          return stop_ || next_ >= parts_.size() ||
                 next_ < counted_ + k_parts_ahead_per_thread * threads_;
        });
        if (stop_ || next_ >= parts_.size()) {
          return;
        }
        k = next_++;
      }
      Part part = read_part(k, buffer, sink);
      {
        std::lock_guard lock{mutex_};
        parts_[k] = std::move(part);
        parts_[k].done = true;
      }
      done_.notify_all();
    }
  }

  Part read_part(std::size_t k, std::vector<char>& buffer, MergeableSink& sink) {
    Part part;
    const std::size_t begin = data_start_ + k * part_bytes_;
    const std::size_t end = std::min(size_, begin + part_bytes_);
    // From the byte before the range: a line starts at `begin` when it is a newline.
    const std::size_t from = k == 0 ? begin : begin - 1;
    buffer.clear();
    if (!read_at(fd_, from, end - from, buffer)) {
      part.stats = io_error();
      return part;
    }
    std::size_t first = 0;  // in buffer: the first line this part owns
    if (k > 0) {
      const void* newline = std::memchr(buffer.data(), '\n', buffer.size());
      first = newline == nullptr ? buffer.size()
                                 : static_cast<std::size_t>(static_cast<const char*>(newline) -
                                                            buffer.data()) + 1;
    }
    // To the newline that ends the last line starting in the range. A line past
    // k_max_line_bytes stops the reading: the parser names it.
    std::size_t read_to = end;
    while (first < buffer.size() && buffer.back() != '\n' && read_to < size_ &&
           read_to - end <= k_max_line_bytes + 1) {
      const std::size_t scanned = buffer.size();
      const std::size_t step =
          std::min({k_extend_bytes, std::max<std::size_t>(part_bytes_, 256), size_ - read_to});
      if (!read_at(fd_, read_to, step, buffer)) {
        part.stats = io_error();
        return part;
      }
      read_to += step;
      const void* newline = std::memchr(buffer.data() + scanned, '\n', buffer.size() - scanned);
      if (newline != nullptr) {
        buffer.resize(static_cast<std::size_t>(static_cast<const char*>(newline) - buffer.data()) + 1);
        break;
      }
    }
    const std::string_view owned{buffer.data() + first, buffer.size() - first};
    LineReader reader = LineReader::from_memory(owned, path_);
    part.stats = internal::read_rows(reader, sink, bad_rows_, layout_);
    part.lines = reader.line_number();
    return part;
  }

  Result<IngestStats> io_error() const {
    return fail(ErrorCode::io, std::string{"cannot read: "} + std::strerror(errno), path_);
  }

  const std::string& path_;
  const int fd_;
  const std::size_t data_start_;
  const std::size_t size_;
  const std::size_t part_bytes_;
  MergeableSink& sink_;
  const BadRows bad_rows_;
  const internal::Layout& layout_;
  const unsigned threads_;
  std::mutex mutex_;
  std::condition_variable ready_;  // a part may be taken
  std::condition_variable done_;   // a part was read
  std::vector<std::unique_ptr<MergeableSink>> sinks_;  // one per thread started
  std::vector<Part> parts_;
  std::size_t next_ = 0;    // the next part to take
  std::size_t counted_ = 0;  // parts counted so far, in file order
  bool stop_ = false;
};

Result<IngestStats> read_in_one_pass(const std::string& path, InvocationSink& sink,
                                     BadRows bad_rows) {
  auto reader = LineReader::open(path);
  if (!reader) {
    return tl::unexpected(reader.error());
  }
  return read_request_log(*reader, sink, bad_rows);
}

}  // namespace

Result<IngestStats> read_request_log_file(const std::string& path, InvocationSink& sink,
                                          BadRows bad_rows, unsigned threads) {
  return internal::read_request_log_file(path, sink, bad_rows, threads, internal::k_part_bytes);
}

Result<IngestStats> internal::read_request_log_file(const std::string& path, InvocationSink& sink,
                                                    BadRows bad_rows, unsigned threads,
                                                    std::size_t part_bytes) {
  auto* mergeable = dynamic_cast<MergeableSink*>(&sink);
  if (path == "-" || threads < 2 || mergeable == nullptr || part_bytes == 0) {
    return read_in_one_pass(path, sink, bad_rows);
  }
  const File file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  struct stat info {};
  if (file.fd() < 0 || ::fstat(file.fd(), &info) != 0 || !S_ISREG(info.st_mode) ||
      static_cast<std::size_t>(info.st_size) < 2 * part_bytes) {
    return read_in_one_pass(path, sink, bad_rows);  // which names any error opening it
  }
  const auto size = static_cast<std::size_t>(info.st_size);
  // The head: blank lines, then a CSV header or the first JSON line.
  std::vector<char> head;
  if (!read_at(file.fd(), 0, std::min(size, k_max_line_bytes + 2), head) ||
      (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
       static_cast<unsigned char>(head[1]) == 0x8b)) {
    return read_in_one_pass(path, sink, bad_rows);  // gzip, or a read error to name
  }
  std::size_t line_start = 0;
  std::size_t lines_before = 0;
  for (;;) {
    const void* found = std::memchr(head.data() + line_start, '\n', head.size() - line_start);
    if (found == nullptr) {
      return read_in_one_pass(path, sink, bad_rows);  // a long first line: let it be named
    }
    const auto newline = static_cast<std::size_t>(static_cast<const char*>(found) - head.data());
    std::string_view line{head.data() + line_start, newline - line_start};
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      line_start = newline + 1;
      ++lines_before;
      continue;
    }
    internal::Layout layout;
    std::size_t data_start = line_start;
    std::size_t line_base = lines_before;
    if (internal::is_json_line(line)) {
      layout.jsonl = true;
    } else {
      LineReader header_lines =
          LineReader::from_memory(std::string_view{head.data(), newline + 1}, path);
      auto read = internal::read_csv_header(header_lines);
      if (!read) {
        return tl::unexpected(read.error());
      }
      layout = std::move(*read);
      data_start = newline + 1;
      line_base = lines_before + 1;
    }
    ParallelRead parallel{path,   file.fd(), data_start, size,      *mergeable,
                          bad_rows, layout,  threads,    part_bytes};
    if (auto read = parallel.run(line_base)) {
      return std::move(*read);
    }
    return read_in_one_pass(path, sink, bad_rows);
  }
}

}  // namespace placer::ingest
