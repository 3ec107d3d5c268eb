#include "csv_vector.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define PLACER_CSV_VECTOR 1
#include <immintrin.h>
#endif

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

namespace placer::ingest::csv_vector {

#if PLACER_CSV_VECTOR

namespace {

// Per number length (0-16 bytes) and dot position (16: none), the shuffle that drops the
// dot and moves the digits to the end of a 16-byte lane (zeros before them), and the power
// of ten the digits are divided by (1 without a dot: an exact division).
struct NumberShapes {
  alignas(16) std::uint8_t shuffles[17][17][16];
  double divisors[17][17];
};

constexpr NumberShapes make_number_shapes() {
  NumberShapes shapes{};
  for (int length = 0; length <= 16; ++length) {
    for (int dot = 0; dot <= 16; ++dot) {
      std::uint8_t* shuffle = shapes.shuffles[length][dot];
      for (int i = 0; i < 16; ++i) {
        shuffle[i] = 0x80;  // a zero
      }
      int digits = 0;
      for (int i = 0; i < length; ++i) {
        digits += i != dot ? 1 : 0;
      }
      int to = 16 - digits;
      for (int i = 0; i < length; ++i) {
        if (i != dot) {
          shuffle[to++] = static_cast<std::uint8_t>(i);
        }
      }
      double divisor = 1;
      for (int i = dot + 1; dot < 16 && i < length; ++i) {
        divisor *= 10;  // exact: at most 10^15
      }
      shapes.divisors[length][dot] = divisor;
    }
  }
  return shapes;
}

constexpr NumberShapes k_shapes = make_number_shapes();

template <std::uint8_t Byte>
struct alignas(32) Splat {
  std::uint8_t bytes[32];
  constexpr Splat() : bytes{} {
    for (auto& b : bytes) {
      b = Byte;
    }
  }
};

constexpr Splat<'\n'> k_newlines;
constexpr Splat<','> k_commas;
constexpr Splat<'0'> k_zeros;
constexpr Splat<9> k_nines;
constexpr Splat<'.'> k_dots;
constexpr Splat<'"'> k_quotes;

struct alignas(16) Weights {
  std::uint8_t tens[16];           // bytes 10, 1: two digits into a 16-bit number
  std::uint16_t hundreds[8];       // 100, 1: four digits into 32 bits
  std::uint16_t ten_thousands[8];  // 10000, 1: eight digits into 32 bits
};

constexpr Weights k_weights = {{10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1},
                               {100, 1, 100, 1, 100, 1, 100, 1},
                               {10000, 1, 10000, 1, 10000, 1, 10000, 1}};

#define PLACER_VECTOR_TARGET __attribute__((target("avx2,bmi,bmi2,popcnt")))

PLACER_VECTOR_TARGET inline __m128i load16(const void* p) {
  return _mm_loadu_si128(static_cast<const __m128i*>(p));
}

PLACER_VECTOR_TARGET inline __m256i load32(const void* p) {
  return _mm256_load_si256(static_cast<const __m256i*>(p));
}

// The 64 bits of two 32-byte compares.
PLACER_VECTOR_TARGET inline std::uint64_t bits_of(__m256i low, __m256i high) {
  const auto lo = static_cast<std::uint32_t>(_mm256_movemask_epi8(low));
  const auto hi = static_cast<std::uint32_t>(_mm256_movemask_epi8(high));
  return lo | (std::uint64_t{hi} << 32);
}

// The digits `placed` (one per byte, as numbers 0-9, the last in byte 15, zeros before),
// as an integer: below 10^16, and below 2^53 for the at most 15 digits read here.
PLACER_VECTOR_TARGET inline std::uint64_t digits_value(__m128i placed) {
  const __m128i pairs = _mm_maddubs_epi16(placed, load16(k_weights.tens));
  const __m128i fours = _mm_madd_epi16(pairs, load16(k_weights.hundreds));
  const __m128i eights =
      _mm_madd_epi16(_mm_packus_epi32(fours, fours), load16(k_weights.ten_thousands));
  const auto both = static_cast<std::uint64_t>(_mm_cvtsi128_si64(eights));
  return (both & 0xFFFFFFFFu) * 100000000u + (both >> 32);  // the first 8 places, then the last 8
}

}  // namespace

bool available() {
  static const bool cpu = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
                          __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
  return cpu;
}

Reader::Reader(const Columns& columns) : columns_(columns) {
  for (Shape& shape : shapes_) {
    shape.ends = ~std::uint64_t{0};  // no row's: it would have more columns than k_max
  }
}

// The shape of a row whose separators (commas and the "\n" at `length`) are `ends` and
// whose dots are `dots`, into `shape`; false when a row of that shape is not one this
// reader takes whatever its other bytes (a number of more than 16 bytes or 15 digits, or
// with a dot first, last or twice). `p` is such a row: only whether it ends in "\r\n" is
// read from it, and the shape holds that too.
bool Reader::learn(Shape& shape, const char* p, std::uint64_t ends, std::uint64_t dots,
                   unsigned length) {
  shape.ends = ~std::uint64_t{0};
  shape.cr = length != 0 && p[length - 1] == '\r';
  std::uint64_t field_ends =
      (ends & ~(std::uint64_t{1} << length)) | (std::uint64_t{1} << (length - (shape.cr ? 1 : 0)));
  shape.length = static_cast<std::uint8_t>(length);
  shape.numbers = 0;
  shape.number_bytes = 0;
  shape.text_starts = 0;
  shape.present = 0;
  shape.name_start = 0;
  shape.name_size = 0;
  unsigned start = 0;
  for (std::size_t column = 0; column < columns_.count; ++column) {
    const auto stop = static_cast<unsigned>(std::countr_zero(field_ends));
    field_ends &= field_ends - 1;
    const unsigned size = stop - start;
    const std::uint64_t bytes = size == 0 ? 0 : ((~std::uint64_t{0} >> (64 - size)) << start);
    if (columns_.kinds[column] != Column::number) {
      shape.text_starts |= size != 0 ? std::uint64_t{1} << start : 0;
      if (columns_.kinds[column] == Column::name) {
        shape.name_start = static_cast<std::uint8_t>(start);
        shape.name_size = static_cast<std::uint8_t>(size);
      }
    } else if (size != 0) {
      const std::uint64_t dot_bits = (dots & bytes) >> start;
      const bool has_dot = dot_bits != 0;
      if ((dot_bits & (dot_bits - 1)) != 0 || (dot_bits & 1) != 0 ||
          (dot_bits >> (size - 1)) != 0 || size - (has_dot ? 1 : 0) > 15) {
        return false;
      }
      const unsigned dot = has_dot ? static_cast<unsigned>(std::countr_zero(dot_bits)) : 16;
      Number& number = shape.number[shape.numbers++];
      number.start = static_cast<std::uint8_t>(start);
      number.field = columns_.fields[column];
      number.fraction = has_dot;
      number.shuffle = k_shapes.shuffles[size][dot];
      number.divisor = k_shapes.divisors[size][dot];
      shape.number_bytes |= bytes;
      shape.present |= 1u << number.field;
    }
    start = stop + 1;
  }
  shape.number_dots = dots & shape.number_bytes;
  shape.dots = dots;
  shape.ends = ends;
  return true;
}

PLACER_VECTOR_TARGET std::size_t Reader::read_rows(const char* p, const char* const limit,
                                                   Row* const out, const std::size_t capacity,
                                                   const char*& next) {
  std::size_t rows = 0;
  __m256i newline = load32(k_newlines.bytes);
  __m256i comma = load32(k_commas.bytes);
  __m256i zero = load32(k_zeros.bytes);
  __m256i nine = load32(k_nines.bytes);
  __m256i dot = load32(k_dots.bytes);
  __m256i quote = load32(k_quotes.bytes);
  // Opaque to the compiler, so that it keeps them rather than building them again per row.
  asm("" : "+x"(newline), "+x"(comma), "+x"(zero), "+x"(nine), "+x"(dot), "+x"(quote));
  const std::size_t separators = columns_.count - 1;
  while (rows < capacity && p < limit) {
    // The row's first 64 bytes, as bits: newlines, commas, digits, dots, quotes.
    const __m256i low = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i high = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
    const std::uint64_t newlines =
        bits_of(_mm256_cmpeq_epi8(low, newline), _mm256_cmpeq_epi8(high, newline));
    const std::uint64_t commas =
        bits_of(_mm256_cmpeq_epi8(low, comma), _mm256_cmpeq_epi8(high, comma));
    const __m256i low_digits = _mm256_sub_epi8(low, zero);
    const __m256i high_digits = _mm256_sub_epi8(high, zero);
    const std::uint64_t digits =
        bits_of(_mm256_cmpeq_epi8(_mm256_min_epu8(low_digits, nine), low_digits),
                _mm256_cmpeq_epi8(_mm256_min_epu8(high_digits, nine), high_digits));
    const std::uint64_t dots = bits_of(_mm256_cmpeq_epi8(low, dot), _mm256_cmpeq_epi8(high, dot));
    const std::uint64_t quotes =
        bits_of(_mm256_cmpeq_epi8(low, quote), _mm256_cmpeq_epi8(high, quote));
    const auto length = static_cast<unsigned>(_tzcnt_u64(newlines));  // 64: none
    if (length == 64) {
      break;
    }
    const std::uint64_t in_row = _bzhi_u64(~std::uint64_t{0}, length);
    const std::uint64_t ends = (commas & in_row) | (std::uint64_t{1} << length);
    const std::uint64_t row_dots = dots & in_row;
    Shape& shape =
        shapes_[((ends * 0x9E3779B97F4A7C15ull) ^ row_dots) * 0xC2B2AE3D27D4EB4Full >> 58];
    if ((shape.ends != ends || shape.dots != row_dots) &&
        (static_cast<std::size_t>(_mm_popcnt_u64(commas & in_row)) != separators ||
         !learn(shape, p, ends, row_dots, length))) {
      break;
    }
    // The bytes the shape does not fix: digits where it has numbers, no quote opening a
    // text field, and the "\r" before the "\n" as it has it.
    if ((~digits & shape.number_bytes) != shape.number_dots || (quotes & shape.text_starts) != 0 ||
        (p[length - 1] == '\r') != shape.cr) {
      break;
    }
    Row& row = out[rows];
    row.start = p;
    for (unsigned i = 0; i < shape.numbers; ++i) {
      const Number& number = shape.number[i];
      const __m128i text = _mm_sub_epi8(load16(p + number.start), _mm256_castsi256_si128(zero));
      const std::uint64_t mantissa = digits_value(_mm_shuffle_epi8(text, load16(number.shuffle)));
      // Integers (memory, status) skip the divider, which fractions keep busy.
      row.values[number.field] = number.fraction ? static_cast<double>(mantissa) / number.divisor
                                                 : static_cast<double>(mantissa);
    }
    row.present = shape.present;
    row.name = p + shape.name_start;
    row.name_size = shape.name_size;
    ++rows;
    p += length + 1;
  }
  next = p;
  return rows;
}

#else  // no vector reader on this platform

bool available() { return false; }

Reader::Reader(const Columns& columns) : columns_(columns) {}

std::size_t Reader::read_rows(const char* p, const char*, Row*, std::size_t, const char*& next) {
  next = p;
  return 0;
}

#endif

}  // namespace placer::ingest::csv_vector
