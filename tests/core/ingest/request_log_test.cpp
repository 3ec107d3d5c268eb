// The request-log parser on the bundled sample (derived from the Azure Functions 2021
// trace; expected values computed from the original CSV independently of placer) and on
// broken inputs, each with its exact error and location.
#include "placer/ingest/request_log.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <bit>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/text.hpp"
#include "ingest_test_util.hpp"
#include "placer/trace_summary.hpp"

namespace placer::ingest {
namespace {

using test_util::Collect;
using test_util::write_temp;

Result<IngestStats> read(const std::string& path, InvocationSink& sink, BadRows bad = BadRows::fail) {
  return test_util::read_file(path, [&](LineReader& r) { return read_request_log(r, sink, bad); });
}

TEST(RequestLog, ReadsTheBundledAzureSample) {
  TraceSummarizer summary;
  auto stats = read(std::string{PLACER_SOURCE_DATA_DIR} + "/traces/azure2021-sample.csv", summary);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 199u);  // rows of azure2021_invitro_199rows.csv
  auto workloads = summary.finish();
  EXPECT_EQ(workloads.size(), 31u);  // distinct app/func pairs
  auto it = std::find_if(workloads.begin(), workloads.end(),
                         [](const TraceSummary& s) { return s.workload == "734272c0/556ccf87"; });
  ASSERT_NE(it, workloads.end());
  EXPECT_EQ(it->requests, 32u);
  // Nearest-rank percentiles of the original durations (s x 1000), within 1%.
  EXPECT_NEAR(it->duration_ms.p50, 303445.0, 303445.0 * 0.01);
  EXPECT_NEAR(it->duration_ms.p99, 404987.0, 404987.0 * 0.01);
  EXPECT_DOUBLE_EQ(it->duration_ms.min, 1955.0);
  EXPECT_DOUBLE_EQ(it->duration_ms.max, 404987.0);
  EXPECT_NEAR(it->duration_ms.mean, 256309.4375, 1e-6);
}

TEST(RequestLog, CsvColumnsInAnyOrderWithOptionalFields) {
  Collect rows;
  auto path = write_temp("order.csv",
                         "status,duration_ms,extra,timestamp,memory_mib,init_duration_ms\n"
                         "200,12.5,x,2021-01-31T00:00:00Z,512,\n"
                         "500,\"7\",\"a,b\",1612051201.5,,250\n");
  auto stats = read(path, rows);
  ASSERT_TRUE(stats) << describe(stats.error());
  ASSERT_EQ(rows.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(rows.rows[0].timestamp_s, 1612051200.0);
  EXPECT_DOUBLE_EQ(rows.rows[0].duration.count(), 12.5);
  EXPECT_DOUBLE_EQ(rows.rows[0].memory->value(), 512);
  EXPECT_FALSE(rows.rows[0].init_duration);
  EXPECT_EQ(*rows.rows[1].status, 500);
  EXPECT_FALSE(rows.rows[1].memory);  // empty means unknown, not zero
  EXPECT_DOUBLE_EQ(rows.rows[1].init_duration->count(), 250);
}

TEST(RequestLog, ReadsJsonLines) {
  Collect rows;
  auto path = write_temp("rows.jsonl",
                         "{\"timestamp\": 1612051200.25, \"duration_ms\": 3, \"workload\": \"api\"}\n"
                         "\n"
                         "{\"timestamp\": \"2021-01-31T00:00:01Z\", \"duration_ms\": \"4.5\", "
                         "\"unknown\": [1]}\r\n");
  auto stats = read(path, rows);
  ASSERT_TRUE(stats) << describe(stats.error());
  ASSERT_EQ(rows.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(rows.rows[0].timestamp_s, 1612051200.25);
  EXPECT_EQ(rows.rows[0].workload, "api");
  EXPECT_DOUBLE_EQ(rows.rows[1].duration.count(), 4.5);
}

struct Broken {
  const char* name;
  const char* text;
  const char* message;
  const char* line;
};

TEST(RequestLog, BrokenInputsNameFileLineAndWhat) {
  const Broken cases[] = {
      {"empty.csv", "", "empty input, expected a CSV header or JSON Lines", ""},
      {"noheader.csv", "1,2\n",
       "header has no \"timestamp\" column, expected a CSV header with "
       "timestamp and duration_ms, found \"1,2\"",
       ":1"},
      {"nan.csv", "timestamp,duration_ms\n1,NaN\n",
       "bad duration_ms \"NaN\", expected a non-negative number", ":2"},
      {"negative.csv", "timestamp,duration_ms\n1,5\n2,-3\n",
       "bad duration_ms \"-3\", expected a non-negative number", ":3"},
      {"fields.csv", "timestamp,duration_ms\n1,5,9\n",
       "row has 3 fields, expected 2 as in the header", ":2"},
      {"field.csv", "timestamp,duration_ms\n1,5\n\x01garbage\n",
       "row has 1 field, expected 2 as in the header", ":3"},
      {"time.csv", "timestamp,duration_ms\n2021-01-31T00:00:00,5\n",
       "bad timestamp \"2021-01-31T00:00:00\", expected epoch seconds or RFC 3339 with an offset",
       ":2"},
      {"trunc.jsonl", "{\"timestamp\": 1, \"duration_ms\": 2}\n{\"timestamp\": 1, \"dura",
       "malformed JSON line", ":2"},
      {"type.jsonl", "{\"timestamp\": 1, \"duration_ms\": true}\n",
       "bad duration_ms: expected a number or a string, found boolean", ":1"},
      // Found by fuzz_request_log: a timestamp beyond any calendar.
      {"far.csv", "timestamp,duration_ms\n370370370370370370370370370,1\n",
       "timestamp \"370370370370370370370370370\" out of range, expected a time between 1970 and "
       "9999",
       ":2"},
      // Found by fuzz_request_log: durations past 2^40 ms summed in parts differed from one
      // pass in the last bit; they are unit mistakes (2^40 ms is 34.8 years).
      {"years.csv", "timestamp,duration_ms\n1,1099511627775.9\n2,1099511627776\n",
       "duration_ms \"1099511627776\" out of range, expected less than 2^40 ms (35 years)", ":3"},
      {"years.jsonl", "{\"timestamp\": 1, \"duration_ms\": 2, \"init_duration_ms\": 1.5e12}\n",
       "init_duration_ms \"1500000000000\" out of range, expected less than 2^40 ms (35 years)",
       ":1"},
      {"exbibyte.csv", "timestamp,duration_ms,memory_mib\n1,2,1e13\n",
       "memory_mib \"1e13\" out of range, expected less than 2^40 MiB", ":2"},
      {"overflow.jsonl", "{\"timestamp\": 1, \"duration_ms\": 1e999999}\n", "malformed JSON line",
       ":1"},
      {"binary.csv",
       "\x7f"
       "ELF\x02\x01\x01\x00\x00\x00\n\x03\x00>\x00",
       "header has no \"timestamp\" column, expected a CSV header with timestamp and duration_ms, "
       "found \"?ELF??????\"",
       ":1"},
  };
  for (const Broken& c : cases) {
    SCOPED_TRACE(c.name);
    Collect rows;
    std::string text{c.text, std::char_traits<char>::length(c.text)};
    if (std::string{c.name} == "binary.csv") {
      text = std::string("\x7f" "ELF\x02\x01\x01\x00\x00\x00\n\x03\x00>\x00", 15);
    }
    auto path = write_temp(c.name, text);
    auto stats = read(path, rows);
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().code, ErrorCode::parse);
    EXPECT_EQ(stats.error().message, c.message);
    EXPECT_EQ(stats.error().where, path + c.line);
  }
}

TEST(RequestLog, SkipModeCountsBadRows) {
  Collect rows;
  auto path = write_temp("skip.csv", "timestamp,duration_ms\n1,5\nx,5\n3,-1\n4,6\n");
  auto stats = read(path, rows, BadRows::skip);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->rows, 2u);
  EXPECT_EQ(stats->skipped_rows, 2u);
  EXPECT_EQ(stats->first_skipped,
            path + ":3: bad timestamp \"x\", expected epoch seconds or RFC 3339 with an offset");
}

TEST(RequestLog, RejectsALineLongerThanOneMebibyte) {
  Collect rows;
  auto path = write_temp("long.csv", "timestamp,duration_ms\n" + std::string(10u << 20, '9') + "\n");
  auto stats = read(path, rows);
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().message, "line longer than 1 MiB");
  EXPECT_EQ(stats.error().where, path + ":2");
}

// The first row's result: "ok <timestamp bits> <duration bits> <memory> <status> <workload>"
// or "error <message>".
std::string first_row(const std::string& name, const std::string& text) {
  Collect rows;
  auto path = write_temp(name, text);
  auto stats = read(path, rows);
  if (!stats) {
    return "error " + stats.error().message;
  }
  if (rows.rows.empty()) {
    return "no rows";
  }
  const Invocation& r = rows.rows[0];
  return "ok " + std::to_string(std::bit_cast<std::uint64_t>(r.timestamp_s)) + " " +
         std::to_string(std::bit_cast<std::uint64_t>(r.duration.count())) + " " +
         (r.memory ? std::to_string(r.memory->value()) : "-") + " " +
         (r.status ? std::to_string(*r.status) : "-") + " " + r.workload;
}

TEST(RequestLog, NumbersReadBitForBitAsFromChars) {
  // Plain decimals take a fast path; the rest go to std::from_chars. Either way a field
  // reads as from_chars reads it (after spaces and a leading "+").
  const char* numbers[] = {"0", "0.0", "-0", "-0.0", "1", "1.5", "+2.25", " 3.75 ", "007.50",
                           "0.1", "0.30000000000000004", "123456789012345", "12345678901234.5",
                           "1234567890123456", "9007199254740993", "0.0000000000000000000001",
                           "0.00000000000000000000001", "1e3", "1E-2", "2.5e+1", "+1e2",
                           "179769313486231570000000000000000000000000", "1e308",
                           "98765.4321098765432109876"};
  for (const char* number : numbers) {
    SCOPED_TRACE(number);
    std::string_view text{number};
    while (text.front() == ' ') {
      text.remove_prefix(1);
    }
    while (text.back() == ' ') {
      text.remove_suffix(1);
    }
    if (text.front() == '+') {
      text.remove_prefix(1);
    }
    double expected = 0;
    std::from_chars(text.data(), text.data() + text.size(), expected);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(text::parse_number(text).value_or(-1)),
              std::bit_cast<std::uint64_t>(expected));
    Collect rows;
    auto path = write_temp("number.csv", std::string{"timestamp,duration_ms\n1700000000.125,"} +
                                             number + "\n");
    auto stats = read(path, rows);
    if (expected >= k_request_value_limit) {  // 2^40 ms: read, then refused
      ASSERT_FALSE(stats);
      EXPECT_TRUE(
          stats.error().message.starts_with("duration_ms \"" + std::string{number}.substr(0, 20)));
      EXPECT_TRUE(stats.error().message.ends_with(
          "\" out of range, expected less than 2^40 ms (35 years)"));
      continue;
    }
    ASSERT_TRUE(stats) << describe(stats.error());
    ASSERT_EQ(rows.rows.size(), 1u);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(rows.rows[0].duration.count()),
              std::bit_cast<std::uint64_t>(expected));
  }
  const char* timestamps[] = {"1700000000", "1700000000.005", "1700000000.123456",
                              "1700000000.1234567", "1700000000.12345678901234567", "0",
                              "0.5"};
  for (const char* timestamp : timestamps) {
    SCOPED_TRACE(timestamp);
    double expected = 0;
    std::from_chars(timestamp, timestamp + std::char_traits<char>::length(timestamp), expected);
    Collect rows;
    auto path = write_temp("time.csv", std::string{"timestamp,duration_ms\n"} + timestamp + ",1\n");
    auto stats = read(path, rows);
    ASSERT_TRUE(stats) << describe(stats.error());
    ASSERT_EQ(rows.rows.size(), 1u);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(rows.rows[0].timestamp_s),
              std::bit_cast<std::uint64_t>(expected));
  }
  EXPECT_EQ(first_row("exp.csv", "timestamp,duration_ms\n1.7e9,1\n"),
            "error bad timestamp \"1.7e9\", expected epoch seconds or RFC 3339 with an offset");
  EXPECT_EQ(first_row("neg.csv", "timestamp,duration_ms\n1,-1.5\n"),
            "error bad duration_ms \"-1.5\", expected a non-negative number");
  EXPECT_EQ(first_row("huge.csv", "timestamp,duration_ms\n1,1e400\n"),
            "error bad duration_ms \"1e400\", expected a non-negative number");
  EXPECT_EQ(first_row("dots.csv", "timestamp,duration_ms\n1,1.2.3\n"),
            "error bad duration_ms \"1.2.3\", expected a non-negative number");
  EXPECT_EQ(first_row("plusminus.csv", "timestamp,duration_ms\n1,+-2\n"),
            "error bad duration_ms \"+-2\", expected a non-negative number");
}

TEST(RequestLog, NumbersOfEveryLengthReadAsFromChars) {
  // Every split of up to 17 digits around a point, in the middle of a row (read eight bytes
  // at a time) and at its end (byte by byte), against std::from_chars.
  std::vector<std::string> numbers;
  std::uint64_t seed = 12345;
  for (int integer = 1; integer <= 17; ++integer) {
    for (int fraction = 0; integer + fraction <= 17; ++fraction) {
      std::string n;
      for (int d = 0; d < integer + fraction; ++d) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        n += static_cast<char>('0' + (seed >> 60) % 10);
        if (d + 1 == integer && fraction > 0) {
          n += '.';
        }
      }
      numbers.push_back(n);
    }
  }
  std::string text = "duration_ms,timestamp,init_duration_ms\n";
  for (const std::string& n : numbers) {
    text += n + ",1," + n + "\n";
  }
  // Durations of 2^40 ms or more are bad rows: skipped, and the rest read.
  Collect rows;
  auto path = write_temp("lengths.csv", text);
  auto stats = read(path, rows, BadRows::skip);
  ASSERT_TRUE(stats) << describe(stats.error());
  std::vector<std::string> kept;
  for (const std::string& n : numbers) {
    double value = 0;
    std::from_chars(n.data(), n.data() + n.size(), value);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(text::parse_number(n).value_or(-1)),
              std::bit_cast<std::uint64_t>(value));
    if (value < k_request_value_limit) {
      kept.push_back(n);
    }
  }
  EXPECT_EQ(stats->skipped_rows, numbers.size() - kept.size());
  numbers = kept;
  ASSERT_EQ(rows.rows.size(), numbers.size());
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    SCOPED_TRACE(numbers[i]);
    double expected = 0;
    std::from_chars(numbers[i].data(), numbers[i].data() + numbers[i].size(), expected);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(rows.rows[i].duration.count()),
              std::bit_cast<std::uint64_t>(expected));
    ASSERT_TRUE(rows.rows[i].init_duration);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(rows.rows[i].init_duration->count()),
              std::bit_cast<std::uint64_t>(expected));
  }
}

TEST(RequestLog, JsonFastPathAgreesWithTheSaxParser) {
  // Rows of flat objects are scanned without nlohmann; anything unusual falls back to its
  // SAX parser. An escaped key (placer ignores it) forces the SAX path, so each row must
  // read the same, or fail with the same message, with and without it.
  const std::string rows[] = {
      R"({"timestamp":1700000000.005,"duration_ms":80.19,"memory_mib":256,"workload":"svc-1","status":200})",
      R"({ "timestamp" : 1 , "duration_ms" : 2 })",
      "{\t\"timestamp\":1,\"duration_ms\":2}\t",
      R"({"timestamp":1,"duration_ms":-0})",
      R"({"timestamp":1,"duration_ms":-0.0})",
      R"({"timestamp":1,"duration_ms":0})",
      R"({"timestamp":1,"duration_ms":1.50})",
      R"({"timestamp":1,"duration_ms":1e2})",
      R"({"timestamp":1,"duration_ms":1E+2})",
      R"({"timestamp":1,"duration_ms":2.5e-1})",
      R"({"timestamp":1.7e9,"duration_ms":1})",
      R"({"timestamp":1,"duration_ms":-1})",
      R"({"timestamp":1,"duration_ms":01})",
      R"({"timestamp":1,"duration_ms":1.})",
      R"({"timestamp":1,"duration_ms":.5})",
      R"({"timestamp":1,"duration_ms":+5})",
      R"({"timestamp":1,"duration_ms":123456789012345678})",
      R"({"timestamp":1,"duration_ms":1234567890123456789})",
      R"({"timestamp":1,"duration_ms":123456789012345678901234567890})",
      R"({"timestamp":1,"duration_ms":100000000000000000000000000000000000000000000000000.5})",
      R"({"timestamp":1,"duration_ms":1e999})",
      R"({"timestamp":1,"duration_ms":"4.5"})",
      R"({"timestamp":"2021-01-31T00:00:01Z","duration_ms":"+4.5"})",
      R"({"timestamp":1,"duration_ms":2,"workload":"a\"b"})",
      R"({"timestamp":1,"duration_ms":2,"workload":"tab\tnewline\n\u00e9\ud83d\ude00"})",
      "{\"timestamp\":1,\"duration_ms\":2,\"workload\":\"caf\xc3\xa9\"}",
      "{\"timestamp\":1,\"duration_ms\":2,\"workload\":\"bad \xff utf-8\"}",
      "{\"timestamp\":1,\"duration_ms\":2,\"workload\":\"control \x01\"}",
      R"({"timestamp":1,"duration_ms":"\u0034"})",
      R"({"timestamp":1,"duration_ms":2,"memory_mib":null})",
      R"({"timestamp":1,"duration_ms":2,"memory_mib":128,"memory_mib":null})",
      R"({"timestamp":1,"duration_ms":2,"status":500,"status":201})",
      R"({"timestamp":1,"duration_ms":true})",
      R"({"timestamp":1,"duration_ms":null})",
      R"({"timestamp":1,"duration_ms":[1]})",
      R"({"timestamp":1,"duration_ms":{}})",
      R"({"timestamp":1,"duration_ms":2,"other":true,"more":false,"none":null,"n":-3.5e3})",
      R"({"timestamp":1,"duration_ms":2,"nested":{"duration_ms":9,"a":[1,{"b":2}]}})",
      R"({"timestamp":1,"duration_ms":2,"status":tru})",
      R"({"timestamp":1,"duration_ms":2,"x":nul})",
      R"({"timestamp":1,"duration_ms":2})x)",
      R"({"timestamp":1,"duration_ms":2}})",
      R"({"timestamp":1,"duration_ms":2,})",
      R"({"timestamp":1 "duration_ms":2})",
      R"({"timestamp":1,"duration_ms":2)",
      R"({"timestamp":1,"duration_ms":)",
      R"({"timestamp":1,"duration_ms")",
      R"({"timestamp":1,"duration_ms":2,"workload":"open)",
      R"({})",
      R"({"duration_ms":2})",
      R"({"timestamp":1,"duration_ms":2,"status":1.5})",
      R"({"timestamp":1,"duration_ms":2,"status":-0})",
      R"({"timestamp":1,"duration_ms":2,"status":1000})",
  };
  for (const std::string& line : rows) {
    SCOPED_TRACE(line);
    std::string sax = line;
    sax.insert(sax.find('{') + 1, line == "{}" ? R"("\u0078":0)" : R"("\u0078":0,)");
    const std::string fast = first_row("fast.jsonl", line + "\n");
    EXPECT_EQ(fast, first_row("sax.jsonl", sax + "\n"));
    // The same row ended by CRLF, and as a last line without a newline.
    EXPECT_EQ(fast, first_row("crlf.jsonl", line + "\r\n"));
    EXPECT_EQ(fast, first_row("last.jsonl", line));
  }
  // A few results spelled out, so that agreement is not agreement in error.
  EXPECT_EQ(first_row("one.jsonl", rows[0]),
            "ok " + std::to_string(std::bit_cast<std::uint64_t>(1700000000.005)) + " " +
                std::to_string(std::bit_cast<std::uint64_t>(80.19)) + " 256.000000 200 svc-1");
  EXPECT_TRUE(first_row("esc.jsonl", rows[23]).ends_with(" a\"b"));
  EXPECT_EQ(first_row("bool.jsonl", rows[32]),
            "error bad duration_ms: expected a number or a string, found boolean");
  EXPECT_EQ(first_row("trail.jsonl", rows[40]), "error malformed JSON line");
}

TEST(RequestLog, CsvFastPathAgreesWithTheGeneralReader) {
  // Plain rows are read in one pass; a quoted field sends a row to the general reader. So
  // each row must read the same, or fail with the same message, with its last field quoted.
  const std::string header = "timestamp,duration_ms,memory_mib,status,init_duration_ms,workload,x";
  const std::string rows[] = {
      "1700000000.005,80.19,256,200,,svc-1,",
      "1700000000,1,128,500,250.5,a-long-workload-name-of-40-characters-xx,",
      "1,2,,,,,",
      "0,0,0.5,0,0,,",
      "1,2.50,1024.0,200.0,0.0,w,",
      "253402300799,1,1,999,1,w,",
      "253402300800,1,1,999,1,w,",
      "1,2,0,200,,w,",
      "1,2,128,1000,,w,",
      "1,2,128,200.5,,w,",
      "1,2,128,-0,,w,",
      "1,-0,128,200,,w,",
      "1,-2,128,200,,w,",
      "-1,2,128,200,,w,",
      "1,+2,128,200,,w,",
      "1, 2,128,200,,w,",
      "1,2 ,128,200,,w,",
      "1,1e3,128,200,,w,",
      "1,1.,128,200,,w,",
      "1,.5,128,200,,w,",
      "1,1234567890123456,128,200,,w,",
      "1,0.1234567890123456,128,200,,w,",
      "1.7e9,2,128,200,,w,",
      "2021-01-31T00:00:01Z,2,128,200,,w,",
      ",2,128,200,,w,",
      "1,,128,200,,w,",
      "1,2,128,200,,w",
      "1,2,128,200,,w,,",
      "1,2x,128,200,,w,",
      "1,2,128,200,,\"quoted, workload\",",
      "1,2,128,200,,w\"x,",
      "1,nan,128,200,,w,",
      "1,1099511627775.9,128,200,1099511627775,w,",
      "1,1099511627776,128,200,,w,",
      "1,2,1099511627776,200,,w,",
      "1,2,128,200,1099511627776,w,",
  };
  for (const std::string& row : rows) {
    SCOPED_TRACE(row);
    const std::string fast = first_row("fast.csv", header + "\n" + row + "\n");
    // The general reader: the last field quoted (an empty one becomes "").
    std::string general = row;
    const std::size_t last = general.rfind(',');
    general.insert(last + 1, "\"");
    general += "\"";
    EXPECT_EQ(fast, first_row("general.csv", header + "\n" + general + "\n"));
    EXPECT_EQ(fast, first_row("crlf.csv", header + "\r\n" + row + "\r\n"));
    EXPECT_EQ(fast, first_row("last.csv", header + "\n" + row));
  }
  EXPECT_EQ(first_row("one.csv", header + "\n" + rows[0] + "\n"),
            "ok " + std::to_string(std::bit_cast<std::uint64_t>(1700000000.005)) + " " +
                std::to_string(std::bit_cast<std::uint64_t>(80.19)) + " 256.000000 200 svc-1");
  EXPECT_EQ(first_row("range.csv", header + "\n" + rows[6] + "\n"),
            "error timestamp \"253402300800\" out of range, expected a time between 1970 and 9999");
}

TEST(RequestLog, CsvCrlfLinesAndALastLineWithoutNewline) {
  Collect rows;
  auto path = write_temp("crlf.csv", "timestamp,duration_ms,workload\r\n1,2.5,a\r\n2,+3e1,b\r\n3,4,c");
  auto stats = read(path, rows);
  ASSERT_TRUE(stats) << describe(stats.error());
  ASSERT_EQ(rows.rows.size(), 3u);
  EXPECT_DOUBLE_EQ(rows.rows[0].duration.count(), 2.5);
  EXPECT_EQ(rows.rows[0].workload, "a");
  EXPECT_DOUBLE_EQ(rows.rows[1].duration.count(), 30);
  EXPECT_EQ(rows.rows[1].workload, "b");
  EXPECT_DOUBLE_EQ(rows.rows[2].duration.count(), 4);
  EXPECT_EQ(rows.rows[2].workload, "c");
}

TEST(RequestLog, MissingFileIsNotFound) {
  auto reader = LineReader::open("/nonexistent/requests.csv");
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace placer::ingest
