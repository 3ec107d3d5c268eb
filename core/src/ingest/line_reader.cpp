#include "placer/ingest/line_reader.hpp"

#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <vector>

namespace placer::ingest {
namespace {
constexpr std::size_t k_chunk_bytes = 256u << 10;
}

struct LineReader::State {
  std::string path;
  gzFile file = nullptr;
  std::vector<char> buffer;  // k_chunk_bytes once read into (not for lines from memory)
  std::size_t begin = 0;  // unread data is buffer[begin, end)
  std::size_t end = 0;
  bool eof = false;
  std::size_t line = 0;
  std::string long_line;  // a line that spans chunks
  bool in_memory = false;
  std::string_view memory;  // the unread rest, when in_memory
  // For buffered_lines(): the input in memory ending at lines_end ends with lines_tail
  // bytes after its last newline (all of it when it has none).
  const char* lines_end = nullptr;
  std::size_t lines_tail = 0;

  ~State() {
    if (file != nullptr) {
      gzclose(file);
    }
  }
};

LineReader::LineReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
LineReader::LineReader(LineReader&&) noexcept = default;
LineReader& LineReader::operator=(LineReader&&) noexcept = default;
LineReader::~LineReader() = default;

Result<LineReader> LineReader::open(const std::string& path) {
  auto state = std::make_unique<State>();
  state->path = path;
  if (path == "-") {
    int fd = dup(STDIN_FILENO);
    state->file = fd < 0 ? nullptr : gzdopen(fd, "rb");
  } else {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return fail(ErrorCode::not_found, "input file not found", path);
    }
    if (std::filesystem::is_directory(path, ec)) {
      return fail(ErrorCode::io, "is a directory, expected a file", path);
    }
    state->file = gzopen(path.c_str(), "rb");  // reads plain files as they are
  }
  if (state->file == nullptr) {
    return fail(ErrorCode::io, std::string{"cannot open: "} + std::strerror(errno), path);
  }
  gzbuffer(state->file, static_cast<unsigned>(k_chunk_bytes));
  return LineReader{std::move(state)};
}

Result<std::vector<LineReader>> LineReader::open_all(const std::vector<std::string>& paths) {
  std::vector<LineReader> out;
  out.reserve(paths.size());
  for (const std::string& path : paths) {
    auto reader = open(path);
    if (!reader) {
      return tl::unexpected(reader.error());
    }
    out.push_back(std::move(*reader));
  }
  return out;
}

LineReader LineReader::from_memory(std::string_view data, std::string name) {
  auto state = std::make_unique<State>();
  state->path = std::move(name);
  state->in_memory = true;
  state->memory = data;
  return LineReader{std::move(state)};
}

Result<bool> LineReader::next(std::string_view& line) {
  State& s = *state_;
  s.long_line.clear();
  if (s.in_memory && s.begin == s.end) {  // lines straight from memory, without a copy
    if (s.memory.empty()) {
      return false;
    }
    ++s.line;
    const void* found = std::memchr(s.memory.data(), '\n', s.memory.size());
    const std::size_t size = found != nullptr
                                 ? static_cast<std::size_t>(static_cast<const char*>(found) - s.memory.data())
                                 : s.memory.size();
    line = s.memory.substr(0, size);
    s.memory.remove_prefix(found != nullptr ? size + 1 : size);
    if (line.size() > k_max_line_bytes) {
      return fail(ErrorCode::parse, "line longer than 1 MiB", where());
    }
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    return true;
  }
  bool spilled = false;
  for (;;) {
    const char* data = s.buffer.data();
    const void* found = s.begin < s.end ? std::memchr(data + s.begin, '\n', s.end - s.begin) : nullptr;
    if (found != nullptr) {
      std::size_t newline = static_cast<std::size_t>(static_cast<const char*>(found) - data);
      ++s.line;
      if (spilled) {
        s.long_line.append(data + s.begin, newline - s.begin);
        line = s.long_line;
      } else {
        line = std::string_view{data + s.begin, newline - s.begin};
      }
      s.begin = newline + 1;
      if (s.long_line.size() > k_max_line_bytes || line.size() > k_max_line_bytes) {
        return fail(ErrorCode::parse, "line longer than 1 MiB", where());
      }
      if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
      }
      return true;
    }
    // No newline in the buffered data: keep it and read more.
    if (s.eof) {
      if (s.begin == s.end && !spilled) {
        return false;
      }
      ++s.line;
      s.long_line.append(data + s.begin, s.end - s.begin);
      s.begin = s.end;
      if (s.long_line.size() > k_max_line_bytes) {
        return fail(ErrorCode::parse, "line longer than 1 MiB", where());
      }
      line = s.long_line;
      if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
      }
      return true;
    }
    if (s.begin < s.end) {
      s.long_line.append(data + s.begin, s.end - s.begin);
      spilled = true;
      if (s.long_line.size() > k_max_line_bytes) {
        ++s.line;
        return fail(ErrorCode::parse, "line longer than 1 MiB", where());
      }
    }
    if (auto filled = refill(s); !filled) {
      return tl::unexpected(filled.error());
    }
  }
}

Result<void> LineReader::refill(State& s) {
  s.begin = 0;
  s.end = 0;
  s.lines_end = nullptr;  // the new chunk may end at the same address
  if (s.buffer.empty()) {
    s.buffer.resize(k_chunk_bytes);
  }
  if (s.in_memory) {
    std::size_t n = std::min(s.memory.size(), s.buffer.size());
    std::memcpy(s.buffer.data(), s.memory.data(), n);
    s.memory.remove_prefix(n);
    s.end = n;
    s.eof = n == 0;
    return {};
  }
  int n = gzread(s.file, s.buffer.data(), static_cast<unsigned>(s.buffer.size()));
  if (n < 0) {
    int code = 0;
    const char* message = gzerror(s.file, &code);
    return fail(code == Z_ERRNO ? ErrorCode::io : ErrorCode::parse,
                std::string{"cannot read: "} + (code == Z_ERRNO ? std::strerror(errno) : message),
                s.path + ":" + std::to_string(s.line + 1));
  }
  if (n == 0) {
    int code = Z_OK;
    gzerror(s.file, &code);
    if (code == Z_BUF_ERROR) {
      return fail(ErrorCode::parse, "truncated gzip stream",
                  s.path + ":" + std::to_string(s.line + 1));
    }
    s.eof = true;
  }
  s.end = static_cast<std::size_t>(n);
  return {};
}

Result<bool> LineReader::read_bytes(std::string& out, std::size_t max_bytes) {
  State& s = *state_;
  for (;;) {
    if (s.begin == s.end) {
      if (s.eof) {
        return false;
      }
      if (auto filled = refill(s); !filled) {
        return tl::unexpected(filled.error());
      }
      continue;
    }
    if (max_bytes == 0) {
      return true;
    }
    const std::size_t n = std::min(max_bytes, s.end - s.begin);
    const char* data = s.buffer.data() + s.begin;
    out.append(data, n);
    s.line += static_cast<std::size_t>(std::count(data, data + n, '\n'));
    s.begin += n;
    max_bytes -= n;
  }
}

std::string_view LineReader::buffered_lines() {
  State& s = *state_;
  const std::string_view rest = s.in_memory && s.begin == s.end
                                    ? s.memory
                                    : std::string_view{s.buffer.data() + s.begin, s.end - s.begin};
  const char* const end = rest.data() + rest.size();
  if (end != s.lines_end) {  // a new chunk: unread input only loses its front
    const void* newline = rest.empty() ? nullptr : ::memrchr(rest.data(), '\n', rest.size());
    s.lines_tail = newline == nullptr
                       ? rest.size()
                       : static_cast<std::size_t>(end - static_cast<const char*>(newline)) - 1;
    s.lines_end = end;
  }
  return rest.size() > s.lines_tail ? rest.substr(0, rest.size() - s.lines_tail)
                                    : std::string_view{};
}

void LineReader::skip(std::size_t bytes, std::size_t lines) {
  State& s = *state_;
  s.long_line.clear();
  if (s.in_memory && s.begin == s.end) {
    s.memory.remove_prefix(bytes);
  } else {
    s.begin += bytes;
  }
  s.line += lines;
}

std::size_t LineReader::line_number() const { return state_->line; }
const std::string& LineReader::path() const { return state_->path; }
std::string LineReader::where() const { return state_->path + ":" + std::to_string(state_->line); }

}  // namespace placer::ingest
