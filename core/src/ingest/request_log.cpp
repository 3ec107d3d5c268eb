#include "placer/ingest/request_log.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "csv_vector.hpp"
#include "placer/ingest/timestamp.hpp"
#include "request_log_internal.hpp"
#include "text.hpp"

namespace placer::ingest {
namespace {

constexpr std::size_t k_max_columns = 256;

enum Field : std::size_t { timestamp, duration_ms, memory_mib, workload, status, init_duration_ms, k_fields };
static_assert(k_fields == internal::k_layout_fields);
constexpr std::array<const char*, k_fields> k_names = {
    "timestamp", "duration_ms", "memory_mib", "workload", "status", "init_duration_ms"};

using text::shorten;

// 1970-01-01 to 9999-12-31: anything else is a unit mistake, not a request time.
constexpr double k_latest_s = 253402300799.0;

struct RowError {
  std::string message;
};

// A number with surrounding spaces and an optional "+" allowed.
std::optional<double> parse_field_number(std::string_view text) {
  while (!text.empty() && text.front() == ' ') {
    text.remove_prefix(1);
  }
  while (!text.empty() && text.back() == ' ') {
    text.remove_suffix(1);
  }
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
  }
  return text::parse_number(text);
}

// Splits one CSV line into `out` (views into `line`, or into `scratch` for quoted fields,
// which may hold commas and "" for a quote). False on an unterminated quote or too many
// fields.
bool split_csv(std::string_view line, std::vector<std::string_view>& out,
               std::deque<std::string>& scratch) {
  out.clear();
  std::size_t quoted_fields = 0;
  std::size_t pos = 0;
  for (;;) {
    if (out.size() >= k_max_columns) {
      return false;
    }
    if (pos < line.size() && line[pos] == '"') {
      if (scratch.size() <= quoted_fields) {
        scratch.emplace_back();
      }
      std::string& field = scratch[quoted_fields++];
      field.clear();
      ++pos;
      for (;;) {
        if (pos >= line.size()) {
          return false;  // unterminated quote
        }
        char c = line[pos++];
        if (c == '"') {
          if (pos < line.size() && line[pos] == '"') {
            field += '"';
            ++pos;
          } else {
            break;
          }
        } else {
          field += c;
        }
      }
      std::size_t comma = line.find(',', pos);
      field.append(line.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
      out.emplace_back(field);
      if (comma == std::string_view::npos) {
        return true;
      }
      pos = comma + 1;
    } else {
      std::size_t comma = line.find(',', pos);
      if (comma == std::string_view::npos) {
        out.push_back(line.substr(pos));
        return true;
      }
      out.push_back(line.substr(pos, comma - pos));
      pos = comma + 1;
    }
  }
}

using Values = std::array<std::optional<std::string_view>, k_fields>;

Invocation make_invocation(const Values& values) {
  Invocation inv;
  const auto& ts = values[timestamp];
  if (!ts || ts->empty()) {
    throw RowError{"missing timestamp"};
  }
  // Most logs write epoch seconds as a plain decimal: parse_plain_decimal reads those
  // exactly as parse_timestamp would, and declines everything else.
  auto when = text::parse_plain_decimal(*ts);
  if (!when) {
    when = parse_timestamp(*ts);
  }
  if (!when) {
    throw RowError{"bad timestamp \"" + shorten(*ts) +
                   "\", expected epoch seconds or RFC 3339 with an offset"};
  }
  if (*when < 0 || *when > k_latest_s) {
    throw RowError{"timestamp \"" + shorten(*ts) +
                   "\" out of range, expected a time between 1970 and 9999"};
  }
  inv.timestamp_s = *when;
  const auto& d = values[duration_ms];
  if (!d || d->empty()) {
    throw RowError{"missing duration_ms"};
  }
  auto duration = parse_field_number(*d);
  if (!duration || *duration < 0) {
    throw RowError{"bad duration_ms \"" + shorten(*d) + "\", expected a non-negative number"};
  }
  if (*duration >= k_request_value_limit) {
    throw RowError{"duration_ms \"" + shorten(*d) +
                   "\" out of range, expected less than 2^40 ms (35 years)"};
  }
  inv.duration = Millis{*duration};
  if (const auto& m = values[memory_mib]; m && !m->empty()) {
    auto memory = parse_field_number(*m);
    if (!memory || *memory <= 0) {
      throw RowError{"bad memory_mib \"" + shorten(*m) + "\", expected a positive number"};
    }
    if (*memory >= k_request_value_limit) {
      throw RowError{"memory_mib \"" + shorten(*m) +
                     "\" out of range, expected less than 2^40 MiB"};
    }
    inv.memory = MiB{*memory};
  }
  if (const auto& i = values[init_duration_ms]; i && !i->empty()) {
    auto init = parse_field_number(*i);
    if (!init || *init < 0) {
      throw RowError{"bad init_duration_ms \"" + shorten(*i) + "\", expected a non-negative number"};
    }
    if (*init >= k_request_value_limit) {
      throw RowError{"init_duration_ms \"" + shorten(*i) +
                     "\" out of range, expected less than 2^40 ms (35 years)"};
    }
    inv.init_duration = Millis{*init};
  }
  if (const auto& st = values[status]; st && !st->empty()) {
    auto code = parse_field_number(*st);
    if (!code || *code != std::floor(*code) || *code < 0 || *code > 999) {
      throw RowError{"bad status \"" + shorten(*st) + "\", expected a whole number 0-999"};
    }
    inv.status = static_cast<int>(*code);
  }
  if (const auto& w = values[workload]; w) {
    inv.workload.assign(*w);
  }
  return inv;
}

// A reused row, ready for the fast paths to fill: every optional number absent.
void clear_optional_numbers(Invocation& row) {
  row.memory.reset();
  row.init_duration.reset();
  row.status.reset();
}

// As clear_optional_numbers, and no workload.
void clear_optional_fields(Invocation& row) {
  clear_optional_numbers(row);
  row.workload.clear();
}

// The ranges of the fast paths' numbers, each an unsigned plain decimal (so >= 0): the
// bounds make_invocation checks, in one place for put_plain_number and the vector rows.
constexpr bool plain_timestamp_ok(double s) { return s <= k_latest_s; }
constexpr bool plain_request_value_ok(double v) { return v < k_request_value_limit; }  // ms
constexpr bool plain_memory_ok(double mib) { return mib > 0 && mib < k_request_value_limit; }
// Truncation is the floor for a value >= 0, and cheaper than std::floor; the bound first,
// so that the conversion is of a value an int holds.
constexpr bool plain_status_ok(double code) {
  return code <= 999 && code == static_cast<double>(static_cast<int>(code));
}

// Sets `field` (a number) of `row` to `value`, an unsigned plain decimal, for the fast
// paths; false when it is out of range for the field (make_invocation names the error).
// Inlined: a call per field costs the CSV fast path a sixth of its time.
[[gnu::always_inline]] inline bool put_plain_number(Invocation& row, std::size_t field,
                                                    double value) {
  switch (field) {
    case timestamp:
      if (!plain_timestamp_ok(value)) {
        return false;
      }
      row.timestamp_s = value;
      return true;
    case duration_ms:
      if (!plain_request_value_ok(value)) {
        return false;
      }
      row.duration = Millis{value};
      return true;
    case memory_mib:
      if (!plain_memory_ok(value)) {
        return false;
      }
      row.memory = MiB{value};
      return true;
    case init_duration_ms:
      if (!plain_request_value_ok(value)) {
        return false;
      }
      row.init_duration = Millis{value};
      return true;
    default:  // status
      if (!plain_status_ok(value)) {
        return false;
      }
      row.status = static_cast<int>(value);
      return true;
  }
}

// The common row, into `row` without the general parsers: timestamp and duration_ms
// present, every number an unsigned plain decimal (text::read_unsigned_decimal) and in
// range. False for any other row, and make_invocation reads it, accepting it or naming the
// error; for a row both accept, both give the same Invocation.
bool plain_invocation(const Values& values, Invocation& row) {
  if (!values[timestamp] || !values[duration_ms]) {
    return false;
  }
  clear_optional_fields(row);
  for (std::size_t field = 0; field < k_fields; ++field) {
    const auto& text = values[field];
    const bool required = field == timestamp || field == duration_ms;
    if (field == workload || !text || (text->empty() && !required)) {
      continue;  // an empty optional field is absent
    }
    const char* p = text->data();
    const char* const end = p + text->size();
    double value = 0;
    if (!text::read_unsigned_decimal(p, end, value) || p != end ||
        !put_plain_number(row, field, value)) {
      return false;
    }
  }
  if (values[workload]) {
    row.workload.assign(*values[workload]);
  }
  return true;
}

// The field a JSON key or CSV header names, k_fields for others.
// `name` is `literal`: a comparison of a known length, which compilers inline.
template <std::size_t N>
bool is(std::string_view name, const char (&literal)[N]) {
  return name.size() == N - 1 && std::memcmp(name.data(), literal, N - 1) == 0;
}

std::size_t field_of(std::string_view name) {
  switch (name.size()) {  // the names differ in length
    case 9: return is(name, "timestamp") ? timestamp : k_fields;
    case 11: return is(name, "duration_ms") ? duration_ms : k_fields;
    case 10: return is(name, "memory_mib") ? memory_mib : k_fields;
    case 8: return is(name, "workload") ? workload : k_fields;
    case 6: return is(name, "status") ? status : k_fields;
    case 16: return is(name, "init_duration_ms") ? init_duration_ms : k_fields;
    default: return k_fields;
  }
}

// The end of the JSON number at `p` (in [p, end)) when the fast paths take it:
// -?(0|[1-9]d*)(.d+)?, no exponent (the SAX path spells those out in fixed notation), at
// most 40 characters (far from overflowing a double), and for an integer at most 18 digits
// and not "-0" (nlohmann would hand over its own digits: "0" for "-0"). Null otherwise.
const char* plain_json_number_end(const char* p, const char* end) {
  constexpr std::size_t k_max_chars = 40;
  constexpr std::size_t k_max_integer = 18;
  const auto digit = [end](const char* q) {
    return q != end && static_cast<unsigned>(*q - '0') < 10;
  };
  const char* const first = p;
  const bool negative = p != end && *p == '-';
  p += negative ? 1 : 0;
  const char* const digits = p;
  if (p != end && *p == '0') {
    ++p;  // a digit after it: a leading zero, refused below
  } else {
    while (digit(p)) {
      ++p;
    }
  }
  const auto integer_digits = static_cast<std::size_t>(p - digits);
  if (integer_digits == 0) {
    return nullptr;
  }
  bool fraction = false;
  if (p != end && *p == '.') {
    const char* const fraction_first = ++p;
    while (digit(p)) {
      ++p;
    }
    if (p == fraction_first) {
      return nullptr;
    }
    fraction = true;
  }
  if (digit(p) || (p != end && (*p == 'e' || *p == 'E' || *p == '.'))) {
    return nullptr;
  }
  const auto size = static_cast<std::size_t>(p - first);
  if (size > k_max_chars || (!fraction && (integer_digits > k_max_integer ||
                                           (negative && size == 2 && *digits == '0')))) {
    return nullptr;
  }
  return p;
}

// A fast path for the common JSON Lines row: a flat object whose keys and strings are
// printable ASCII without escapes, whose numbers are -?(0|[1-9]d*)(.d+)? (integers of at
// most 18 digits, not "-0"; no exponent; at most 40 characters), and whose other values
// are null (or, under keys placer ignores, true and false). For such a line it fills
// `values` with exactly the texts the SAX path below would hand to make_invocation (a raw
// token for a fraction, the canonical digits for an integer) and returns true. Anything
// else returns false, and the caller parses the line with the SAX path, which accepts or
// rejects it with its own message: this scanner never accepts a line the SAX path rejects.
class FlatObjectScanner {
 public:
  explicit FlatObjectScanner(std::string_view line)
      : p_(line.data()), end_(line.data() + line.size()) {}

  bool scan(Values& values) {
    skip_space();
    if (!take('{')) {
      return false;
    }
    skip_space();
    if (take('}')) {
      return at_end();
    }
    for (;;) {
      std::string_view key;
      if (!string(key)) {
        return false;
      }
      skip_space();
      if (!take(':')) {
        return false;
      }
      skip_space();
      if (p_ == end_) {
        return false;
      }
      const std::size_t field = field_of(key);
      std::string_view value;
      if (*p_ == '"') {
        if (!string(value)) {
          return false;
        }
        set(values, field, value);
      } else if (*p_ == '-' || is_digit(*p_)) {
        if (!number(value)) {
          return false;
        }
        set(values, field, value);
      } else if (literal("null")) {
        if (field < k_fields) {
          values[field] = std::nullopt;
        }
      } else if (field == k_fields && (literal("true") || literal("false"))) {
        // a boolean under a key placer ignores
      } else {
        return false;
      }
      skip_space();
      if (take(',')) {
        skip_space();
        continue;
      }
      return take('}') && at_end();
    }
  }

 private:
  static bool is_digit(char c) { return static_cast<unsigned>(c - '0') < 10; }

  static void set(Values& values, std::size_t field, std::string_view value) {
    if (field < k_fields) {
      values[field] = value;
    }
  }

  void skip_space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\r' || *p_ == '\n')) {
      ++p_;
    }
  }

  bool take(char c) {
    if (p_ != end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }

  bool at_end() {
    skip_space();
    return p_ == end_;
  }

  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) >= word.size() &&
        std::string_view{p_, word.size()} == word) {
      p_ += word.size();
      return true;
    }
    return false;
  }

  // A string of printable ASCII other than '"' and '\\'; its contents into `out`.
  bool string(std::string_view& out) {
    if (!take('"')) {
      return false;
    }
    const char* const first = p_;
    while (p_ != end_) {
      const char c = *p_;
      if (c == '"') {
        out = std::string_view{first, static_cast<std::size_t>(p_ - first)};
        ++p_;
        return true;
      }
      if (c == '\\' || static_cast<unsigned char>(c) < 0x20 ||
          static_cast<unsigned char>(c) >= 0x7f) {
        return false;  // escapes, control and non-ASCII bytes: the SAX path decides
      }
      ++p_;
    }
    return false;
  }

  bool number(std::string_view& out) {
    const char* const number_end = plain_json_number_end(p_, end_);
    if (number_end == nullptr) {
      return false;
    }
    out = std::string_view{p_, static_cast<std::size_t>(number_end - p_)};
    p_ = number_end;
    return true;
  }

  const char* p_;
  const char* const end_;
};

// After a string's opening quote at `p`: printable ASCII other than '"' and '\\' up to the
// closing quote, which `p` is left after. Its first byte, or null (escapes and other bytes:
// json_row decides).
inline const char* plain_json_string(const char*& p) {
  const char* const first = p;
  for (;;) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"') {
      ++p;
      return first;
    }
    if (c == '\\' || c < 0x20 || c >= 0x7f) {
      return nullptr;
    }
    ++p;
  }
}

// An unsigned JSON number at `p` that is a plain decimal of at most 15 digits, in a line
// that ends in a "\n"; `p` is left after it.
inline bool plain_json_decimal(const char*& p, const char* end, double& value) {
  const auto is_digit = [](char c) { return static_cast<unsigned>(c - '0') < 10; };
  if (*p == '0' && is_digit(p[1])) {
    return false;  // a leading zero: not JSON
  }
  if (!text::read_unsigned_decimal<true>(p, end, value)) {
    return false;
  }
  return !(is_digit(*p) || *p == '.' || *p == 'e' || *p == 'E');
}

// Whether the `size` bytes at `a` and `b` are equal: inline, in words, for the few bytes
// between a JSON row's values.
inline bool same_bytes(const char* a, const char* b, std::size_t size) {
  const auto word = [](const char* q) {
    std::uint64_t w = 0;
    std::memcpy(&w, q, 8);
    return w;
  };
  if (size >= 8) {
    for (std::size_t i = 0; i + 8 < size; i += 8) {
      if (word(a + i) != word(b + i)) {
        return false;
      }
    }
    return word(a + size - 8) == word(b + size - 8);
  }
  for (std::size_t i = 0; i < size; ++i) {
    if (a[i] != b[i]) {
      return false;
    }
  }
  return true;
}

// The text between the values of the last plain JSON row read, with the field each value
// is: `{"timestamp":`, then `,"duration_ms":` and so on, to `}` before the "\n" (a string
// value's opening quote belongs to the text before it). Rows of one log nearly always
// share it byte for byte, so the next row is read by comparing that text in words and
// reading the values, rather than by reading each key and each bracket, comma and colon.
// A row that differs anywhere falls back to InPlaceJsonRow, which learns its shape.
class JsonRowShape {
 public:
  // As InPlaceJsonRow::read, for a row of this shape; null for any other row.
  const char* read(const char* p, const char* end, Invocation& row, std::string_view& name) const {
    if (count_ == 0) {
      return nullptr;
    }
    const char* const first = p;
    clear_optional_numbers(row);
    name = {};
    for (std::size_t i = 0;; ++i) {
      const Piece& piece = pieces_[i];
      if (static_cast<std::size_t>(end - p) <= piece.size ||
          !same_bytes(p, text_.data() + piece.offset, piece.size)) {
        return nullptr;
      }
      p += piece.size;
      if (piece.field == k_fields) {  // the text after the last value
        if (*p != '\n' || static_cast<std::size_t>(p - first) > k_max_line_bytes) {
          return nullptr;
        }
        return p + 1;
      }
      if (piece.field == workload) {
        const char* const text = plain_json_string(p);
        if (text == nullptr) {
          return nullptr;
        }
        name = std::string_view{text, static_cast<std::size_t>(p - 1 - text)};
        continue;
      }
      double value = 0;
      if (!plain_json_decimal(p, end, value) || !put_plain_number(row, piece.field, value)) {
        return nullptr;
      }
    }
  }

  // Becomes `learnt`, copying only the part of it in use.
  void take(const JsonRowShape& learnt) {
    count_ = learnt.count_;
    std::copy_n(learnt.pieces_.begin(), count_, pieces_.begin());
    std::copy_n(learnt.text_.begin(), learnt.text_size_, text_.begin());
    text_size_ = learnt.text_size_;
  }

 private:
  friend class JsonRowShapeLearner;
  static constexpr std::size_t k_max_pieces = 12;
  static constexpr std::size_t k_text_bytes = 256;
  struct Piece {
    std::size_t offset;  // in text_
    std::size_t size;
    std::size_t field;  // of the value after it; k_fields: the row's end
  };
  std::size_t count_ = 0;  // pieces_ in use; 0: none learnt
  std::array<Piece, k_max_pieces> pieces_;
  std::size_t text_size_ = 0;  // bytes of text_ in use
  std::array<char, k_text_bytes> text_;
};

// Learning a shape, into `shape`, while InPlaceJsonRow reads a row: the text from the
// row's start up to each value, and from each value's end to the next, then to the end of
// the row. A row with other keys, too many fields or too much text between them is not
// learnt.
class JsonRowShapeLearner {
 public:
  JsonRowShapeLearner(const char* row, JsonRowShape& shape) : shape_(shape), mark_(row) {
    shape_.count_ = 0;
    shape_.text_size_ = 0;
  }
  void value(const char* at, std::size_t field) { piece(at, field); }
  void value_end(const char* at) { mark_ = at; }
  void ignored_key() { ok_ = false; }
  // At the row's "\n", `at`, the row read whole: whether `shape` now holds its shape.
  bool finish(const char* at) {
    piece(at, k_fields);
    return ok_;
  }

 private:
  void piece(const char* at, std::size_t field) {
    const auto size = static_cast<std::size_t>(at - mark_);
    const std::size_t used = shape_.text_size_;
    if (!ok_ || shape_.count_ == JsonRowShape::k_max_pieces ||
        used + size > JsonRowShape::k_text_bytes) {
      ok_ = false;
      return;
    }
    std::memcpy(shape_.text_.data() + used, mark_, size);
    shape_.pieces_[shape_.count_++] = JsonRowShape::Piece{used, size, field};
    shape_.text_size_ = used + size;
  }

  JsonRowShape& shape_;
  const char* mark_;
  bool ok_ = true;
};

// The common JSON Lines row read in place, straight into an Invocation: a flat object as
// FlatObjectScanner takes it, whose fields placer reads are unsigned plain decimals of at
// most 15 digits (text::read_unsigned_decimal) in range, and a workload string. The row
// starts at `p` among whole lines that end before `end` and runs to its "\n" (JSON counts
// "\r" as space). Null for any other row, which the caller reads with next() and
// json_row; for a row both accept, both give the same Invocation.
class InPlaceJsonRow {
 public:
  // The workload goes to `name` (a view of the row, empty when absent), the rest to `row`,
  // whose own workload is left as it was. The row's shape is learnt into `shape` (its
  // content is lost either way; learnt() says whether it holds the row's).
  InPlaceJsonRow(const char* p, const char* end, Invocation& row, std::string_view& name,
                 JsonRowShape& shape)
      : p_(p), end_(end), row_(row), name_(name), shape_(shape) {}

  bool learnt() const { return learnt_; }

  // The first byte after the row, or null.
  const char* read() {
    const char* const first = p_;
    clear_optional_numbers(row_);
    name_ = {};
    JsonRowShapeLearner learner{first, shape_};
    bool timed = false;
    bool has_duration = false;
    skip_space();
    if (*p_++ != '{') {
      return nullptr;
    }
    skip_space();
    if (*p_ == '}') {
      return nullptr;  // {}: no timestamp; json_row names it
    }
    for (;;) {
      const std::size_t field = key();
      if (field > k_fields) {
        return nullptr;
      }
      skip_space();
      if (*p_++ != ':') {
        return nullptr;
      }
      skip_space();
      if (field == k_fields) {
        learner.ignored_key();
        if (!ignored_value()) {
          return nullptr;
        }
      } else if (field == workload) {
        if (*p_++ != '"') {
          return nullptr;
        }
        learner.value(p_, field);
        const char* const text = plain_json_string(p_);
        if (text == nullptr) {
          return nullptr;
        }
        name_ = std::string_view{text, static_cast<std::size_t>(p_ - 1 - text)};
      } else {
        learner.value(p_, field);
        double value = 0;
        if (!plain_json_decimal(p_, end_, value) || !put_plain_number(row_, field, value)) {
          return nullptr;
        }
        timed |= field == timestamp;
        has_duration |= field == duration_ms;
      }
      learner.value_end(p_);
      skip_space();
      const char c = *p_++;
      if (c == '}') {
        break;
      }
      if (c != ',') {
        return nullptr;
      }
      skip_space();
    }
    skip_space();
    if (*p_ != '\n' || static_cast<std::size_t>(p_ - first) > k_max_line_bytes ||
        !(timed && has_duration)) {
      return nullptr;
    }
    learnt_ = learner.finish(p_);
    return p_ + 1;
  }

 private:
  static bool is_digit(char c) { return static_cast<unsigned>(c - '0') < 10; }

  void skip_space() {
    // Most rows have no space between tokens: one comparison (space, tab and CR are all
    // at or below ' ') before the loop.
    while (static_cast<unsigned char>(*p_) <= ' ' && (*p_ == ' ' || *p_ == '\t' || *p_ == '\r')) {
      ++p_;
    }
  }

  // Whether the key at p_ is `name` followed by its closing quote; if so, passes over it.
  template <std::size_t N>
  bool is_key(const char (&name)[N]) {
    if (static_cast<std::size_t>(end_ - p_) < N || std::memcmp(p_, name, N - 1) != 0 ||
        p_[N - 1] != '"') {
      return false;
    }
    p_ += N;
    return true;
  }

  // The field a key names, k_fields for another key, or k_fields + 1 for no key of this kind.
  std::size_t key() {
    if (*p_++ != '"') {
      return k_fields + 1;
    }
    // clang-format off
    switch (*p_) {  // the known keys, compared whole
      case 't': if (is_key("timestamp")) { return timestamp; } break;
      case 'd': if (is_key("duration_ms")) { return duration_ms; } break;
      case 'm': if (is_key("memory_mib")) { return memory_mib; } break;
      case 'w': if (is_key("workload")) { return workload; } break;
      case 's': if (is_key("status")) { return status; } break;
      case 'i': if (is_key("init_duration_ms")) { return init_duration_ms; } break;
      default: break;
    }
    // clang-format on
    const char* const name = plain_json_string(p_);
    if (name == nullptr) {
      return k_fields + 1;
    }
    // Not one of ours by the comparisons above, or a name json_row reads differently.
    return field_of(std::string_view{name, static_cast<std::size_t>(p_ - 1 - name)}) == k_fields
               ? k_fields
               : k_fields + 1;
  }

  // A value under a key placer ignores, as FlatObjectScanner takes it.
  bool ignored_value() {
    if (*p_ == '"') {
      ++p_;
      return plain_json_string(p_) != nullptr;
    }
    if (*p_ == '-' || is_digit(*p_)) {
      const char* const number_end = plain_json_number_end(p_, end_);
      p_ = number_end == nullptr ? p_ : number_end;
      return number_end != nullptr;
    }
    for (const std::string_view word : {"null", "true", "false"}) {
      if (static_cast<std::size_t>(end_ - p_) >= word.size() &&
          std::string_view{p_, word.size()} == word) {
        p_ += word.size();
        return true;
      }
    }
    return false;
  }

  const char* p_;
  const char* const end_;
  Invocation& row_;
  std::string_view& name_;
  JsonRowShape& shape_;
  bool learnt_ = false;
};

// Collects the top-level fields of one JSON Lines row through nlohmann's SAX interface,
// without building a DOM; nested values of other keys are skipped.
class RowFields {
 public:
  using json = nlohmann::json;
  using Texts = std::array<std::optional<std::string>, k_fields>;

  explicit RowFields(Texts& out) : out_(out) {}

  const std::string& error() const { return error_; }

  bool null() { return scalar(std::nullopt, "null"); }
  bool boolean(bool) { return wrong_type("boolean"); }
  bool number_integer(json::number_integer_t v) { return scalar(std::to_string(v), "number"); }
  bool number_unsigned(json::number_unsigned_t v) { return scalar(std::to_string(v), "number"); }
  bool number_float(json::number_float_t v, const json::string_t& text) {
    if (text.find_first_of("eE") == std::string::npos) {
      return scalar(text, "number");
    }
    char buffer[400];  // fixed notation: timestamps must not come out as "1.7e+09"
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::fixed);
    if (ec != std::errc{}) {
      return fail_with(std::string{"bad "} + name() + ": number out of range");
    }
    return scalar(std::string{buffer, end}, "number");
  }
  bool string(json::string_t& value) { return scalar(value, "string"); }
  bool binary(json::binary_t&) { return wrong_type("binary"); }
  bool start_object(std::size_t) { return open("object"); }
  bool end_object() { return close(); }
  bool start_array(std::size_t) { return open("array"); }
  bool end_array() { return close(); }
  bool key(json::string_t& key) {
    if (depth_ == 1) {
      field_ = k_fields;
      for (std::size_t f = 0; f < k_fields; ++f) {
        if (key == k_names[f]) {
          field_ = f;
        }
      }
    }
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    if (error_.empty()) {
      error_ = "malformed JSON line";
    }
    return false;
  }

 private:
  const char* name() const { return field_ < k_fields ? k_names[field_] : "value"; }

  bool fail_with(std::string message) {
    error_ = std::move(message);
    return false;
  }
  bool wrong_type(const char* type) {
    if (depth_ == 0) {
      return fail_with(std::string{"expected a JSON object, found "} + type);
    }
    if (depth_ == 1 && field_ < k_fields) {
      return fail_with(std::string{"bad "} + name() + ": expected a number or a string, found " +
                       type);
    }
    return true;  // inside a value placer ignores
  }
  bool scalar(std::optional<std::string> value, const char* type) {
    if (depth_ == 0) {
      return wrong_type(type);
    }
    if (depth_ == 1 && field_ < k_fields) {
      out_[field_] = std::move(value);
      field_ = k_fields;
    }
    return true;
  }
  bool open(const char* type) {
    if (depth_ == 1 && field_ < k_fields) {
      return wrong_type(type);
    }
    if (depth_ == 0 && std::string_view{type} == "array") {
      return wrong_type(type);
    }
    ++depth_;
    return true;
  }
  bool close() {
    --depth_;
    if (depth_ == 1) {
      field_ = k_fields;
    }
    return true;
  }

  Texts& out_;
  std::string error_;
  int depth_ = 0;
  std::size_t field_ = k_fields;
};

// Takes nothing: for reading a header alone.
class NoRows final : public InvocationSink {
 public:
  void add(const Invocation&) override {}
};

class Parser {
 public:
  Parser(LineReader& reader, InvocationSink& sink, BadRows bad_rows, internal::FastPaths fast)
      : reader_(reader),
        sink_(sink),
        bad_rows_(bad_rows),
        fast_(fast != internal::FastPaths::off),
        vector_allowed_(fast == internal::FastPaths::on && csv_vector::available()),
        views_(sink.takes_workload_views()) {}

  // A parser for rows only, in the layout another one read.
  Parser(LineReader& reader, InvocationSink& sink, BadRows bad_rows, const internal::Layout& layout)
      : Parser(reader, sink, bad_rows, internal::FastPaths::on) {
    started_ = true;
    jsonl_ = layout.jsonl;
    columns_ = layout.columns;
    header_size_ = layout.header_size;
    roles_ = layout.roles;
    plan_vector_columns();
  }

  internal::Layout layout() const { return {jsonl_, columns_, header_size_, roles_}; }
  internal::PathCounts path_counts() const { return counts_; }

  Result<IngestStats> run() {
    std::string_view line;
    bool& started = started_;
    bool& jsonl = jsonl_;
    for (;;) {
      if (fast_ && started) {
        jsonl ? bulk_rows<true>() : bulk_rows<false>();
      }
      auto more = reader_.next(line);
      if (!more) {
        return tl::unexpected(more.error());
      }
      if (!*more) {
        break;
      }
      if (is_blank(line)) {
        continue;
      }
      if (!started) {
        started = true;
        jsonl = internal::is_json_line(line);
        if (!jsonl) {
          if (auto ok = read_header(line); !ok) {
            return tl::unexpected(ok.error());
          }
          continue;
        }
      }
      try {
        sink_.add(jsonl ? json_row(line) : csv_row(line));
        ++stats_.rows;
      } catch (const RowError& e) {
        if (bad_rows_ == BadRows::fail) {
          return fail(ErrorCode::parse, e.message, reader_.where());
        }
        stats_.skip(reader_.where(), e.message);
      }
    }
    if (!started) {
      return fail(ErrorCode::parse, "empty input, expected a CSV header or JSON Lines",
                  reader_.path());
    }
    return stats_;
  }

 private:
  static bool is_blank(std::string_view line) {
    if (!line.empty() && line.front() != ' ' && line.front() != '\t') {
      return false;  // most lines, without a call
    }
    return line.find_first_not_of(" \t") == std::string_view::npos;
  }

  Result<void> read_header(std::string_view line) {
    if (!split_csv(line, cells_, scratch_)) {
      return fail(ErrorCode::parse, "malformed CSV header", reader_.where());
    }
    columns_.fill(std::nullopt);
    for (std::size_t i = 0; i < cells_.size(); ++i) {
      std::string name{cells_[i]};
      if (i == 0 && name.rfind("\xEF\xBB\xBF", 0) == 0) {
        name.erase(0, 3);  // UTF-8 byte-order mark
      }
      for (std::size_t f = 0; f < k_fields; ++f) {
        if (name == k_names[f]) {
          if (columns_[f]) {
            return fail(ErrorCode::parse, "duplicate column \"" + name + "\"", reader_.where());
          }
          columns_[f] = i;
        }
      }
    }
    header_size_ = cells_.size();
    roles_.assign(header_size_, k_fields);
    for (std::size_t f = 0; f < k_fields; ++f) {
      if (columns_[f]) {
        roles_[*columns_[f]] = f;
      }
    }
    plan_vector_columns();
    for (Field required : {timestamp, duration_ms}) {
      if (!columns_[required]) {
        return fail(ErrorCode::parse,
                    std::string{"header has no \""} + k_names[required] +
                        "\" column, expected a CSV header with timestamp and duration_ms, found \"" +
                        shorten(line) + "\"",
                    reader_.where());
      }
    }
    return {};
  }

  // The vector reader for this layout, when it reads it.
  void plan_vector_columns() {
    vector_.reset();
    if (!vector_allowed_ || header_size_ < 2 || header_size_ > csv_vector::Columns::k_max) {
      return;
    }
    csv_vector::Columns columns;
    columns.count = header_size_;
    for (std::size_t column = 0; column < header_size_; ++column) {
      const std::size_t field = roles_[column];
      columns.kinds[column] = field == k_fields   ? csv_vector::Column::skip
                              : field == workload ? csv_vector::Column::name
                                                  : csv_vector::Column::number;
      columns.fields[column] = static_cast<std::uint8_t>(field);
    }
    vector_ = std::make_unique<csv_vector::Reader>(columns);
  }

  // A row the vector reader read, into row_ and name_ as fast_csv_row<true> puts it; false
  // when a number is out of range or a required one is missing (fast_csv_row then
  // declines it too, and the line-at-a-time reader names the error).
  bool take_vector_row(const csv_vector::Row& read) {
    // put_plain_number's checks, field by field without a switch or an early return.
    constexpr std::uint32_t k_required = (1u << timestamp) | (1u << duration_ms);
    const std::uint32_t present = read.present;
    const double* const values = read.values;
    Invocation& row = row_;
    bool ok = (present & k_required) == k_required && plain_timestamp_ok(values[timestamp]) &&
              plain_request_value_ok(values[duration_ms]);
    row.timestamp_s = values[timestamp];
    row.duration = Millis{values[duration_ms]};
    if ((present & (1u << memory_mib)) != 0) {
      ok &= plain_memory_ok(values[memory_mib]);
      row.memory = MiB{values[memory_mib]};
    } else {
      row.memory.reset();
    }
    if ((present & (1u << status)) != 0) {
      const bool whole = plain_status_ok(values[status]);
      ok &= whole;
      row.status = whole ? static_cast<int>(values[status]) : 0;
    } else {
      row.status.reset();
    }
    if ((present & (1u << init_duration_ms)) != 0) {
      ok &= plain_request_value_ok(values[init_duration_ms]);
      row.init_duration = Millis{values[init_duration_ms]};
    } else {
      row.init_duration.reset();
    }
    name_ = std::string_view{read.name, read.name_size};
    return ok;
  }

  // Hands row_ (a row read in place) to the sink.
  void deliver_in_place() {
    if (views_) {
      sink_.add_with_workload(row_, name_);
    } else {
      row_.workload.assign(name_);
      sink_.add(row_);
    }
  }

  // The common CSV row in one pass, into row_: the header's field count, no quotes, every
  // number an unsigned plain decimal (text::read_unsigned_decimal) and in range. Null for
  // any other row, with nothing delivered; csv_row then reads it, and accepts it or names
  // the error. For a row both accept, both give the same Invocation.
  //
  // A line from next() (InPlace false) ends at `end`. In place (bulk_rows), the row
  // starts at `p` among whole lines that end before `end`, and runs to its "\n", one "\r"
  // before which is dropped as next() drops it; a row longer than next() takes is left to
  // next(); its workload goes to name_, a view, and row_'s is left as it was. Returns the
  // first byte after the row.
  template <bool InPlace>
  const char* fast_csv_row(const char* p, const char* const end) {
    const char* const first = p;
    const auto at_field_end = [end](const char* q) {
      if constexpr (InPlace) {
        (void)end;  // in place, a "\n" ends the line
        return *q == ',' || *q == '\n' || (*q == '\r' && q[1] == '\n');
      } else {
        return q == end || *q == ',';
      }
    };
    Invocation& row = row_;
    if constexpr (InPlace) {
      clear_optional_numbers(row);
      name_ = {};
    } else {
      clear_optional_fields(row);
    }
    bool timed = false;
    bool has_duration = false;
    for (std::size_t column = 0; column < header_size_; ++column) {
      const std::size_t field = roles_[column];
      if ((InPlace || p != end) && *p == '"') {
        return nullptr;
      }
      if (field == k_fields || field == workload) {
        const char* stop = p;
        if constexpr (InPlace) {
          while (*stop != ',' && *stop != '\n') {
            ++stop;
          }
          if (*stop == '\n' && stop != p && stop[-1] == '\r') {
            --stop;  // the one "\r" next() drops
          }
        } else {
          while (stop != end && *stop != ',') {
            ++stop;
          }
        }
        if (field == workload) {
          if constexpr (InPlace) {
            name_ = std::string_view{p, static_cast<std::size_t>(stop - p)};
          } else {
            row.workload.assign(p, stop);
          }
        }
        p = stop;
      } else if (!at_field_end(p)) {
        double value = 0;
        // In place, a "\n" ends the line: the number needs no test for the end.
        if (!text::read_unsigned_decimal<InPlace>(p, end, value)) {
          return nullptr;
        }
        if (!put_plain_number(row, field, value)) {
          return nullptr;
        }
        timed |= field == timestamp;
        has_duration |= field == duration_ms;
      }
      // An empty field leaves an optional one absent; a missing timestamp or duration fails
      // below.
      if (column + 1 < header_size_) {
        if ((!InPlace && p == end) || *p != ',') {
          return nullptr;
        }
        ++p;
      } else if constexpr (InPlace) {
        p += *p == '\r' ? 1 : 0;
        if (*p != '\n' || static_cast<std::size_t>(p - first) > k_max_line_bytes) {
          return nullptr;
        }
        ++p;
      } else if (p != end) {
        return nullptr;
      }
    }
    return timed && has_duration ? p : nullptr;
  }

  // Reads the plain rows (fast_csv_row, InPlaceJsonRow) at the front of the reader's
  // buffered lines in place, without a call to next() per row, up to the first row of
  // another kind: the caller reads that one with next(). The same rows and line numbers as
  // next() gives.
  template <bool Jsonl>
  void bulk_rows() {
    const std::string_view lines = reader_.buffered_lines();
    const char* p = lines.data();
    const char* const end = p + lines.size();
    std::size_t rows = 0;
    while (p != end) {
      if constexpr (!Jsonl) {
        // Batches of rows by the vector reader, while it takes them; one row by
        // fast_csv_row after each batch that stopped short, then the vector reader again.
        if (vector_ && vector_pause_ == 0 &&
            static_cast<std::size_t>(end - p) > csv_vector::k_reach) {
          const char* const limit = end - csv_vector::k_reach;
          const char* after = p;
          const std::size_t read =
              vector_->read_rows(p, limit, vector_rows_.data(), vector_rows_.size(), after);
          std::size_t taken = 0;
          while (taken < read && take_vector_row(vector_rows_[taken])) {
            deliver_in_place();
            ++taken;
          }
          rows += taken;
          counts_.csv_rows_by_vector += taken;
          // Rows it declines in a row: leave the next 1, 3, 7 ... 63 to fast_csv_row, so that
          // a file of such rows (longer than 64 bytes) pays for a try every 64 rows at most.
          vector_backoff_ =
              read == 0 ? std::min(2 * vector_backoff_ + 1, k_vector_backoff_rows) : 0;
          vector_pause_ = vector_backoff_;
          if (taken < read) {
            p = vector_rows_[taken].start;
          } else {
            p = after;
            if (read == vector_rows_.size()) {
              continue;
            }
          }
          if (p == end) {
            break;
          }
        }
      }
      const char* next = nullptr;
      if constexpr (Jsonl) {
        next = json_shape_.read(p, end, row_, name_);
        if (next != nullptr) {
          ++counts_.json_rows_by_shape;
        } else {
          InPlaceJsonRow reader{p, end, row_, name_, json_learnt_};
          next = reader.read();
          if (next != nullptr && reader.learnt()) {
            json_shape_.take(json_learnt_);
          }
        }
      } else {
        next = fast_csv_row<true>(p, end);
      }
      if (next == nullptr) {
        break;
      }
      deliver_in_place();
      ++rows;
      p = next;
      if constexpr (!Jsonl) {
        vector_pause_ -= vector_pause_ != 0 ? 1 : 0;
      }
    }
    stats_.rows += rows;
    counts_.rows_in_place += rows;
    reader_.skip(static_cast<std::size_t>(p - lines.data()), rows);
  }

  // The row `line` holds, in row_ (valid until the next row).
  const Invocation& csv_row(std::string_view line) {
    if (!fast_ || fast_csv_row<false>(line.data(), line.data() + line.size()) == nullptr) {
      row_ = general_csv_row(line);
    }
    return row_;
  }

  Invocation general_csv_row(std::string_view line) {
    if (!split_csv(line, cells_, scratch_)) {
      throw RowError{"malformed CSV row (unterminated quote or more than 256 fields)"};
    }
    if (cells_.size() != header_size_) {
      throw RowError{text::field_count_error(cells_.size(), header_size_)};
    }
    Values values;
    for (std::size_t f = 0; f < k_fields; ++f) {
      if (columns_[f]) {
        values[f] = cells_[*columns_[f]];
      }
    }
    return make_invocation(values);
  }

  // The row `line` holds, in row_ (valid until the next row).
  const Invocation& json_row(std::string_view line) {
    if (Values values; fast_ && FlatObjectScanner{line}.scan(values)) {
      if (!plain_invocation(values, row_)) {
        row_ = make_invocation(values);
      }
      return row_;
    }
    RowFields::Texts texts;
    RowFields fields{texts};
    if (!nlohmann::json::sax_parse(line.begin(), line.end(), &fields)) {
      throw RowError{fields.error().empty() ? "malformed JSON line" : fields.error()};
    }
    Values values;
    for (std::size_t f = 0; f < k_fields; ++f) {
      if (texts[f]) {
        values[f] = *texts[f];
      }
    }
    row_ = make_invocation(values);
    return row_;
  }

  LineReader& reader_;
  InvocationSink& sink_;
  BadRows bad_rows_;
  bool fast_;   // the fast paths are on
  bool vector_allowed_;  // and the vector reader with them, on a CPU that runs it
  std::unique_ptr<csv_vector::Reader> vector_;  // for this CSV layout, when it reads it
  static constexpr unsigned k_vector_backoff_rows = 63;
  unsigned vector_backoff_ = 0;  // rows to leave to fast_csv_row after the next decline
  unsigned vector_pause_ = 0;    // rows left to fast_csv_row before the vector reader tries again
  bool views_;  // rows read in place go to the sink with their workload as a view
  IngestStats stats_;
  internal::PathCounts counts_;  // of stats_.rows, those bulk_rows read, and how
  bool started_ = false;  // the first non-blank line was read
  bool jsonl_ = false;
  std::array<std::optional<std::size_t>, internal::k_layout_fields> columns_;
  std::size_t header_size_ = 0;
  std::vector<std::size_t> roles_;  // the field each column holds, k_fields for none
  std::array<csv_vector::Row, 64> vector_rows_{};  // a batch the vector reader read
  Invocation row_;                  // the fast path's row, reused to keep its allocations
  std::string_view name_;           // the workload of the row read in place, in the reader's memory
  JsonRowShape json_shape_;         // of the last JSON row read in place whole
  JsonRowShape json_learnt_;        // room for learning the next one's
  std::vector<std::string_view> cells_;
  std::deque<std::string> scratch_;  // quoted fields, unescaped (a deque: views stay valid)
};

}  // namespace

Result<IngestStats> read_request_log(LineReader& reader, InvocationSink& sink, BadRows bad_rows) {
  return Parser{reader, sink, bad_rows, internal::FastPaths::on}.run();
}

bool internal::is_json_line(std::string_view line) {
  const std::size_t first = line.find_first_not_of(" \t");
  return first != std::string_view::npos && line[first] == '{';
}

Result<internal::Layout> internal::read_csv_header(LineReader& reader) {
  NoRows none;
  Parser parser{reader, none, BadRows::fail, FastPaths::on};
  if (auto stats = parser.run(); !stats) {
    return tl::unexpected(stats.error());
  }
  if (parser.layout().jsonl) {
    return fail(ErrorCode::internal, "expected a CSV header, found a JSON line", reader.where());
  }
  return parser.layout();
}

Result<IngestStats> internal::read_rows(LineReader& reader, InvocationSink& sink, BadRows bad_rows,
                                        const Layout& layout) {
  return Parser{reader, sink, bad_rows, layout}.run();
}

Result<IngestStats> internal::read_request_log(LineReader& reader, InvocationSink& sink,
                                               BadRows bad_rows, FastPaths fast_paths,
                                               PathCounts* counts) {
  Parser parser{reader, sink, bad_rows, fast_paths};
  auto stats = parser.run();
  if (counts != nullptr) {
    *counts = parser.path_counts();
  }
  return stats;
}

}  // namespace placer::ingest
