// Private to the request log reader: plain CSV rows read 64 bytes at a time with AVX2 or
// AVX-512, on CPUs that have them (checked at run time; elsewhere `available()` is false
// and the scalar reader does all). A row's separators come from vector compares, and each
// number is converted whole, its digits moved into place by one shuffle and combined by
// three multiply-adds, with no loop and no branch per digit (AVX-512: four numbers at
// once). It reads only what the scalar fast path (Parser::fast_csv_row) reads and gives
// the same values, bit for bit: plain decimals of at most 15 digits, DIGITS or
// DIGITS.DIGITS, divided once by a power of ten; it declines every other row, which the
// scalar reader then takes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "request_log_internal.hpp"

namespace placer::ingest::csv_vector {

// The instructions the vector reader uses: none (the scalar reader reads every row), AVX2
// (with BMI1, BMI2 and POPCNT), or AVX-512 (F, BW, VL, DQ and VBMI as well).
enum class Isa { none, avx2, avx512 };

// The best this CPU runs, checked once.
Isa best_isa();

// Whether this CPU runs the vector reader at all.
inline bool available() { return best_isa() != Isa::none; }

// What a column holds, for the vector reader.
enum class Column : std::uint8_t {
  skip,    // a column placer does not read
  name,    // the workload
  number,  // a number, into values[field]
};

struct Columns {
  static constexpr std::size_t k_max = 32;  // wider headers are left to the scalar reader
  std::size_t count = 0;
  Column kinds[k_max] = {};
  std::uint8_t fields[k_max] = {};  // for a number, its field (internal::Layout's numbering)
};

// One row as read: the numbers of its non-empty number columns, by field, and its workload.
struct Row {
  double values[8] = {};        // by field (internal::Layout's numbering); 8 for one vector store
  std::uint32_t present = 0;    // bit f: field f was a non-empty number column
  const char* start = nullptr;  // the row's first byte
  const char* name = nullptr;   // the workload column's text, when there is one
  std::uint32_t name_size = 0;
};

// Every byte a row read here may touch lies within this many bytes of its start: the rows
// read start at least this far before the end of readable memory.
inline constexpr std::size_t k_reach = 80;

// Reads the rows of one CSV layout. Rows are taken by their shape (where their commas, "\n"
// and dots are), learnt from the first row of each and kept in a small cache: a row of a
// known shape is checked with three comparisons of bit masks and its numbers are converted
// with no search for their ends. The name (a view) stays valid with the text read.
class Reader {
 public:
  // With the AVX2 reader or the AVX-512 one (tests choose; by default the best there is).
  explicit Reader(const Columns& columns, Isa isa = best_isa());

  // Reads rows from `p`, each a line of fewer than 64 bytes ("\n" included) with the
  // layout's fields, no text field starting with a quote, and every non-empty number column
  // a plain decimal of at most 16 bytes; a "\r" before the "\n" is dropped, as
  // LineReader::next() drops it. Stops before the first row that is not such a row, after
  // `capacity` rows, or at the first row starting at or after `limit` (at least k_reach
  // bytes before the end of readable memory). Returns the rows read, and sets `next` to the
  // first byte after them. Requires: available().
  std::size_t read_rows(const char* p, const char* limit, Row* out, std::size_t capacity,
                        const char*& next);

 private:
  struct Number {
    const std::uint8_t* shuffle = nullptr;  // the digits into place
    double divisor = 1;
    std::uint8_t start = 0;  // in the row
    std::uint8_t field = 0;
    bool fraction = false;
  };
  struct Shape {
    std::uint64_t ends = 0;          // the key: commas and the "\n"
    std::uint64_t dots = 0;          // and dots, in the row
    std::uint64_t number_bytes = 0;  // the bytes of number fields
    std::uint64_t number_dots = 0;   // the dots among them
    std::uint64_t text_starts = 0;   // the first bytes of other non-empty fields
    std::uint32_t present = 0;       // the fields of its numbers
    std::uint8_t numbers = 0;
    std::uint8_t name_start = 0;
    std::uint8_t name_size = 0;
    bool cr = false;  // a "\r" before the "\n"
    Number number[internal::k_layout_fields];
    // For the AVX-512 reader, the first four numbers at once: per 16-byte lane, the row
    // bytes of one number's digits (gather_keep: the bytes that take one, zeros elsewhere)
    // and its power of ten; per field, the lane of its number (field_keep: the fields that
    // have one). Not alignas(64): each part's parser allocates a Reader, and aligned new
    // fragmented glibc's thread arenas until peak memory grew with the file.
    std::uint8_t gather[64] = {};
    std::uint64_t gather_keep = 0;
    double lane_divisors[4] = {1, 1, 1, 1};
    std::uint64_t field_lanes[8] = {};
    std::uint8_t field_keep = 0;
  };

  struct Bits {  // of a row's first 64 bytes, a bit a byte: its commas, digits, dots, quotes
    std::uint64_t commas, digits, dots, quotes;
  };
  const Shape* shape_of(const char* p, Bits bits, unsigned length);
  static void take_fields(const char* p, const Shape& shape, Row& row);
  static void read_numbers(const char* p, const Shape& shape, Row& row);
  bool learn(Shape& shape, const char* p, std::uint64_t ends, std::uint64_t dots, unsigned length);
  std::size_t read_rows_avx2(const char* p, const char* limit, Row* out, std::size_t capacity,
                             const char*& next);
  std::size_t read_rows_avx512(const char* p, const char* limit, Row* out, std::size_t capacity,
                               const char*& next);

  Columns columns_;
  Isa isa_;
  Shape shapes_[64];  // by a hash of the key
};

}  // namespace placer::ingest::csv_vector
