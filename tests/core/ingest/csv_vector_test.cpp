// The vector CSV reader (csv_vector.cpp) against independent references: every number it
// reads is the double std::from_chars reads from the same text (the C++ library's correctly
// rounded conversion), bit for bit, for every length and dot place it takes; it declines
// exactly the rows text::read_unsigned_decimal and the scalar reader decline; and rows of
// many shapes (more than its cache holds) read the same as rows of one. Both readers, AVX2
// and AVX-512, where the CPU runs them (elsewhere the scalar reader, tested everywhere,
// reads every row).
#include "ingest/csv_vector.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace placer::ingest::csv_vector {
namespace {

constexpr std::uint8_t k_timestamp = 0, k_duration = 1, k_memory = 2, k_status = 4, k_init = 5;

// timestamp,duration_ms,memory_mib,workload,status
Columns five_columns() {
  Columns columns;
  columns.count = 5;
  const Column kinds[] = {Column::number, Column::number, Column::number, Column::name,
                          Column::number};
  const std::uint8_t fields[] = {k_timestamp, k_duration, k_memory, 3, k_status};
  for (std::size_t i = 0; i < 5; ++i) {
    columns.kinds[i] = kinds[i];
    columns.fields[i] = fields[i];
  }
  return columns;
}

// Rows read from `text`, kept padded so that every row may be read (names point into it),
// and where reading stopped.
struct Read {
  std::string text;
  std::vector<Row> rows;
  std::size_t stopped_at = 0;
};

Read read_all(Reader& reader, const std::string& text) {
  Read out;
  out.text = text + std::string(k_reach, '\0');
  const char* p = out.text.data();
  const char* const limit = out.text.data() + text.size();
  for (;;) {
    Row batch[16];
    const char* next = p;
    const std::size_t n = reader.read_rows(p, limit, batch, 16, next);
    out.rows.insert(out.rows.end(), batch, batch + n);
    p = next;
    if (n < 16) {
      break;
    }
  }
  out.stopped_at = static_cast<std::size_t>(p - out.text.data());
  return out;
}

double from_chars(const std::string& text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  EXPECT_EQ(ec, std::errc{});
  EXPECT_EQ(end, text.data() + text.size());
  return value;
}

// Each test for the AVX2 reader and the AVX-512 one, where this CPU runs it.
class CsvVector : public ::testing::TestWithParam<Isa> {
 protected:
  void SetUp() override {
    if (static_cast<int>(best_isa()) < static_cast<int>(GetParam())) {
      GTEST_SKIP() << "this CPU does not run this vector reader; the others read its rows";
    }
  }
  Reader reader() const { return Reader{five_columns(), GetParam()}; }
};

std::string isa_name(const ::testing::TestParamInfo<Isa>& isa) {
  return isa.param == Isa::avx2 ? "avx2" : "avx512";
}

}  // namespace

// How GoogleTest prints a parameter (found by argument-dependent lookup).
void PrintTo(Isa isa, std::ostream* out) {
  *out << (isa == Isa::none ? "none" : isa == Isa::avx2 ? "avx2" : "avx512");
}

namespace {

INSTANTIATE_TEST_SUITE_P(Isas, CsvVector, ::testing::Values(Isa::avx2, Isa::avx512), isa_name);

TEST_P(CsvVector, NumbersOfEveryLengthAndDotPlaceMatchFromChars) {
  // Every length of 1 to 15 digits, with no dot or a dot after each of 1 to n-1 digits, 200
  // random digit strings each (leading zeros included): 21,200 numbers as durations.
  std::mt19937_64 random(20261204);
  std::string text;
  std::vector<std::string> durations;
  for (int digits = 1; digits <= 15; ++digits) {
    for (int dot = 0; dot < digits; ++dot) {  // 0: none
      for (int k = 0; k < 200; ++k) {
        std::string number;
        for (int i = 0; i < digits; ++i) {
          number += static_cast<char>('0' + random() % 10);
          if (dot != 0 && i + 1 == dot) {
            number += '.';
          }
        }
        durations.push_back(number);
        text += "1700000000.5," + number + ",128,w,200\n";
      }
    }
  }
  Reader reader = this->reader();
  const Read read = read_all(reader, text);
  ASSERT_EQ(read.rows.size(), durations.size());
  EXPECT_EQ(read.stopped_at, text.size());
  for (std::size_t i = 0; i < durations.size(); ++i) {
    ASSERT_EQ(std::bit_cast<std::uint64_t>(read.rows[i].values[k_duration]),
              std::bit_cast<std::uint64_t>(from_chars(durations[i])))
        << durations[i];
  }
  EXPECT_EQ(read.rows[0].values[k_timestamp], 1700000000.5);
  EXPECT_EQ(read.rows[0].values[k_memory], 128);
  EXPECT_EQ(read.rows[0].values[k_status], 200);
  EXPECT_EQ(std::string(read.rows[0].name, read.rows[0].name_size), "w");
}

TEST_P(CsvVector, FieldsRowStartsAndEmptyFields) {
  Reader reader = this->reader();
  const std::string text =
      "1700000000.125,12.5,256,svc-a,503\n"
      "1700000001,0.001,,,\n"
      "1700000002.5,7,,svc-b,\r\n";
  const Read read = read_all(reader, text);
  ASSERT_EQ(read.rows.size(), 3u);
  EXPECT_EQ(read.rows[0].values[k_timestamp], 1700000000.125);
  EXPECT_EQ(read.rows[0].values[k_duration], 12.5);
  EXPECT_EQ(read.rows[0].values[k_memory], 256);
  EXPECT_EQ(read.rows[0].values[k_status], 503);
  EXPECT_EQ(read.rows[0].present, 0b10111u);
  EXPECT_EQ(std::string(read.rows[0].name, read.rows[0].name_size), "svc-a");
  EXPECT_EQ(read.rows[1].values[k_duration], 0.001);
  EXPECT_EQ(read.rows[1].present, 0b00011u);  // empty memory and status: absent
  EXPECT_EQ(read.rows[1].name_size, 0u);
  EXPECT_EQ(read.rows[2].present, 0b00011u);  // the "\r" dropped: the status is empty
  EXPECT_EQ(std::string(read.rows[2].name, read.rows[2].name_size), "svc-b");
  EXPECT_EQ(read.rows[1].start - read.rows[0].start, 34);
  EXPECT_EQ(read.rows[2].start - read.rows[1].start, 20);
}

TEST_P(CsvVector, DeclinesWhatTheScalarReaderDeclines) {
  // Each bad row after a good one of the same shape where it can have one (so that a cached
  // shape must not let it through): the reader stops at its first byte.
  const char* const bad_rows[] = {
      "1700000000.5,1.2.3,128,w,200\n",              // two dots
      "1700000000.5,.5,128,w,200\n",                 // a dot first
      "1700000000.5,5.,128,w,200\n",                 // a dot last
      "1700000000.5,1234567890123456,128,w,200\n",   // 16 digits
      "1700000000.5,12345678901234.56,128,w,200\n",  // 16 digits and a dot
      "1700000000.5,-5,128,w,200\n",                 // a sign
      "1700000000.5,+5,128,w,200\n",
      "1700000000.5,1e3,128,w,200\n",     // an exponent
      "1700000000.5,12 ,128,w,200\n",     // a space
      "1700000000.5,12,128,\"w\",200\n",  // a quoted field
      "1700000000.5,12,128,w,200,9\n",    // a field too many
      "1700000000.5,12,128,w\n",          // one too few
      "1700000000.5,12,128,w,20\r0\n",    // a "\r" inside a number
      "1700000000.5,12,128,w,200\r\r\n",  // a "\r" left in the status
      "1700000000.5,12,128,wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww,200\n",  // 64 bytes
  };
  for (const char* bad : bad_rows) {
    SCOPED_TRACE(bad);
    std::string good = bad;
    // The same shape with digits for the bad bytes, where that makes a good row.
    for (char& c : good) {
      if (c == '-' || c == '+' || c == 'e' || c == ' ' || c == '"') {
        c = '7';
      }
    }
    Reader reader = this->reader();
    const std::string first = "1700000000.5,12,128,w,200\n";
    const Read read = read_all(reader, first + first + bad + first);
    EXPECT_EQ(read.rows.size(), 2u);
    EXPECT_EQ(read.stopped_at, 2 * first.size());
    Reader fresh = this->reader();
    if (good != bad) {
      const Read after_good = read_all(fresh, good + bad);
      EXPECT_EQ(after_good.rows.size(), 1u) << good;
    }
  }
  // A quote inside a name (not opening it) is the name's, as in the scalar reader.
  Reader reader = this->reader();
  const Read read = read_all(reader, "1,2,3,a\"b,4\n");
  ASSERT_EQ(read.rows.size(), 1u);
  EXPECT_EQ(std::string(read.rows[0].name, read.rows[0].name_size), "a\"b");
}

TEST_P(CsvVector, RowsOfManyShapesReadAsRowsOfOne) {
  // 5,000 rows of random lengths (about 900 shapes, more than the 64 kept), each checked
  // against from_chars; then the same rows again, now mostly from the cache.
  std::mt19937_64 random(7);
  std::string text;
  std::vector<std::string> timestamps, durations;
  const auto digits = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) {
      s += static_cast<char>('0' + random() % 10);
    }
    return s;
  };
  for (int i = 0; i < 5000; ++i) {
    std::string t = "17" + digits(8) + "." + digits(1 + static_cast<int>(random() % 5));
    std::string d = digits(1 + static_cast<int>(random() % 5));
    if (random() % 2 == 0) {
      d += "." + digits(1 + static_cast<int>(random() % 4));
    }
    timestamps.push_back(t);
    durations.push_back(d);
    text += t + "," + d + "," + digits(1 + static_cast<int>(random() % 4)) + ",w" +
            digits(static_cast<int>(random() % 3)) + ",200\n";
  }
  Reader reader = this->reader();
  const Read read = read_all(reader, text + text);
  ASSERT_EQ(read.rows.size(), 10000u);
  for (std::size_t i = 0; i < 10000; ++i) {
    ASSERT_EQ(read.rows[i].values[k_timestamp], from_chars(timestamps[i % 5000])) << i;
    ASSERT_EQ(read.rows[i].values[k_duration], from_chars(durations[i % 5000])) << i;
  }
}

TEST_P(CsvVector, EveryFieldInAnyColumnOrder) {
  // Two layouts, each field's numbers checked against from_chars: all five number fields
  // (the AVX-512 reader converts four at once, so five go one at a time), and four numbers
  // in another order around a column placer does not read. 3,000 random rows each.
  struct Layout {
    std::vector<Column> kinds;
    std::vector<std::uint8_t> fields;  // per column; for skip and name, unused
  };
  const Layout layouts[] = {
      {{Column::name, Column::number, Column::number, Column::number, Column::number,
        Column::number},
       {3, k_status, k_init, k_duration, k_memory, k_timestamp}},
      {{Column::number, Column::skip, Column::number, Column::name, Column::number, Column::number},
       {k_init, 0, k_duration, 3, k_timestamp, k_memory}},
  };
  std::mt19937_64 random(20261207);
  const auto digits = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) {
      s += static_cast<char>('0' + random() % 10);
    }
    return s;
  };
  const auto number = [&] {  // 1-5 digits, then a fraction of 1-3 digits half the time
    std::string s = digits(1 + static_cast<int>(random() % 5));
    return random() % 2 == 0 ? s : s + "." + digits(1 + static_cast<int>(random() % 3));
  };
  for (const Layout& layout : layouts) {
    Columns columns;
    columns.count = layout.kinds.size();
    for (std::size_t c = 0; c < columns.count; ++c) {
      columns.kinds[c] = layout.kinds[c];
      columns.fields[c] = layout.fields[c];
    }
    std::string text;
    std::vector<std::vector<std::string>> expected;  // per row, per column
    for (int i = 0; i < 3000; ++i) {
      std::vector<std::string> row;
      for (std::size_t c = 0; c < columns.count; ++c) {
        const bool timestamp = layout.kinds[c] == Column::number && layout.fields[c] == k_timestamp;
        row.push_back(layout.kinds[c] == Column::name   ? "w" + digits(1)
                      : layout.kinds[c] == Column::skip ? "x" + digits(2)
                      : timestamp                       ? "17" + digits(8) + "." + digits(3)
                                                        : number());
        text += (c == 0 ? "" : ",") + row.back();
      }
      text += "\n";
      expected.push_back(std::move(row));
    }
    Reader reader{columns, GetParam()};
    const Read read = read_all(reader, text);
    ASSERT_EQ(read.rows.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      std::uint32_t present = 0;
      for (std::size_t c = 0; c < columns.count; ++c) {
        if (layout.kinds[c] == Column::number) {
          ASSERT_EQ(read.rows[i].values[layout.fields[c]], from_chars(expected[i][c]))
              << "row " << i << ", column " << c;
          present |= 1u << layout.fields[c];
        } else if (layout.kinds[c] == Column::name) {
          ASSERT_EQ(std::string(read.rows[i].name, read.rows[i].name_size), expected[i][c]);
        }
      }
      ASSERT_EQ(read.rows[i].present, present);
    }
  }
}

TEST_P(CsvVector, StopsAtTheLimitAndTheCapacity) {
  Reader reader = this->reader();
  std::string text;
  for (int i = 0; i < 10; ++i) {
    text += "1,2,3,w,200\n";  // 12 bytes
  }
  text.append(k_reach, '\0');
  Row rows[4];
  const char* next = nullptr;
  EXPECT_EQ(reader.read_rows(text.data(), text.data() + 25, rows, 4, next),
            3u);  // rows at 0, 12, 24
  EXPECT_EQ(next, text.data() + 36);
  EXPECT_EQ(reader.read_rows(text.data(), text.data() + 120, rows, 4, next), 4u);
  EXPECT_EQ(next, text.data() + 48);
}

}  // namespace
}  // namespace placer::ingest::csv_vector
