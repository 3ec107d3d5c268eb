#include "csv_vector.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define PLACER_CSV_VECTOR 1
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 warns inside its own AVX-512 headers (their "undefined" pass-through operands).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
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

Isa best_isa() {
  static const Isa isa = [] {
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("bmi") ||
        !__builtin_cpu_supports("bmi2") || !__builtin_cpu_supports("popcnt")) {
      return Isa::none;
    }
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                   __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
                   __builtin_cpu_supports("avx512vbmi")
               ? Isa::avx512
               : Isa::avx2;
  }();
  return isa;
}

Reader::Reader(const Columns& columns, Isa isa) : columns_(columns), isa_(isa) {
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
  shape.numbers = 0;
  shape.number_bytes = 0;
  shape.text_starts = 0;
  shape.present = 0;
  shape.name_start = 0;
  shape.name_size = 0;
  std::fill(std::begin(shape.gather), std::end(shape.gather), std::uint8_t{0});
  shape.gather_keep = 0;
  std::fill(std::begin(shape.lane_divisors), std::end(shape.lane_divisors), 1.0);
  std::fill(std::begin(shape.field_lanes), std::end(shape.field_lanes), std::uint64_t{0});
  shape.field_keep = 0;
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
      if (const unsigned lane = shape.numbers - 1u; lane < 4) {
        // For the AVX-512 reader: lane `lane` of 16 bytes takes this number's digits from
        // the row, placed as the shuffle places them; its double goes to its field.
        for (unsigned i = 0; i < 16; ++i) {
          if (number.shuffle[i] != 0x80) {
            shape.gather[16 * lane + i] = static_cast<std::uint8_t>(start + number.shuffle[i]);
            shape.gather_keep |= std::uint64_t{1} << (16 * lane + i);
          }
        }
        shape.lane_divisors[lane] = number.divisor;
        shape.field_lanes[number.field] = lane;
        shape.field_keep = static_cast<std::uint8_t>(shape.field_keep | (1u << number.field));
      }
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

// The row of `shape` at `p`, all but its numbers, into `row`.
inline void Reader::take_fields(const char* p, const Shape& shape, Row& row) {
  row.start = p;
  row.present = shape.present;
  row.name = p + shape.name_start;
  row.name_size = shape.name_size;
}

// The numbers of a row of `shape` at `p`, one at a time, into `row`.
PLACER_VECTOR_TARGET inline void Reader::read_numbers(const char* p, const Shape& shape, Row& row) {
  for (unsigned i = 0; i < shape.numbers; ++i) {
    const Number& number = shape.number[i];
    const __m128i text = _mm_sub_epi8(load16(p + number.start), load16(k_zeros.bytes));
    const std::uint64_t mantissa = digits_value(_mm_shuffle_epi8(text, load16(number.shuffle)));
    // Integers (memory, status) skip the divider, which fractions keep busy.
    row.values[number.field] = number.fraction ? static_cast<double>(mantissa) / number.divisor
                                               : static_cast<double>(mantissa);
  }
}

// The shape of the row at `p`, whose first 64 bytes have these bits and whose "\n" is at
// `length` (below 64), learnt if it is new; nullptr for a row this reader does not take: a
// field too many or too few, a shape it does not read, or bytes the shape does not fix
// that do not fit it (digits where it has numbers, no quote opening a text field, the "\r"
// before the "\n" as it has it). The caller finds the "\n" itself, so that the next row's
// place does not wait for the shape.
[[gnu::always_inline]] PLACER_VECTOR_TARGET inline const Reader::Shape* Reader::shape_of(
    const char* p, Bits bits, unsigned length) {
  const std::uint64_t in_row = _bzhi_u64(~std::uint64_t{0}, length);
  const std::uint64_t ends = (bits.commas & in_row) | (std::uint64_t{1} << length);
  const std::uint64_t dots = bits.dots & in_row;
  Shape& shape = shapes_[((ends * 0x9E3779B97F4A7C15ull) ^ dots) * 0xC2B2AE3D27D4EB4Full >> 58];
  if ((shape.ends != ends || shape.dots != dots) &&
      (static_cast<std::size_t>(_mm_popcnt_u64(bits.commas & in_row)) != columns_.count - 1 ||
       !learn(shape, p, ends, dots, length))) {
    return nullptr;
  }
  if ((~bits.digits & shape.number_bytes) != shape.number_dots ||
      (bits.quotes & shape.text_starts) != 0 || (p[length - 1] == '\r') != shape.cr) {
    return nullptr;
  }
  return &shape;
}

std::size_t Reader::read_rows(const char* p, const char* limit, Row* out, std::size_t capacity,
                              const char*& next) {
  return isa_ == Isa::avx512 ? read_rows_avx512(p, limit, out, capacity, next)
         : isa_ == Isa::avx2 ? read_rows_avx2(p, limit, out, capacity, next)
                             : (next = p, std::size_t{0});
}

PLACER_VECTOR_TARGET std::size_t Reader::read_rows_avx2(const char* p, const char* const limit,
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
    const Shape* const found = shape_of(p, {commas, digits, dots, quotes}, length);
    if (found == nullptr) {
      break;
    }
    Row& row = out[rows];
    take_fields(p, *found, row);
    read_numbers(p, *found, row);
    ++rows;
    p += length + 1;
  }
  next = p;
  return rows;
}

#define PLACER_VECTOR512_TARGET \
  __attribute__((target("avx2,bmi,bmi2,popcnt,avx512f,avx512bw,avx512vl,avx512dq,avx512vbmi")))

// As read_rows_avx2, with the row's bits from one 64-byte register, and up to four numbers
// converted at once: one byte permutation gathers each number's digits from the row into a
// 16-byte lane, the multiply-adds run on all four lanes, and one division divides all four.
PLACER_VECTOR512_TARGET std::size_t Reader::read_rows_avx512(const char* p, const char* const limit,
                                                             Row* const out,
                                                             const std::size_t capacity,
                                                             const char*& next) {
  std::size_t rows = 0;
  __m512i newline = _mm512_set1_epi8('\n');
  __m512i comma = _mm512_set1_epi8(',');
  __m512i zero = _mm512_set1_epi8('0');
  __m512i nine = _mm512_set1_epi8(9);
  __m512i dot = _mm512_set1_epi8('.');
  __m512i quote = _mm512_set1_epi8('"');
  __m512i tens = _mm512_set1_epi16(0x010A);               // bytes 10, 1
  __m512i hundreds = _mm512_set1_epi32(0x00010064);       // words 100, 1
  __m512i ten_thousands = _mm512_set1_epi32(0x00012710);  // words 10000, 1
  __m512i hundred_millions = _mm512_set1_epi64(100000000);
  __m512i first_qwords = _mm512_setr_epi64(0, 2, 4, 6, 0, 2, 4, 6);
  asm("" : "+v"(newline), "+v"(comma), "+v"(zero), "+v"(nine), "+v"(dot), "+v"(quote));
  asm(""
      : "+v"(tens), "+v"(hundreds), "+v"(ten_thousands), "+v"(hundred_millions),
        "+v"(first_qwords));
  while (rows < capacity && p < limit) {
    const __m512i text = _mm512_loadu_si512(p);
    const __m512i digit_values = _mm512_sub_epi8(text, zero);
    const std::uint64_t newlines = _cvtmask64_u64(_mm512_cmpeq_epi8_mask(text, newline));
    const std::uint64_t commas = _cvtmask64_u64(_mm512_cmpeq_epi8_mask(text, comma));
    const std::uint64_t digits = _cvtmask64_u64(_mm512_cmple_epu8_mask(digit_values, nine));
    const std::uint64_t dots = _cvtmask64_u64(_mm512_cmpeq_epi8_mask(text, dot));
    const std::uint64_t quotes = _cvtmask64_u64(_mm512_cmpeq_epi8_mask(text, quote));
    const auto length = static_cast<unsigned>(_tzcnt_u64(newlines));  // 64: none
    if (length == 64) {
      break;
    }
    const Shape* const found = shape_of(p, {commas, digits, dots, quotes}, length);
    if (found == nullptr) {
      break;
    }
    const Shape& shape = *found;
    Row& row = out[rows];
    take_fields(p, shape, row);
    if (shape.numbers <= 4) {
      const __m512i placed = _mm512_maskz_permutexvar_epi8(
          _cvtu64_mask64(shape.gather_keep), _mm512_loadu_si512(shape.gather), digit_values);
      const __m512i pairs = _mm512_maddubs_epi16(placed, tens);
      const __m512i fours = _mm512_madd_epi16(pairs, hundreds);
      const __m512i eights = _mm512_madd_epi16(_mm512_packus_epi32(fours, fours), ten_thousands);
      // Per lane, its first 8 digit places times 10^8 plus its last 8: below 2^53.
      const __m512i mantissas = _mm512_add_epi64(_mm512_mul_epu32(eights, hundred_millions),
                                                 _mm512_srli_epi64(eights, 32));
      const __m256d values = _mm256_div_pd(_mm256_cvtepu64_pd(_mm512_castsi512_si256(
                                               _mm512_permutexvar_epi64(first_qwords, mantissas))),
                                           _mm256_loadu_pd(shape.lane_divisors));
      _mm512_storeu_pd(row.values,
                       _mm512_maskz_permutexvar_pd(_cvtu32_mask8(shape.field_keep),
                                                   _mm512_loadu_si512(shape.field_lanes),
                                                   _mm512_castpd256_pd512(values)));
    } else {
      read_numbers(p, shape, row);
    }
    ++rows;
    p += length + 1;
  }
  next = p;
  return rows;
}

#else  // no vector reader on this platform

Isa best_isa() { return Isa::none; }

Reader::Reader(const Columns& columns, Isa isa) : columns_(columns), isa_(isa) {}

std::size_t Reader::read_rows(const char* p, const char*, Row*, std::size_t, const char*& next) {
  next = p;
  return 0;
}

#endif

}  // namespace placer::ingest::csv_vector
