// A request log file read in parts on several threads, counted back in file order.
//
// The rows after the header are cut into parts of internal::k_part_bytes by byte offset: a
// part owns the lines that start in its range. Each thread reads a part with pread, from one byte
// before its range (to see whether a line starts at its first byte) to the first newline at
// or after its end, parses it with the same parser as one pass into the thread's own part
// of the sink (one per thread, for all the parts it reads), and counts its lines. The
// thread that finishes the next part in file order counts it, and the finished parts after
// it: it adds the line counts of the parts before a part to the line numbers in that
// part's errors, so errors, skipped rows and their lines are those one pass gives. (The
// caller's thread only waits: waking it for every part cost a context switch per part.)
// When every part has been read, the caller merges the threads' sinks into the sink; a
// mergeable sink's merge is exact (TraceSummarizer's counts and sums are whole numbers), so
// which thread read which part cannot show. A part waiting to be counted holds only its
// counts, in a ring of the parts a thread may read ahead: memory stays flat in file size.
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
#include <utility>
#include <vector>

#include "placer/ingest/request_log.hpp"
#include "request_log_internal.hpp"

namespace placer::ingest {
namespace {

constexpr std::size_t k_parts_ahead_per_thread = 4;  // read before they are counted
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

// Bytes read from a file: grows without first zeroing what pread is about to overwrite
// (std::vector's resize did, a memset of the whole file).
class ReadBuffer {
 public:
  const char* data() const { return bytes_.get(); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  char back() const { return bytes_[size_ - 1]; }
  void clear() { size_ = 0; }
  void reserve(std::size_t capacity) {
    if (capacity > capacity_) {
      auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
      if (size_ > 0) {
        std::memcpy(bigger.get(), bytes_.get(), size_);
      }
      bytes_ = std::move(bigger);
      capacity_ = capacity;
    }
  }
  // `n` more bytes at the end, their contents unset; returns the first.
  char* extend(std::size_t n) {
    if (size_ + n > capacity_) {
      reserve(std::max(size_ + n, capacity_ * 2));
    }
    size_ += n;
    return bytes_.get() + size_ - n;
  }
  void truncate(std::size_t size) { size_ = std::min(size_, size); }

 private:
  std::unique_ptr<char[]> bytes_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

// Appends bytes [offset, offset + size) of `fd` to `out`. False on a read error or a file
// shorter than that (it changed while read), with errno or EIO set.
bool read_at(int fd, std::size_t offset, std::size_t size, ReadBuffer& out) {
  const std::size_t start = out.size();
  char* const into = out.extend(size);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, into + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      if (n == 0) {
        errno = EIO;
      }
      out.truncate(start + done);
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
      : path_(path),
        fd_(fd),
        data_start_(data_start),
        size_(size),
        part_bytes_(part_bytes),
        sink_(sink),
        bad_rows_(bad_rows),
        layout_(layout),
        threads_(threads),
        parts_((size - data_start + part_bytes - 1) / part_bytes),
        ring_(k_parts_ahead_per_thread * threads) {}

  // Reads every part into the sink; the first failing part's error, rebased. Nullopt when
  // no thread could be started (the sink is untouched: the caller reads in one pass).
  std::optional<Result<IngestStats>> run(std::size_t line_base) {
    line_base_ = line_base;
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
    for (std::thread& thread : pool) {
      thread.join();
    }
    if (error_) {
      return tl::unexpected(std::move(*error_));
    }
    for (const auto& part_sink : sinks_) {
      sink_.merge(*part_sink);
    }
    return std::move(total_);
  }

 private:
  // The part k waiting to be counted (one of the ring_.size() after counted_).
  Part& slot(std::size_t k) { return ring_[k % ring_.size()]; }

  // Under mutex_: counts the parts read, in file order from counted_ to the first one not
  // read yet. A failing part's error ends the reading.
  void count_parts_read() {
    while (!stop_ && counted_ < parts_ && slot(counted_).done) {
      Part part = std::exchange(slot(counted_), Part{});
      ++counted_;
      if (!part.stats) {
        Error error = part.stats.error();
        error.where = rebase(error.where, path_, line_base_);
        error_ = std::move(error);
        stop_ = true;
        return;
      }
      total_.rows += part.stats->rows;
      if (part.stats->skipped_rows > 0 && total_.skipped_rows == 0) {
        total_.first_skipped = rebase(part.stats->first_skipped, path_, line_base_);
      }
      total_.skipped_rows += part.stats->skipped_rows;
      line_base_ += part.lines;
    }
  }

  void work(MergeableSink& sink) {
    ReadBuffer buffer;
    buffer.reserve(part_bytes_ + 1 + k_extend_bytes);
    for (;;) {
      std::size_t k = 0;
      {
        std::unique_lock lock{mutex_};
        // At most ring_.size() parts ahead of the counting: part k takes the slot of part
        // k - ring_.size(), counted by then.
        ready_.wait(lock,
                    [&] { return stop_ || next_ >= parts_ || next_ < counted_ + ring_.size(); });
        if (stop_ || next_ >= parts_) {
          return;
        }
        k = next_++;
      }
      Part part = read_part(k, buffer, sink);
      bool counted = false;
      {
        std::lock_guard lock{mutex_};
        slot(k) = std::move(part);
        slot(k).done = true;
        const std::size_t before = counted_;
        count_parts_read();
        counted = counted_ != before || stop_;
      }
      if (counted) {
        ready_.notify_all();  // a thread may be waiting to read ahead
      }
    }
  }

  Part read_part(std::size_t k, ReadBuffer& buffer, MergeableSink& sink) {
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
        buffer.truncate(
            static_cast<std::size_t>(static_cast<const char*>(newline) - buffer.data()) + 1);
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
  const std::size_t parts_;  // in the file
  std::mutex mutex_;
  std::condition_variable ready_;                      // a part may be taken
  std::vector<std::unique_ptr<MergeableSink>> sinks_;  // one per thread started
  std::vector<Part> ring_;   // the parts read and not counted yet, by slot()
  std::size_t next_ = 0;     // the next part to take
  std::size_t counted_ = 0;  // parts counted so far, in file order
  bool stop_ = false;
  // The counting, under mutex_.
  std::size_t line_base_ = 0;  // lines before the next part to count
  IngestStats total_;
  std::optional<Error> error_;
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
  ReadBuffer head;
  if (!read_at(file.fd(), 0, std::min(size, k_max_line_bytes + 2), head) ||
      (head.size() >= 2 && static_cast<unsigned char>(head.data()[0]) == 0x1f &&
       static_cast<unsigned char>(head.data()[1]) == 0x8b)) {
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
