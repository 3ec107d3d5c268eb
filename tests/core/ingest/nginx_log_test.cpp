// The nginx access log parser ("nginx") on the filebeat test logs in
// tests/data/nginx_access_logs/ (origins in its SOURCES.md) and on broken variants, each with
// its exact error and location. Every expected value was read by hand from the fixture line
// named beside it; epoch seconds were computed with `date -u -d "<time>" +%s` (e.g.
// `date -u -d "2020-02-07 11:48:51Z" +%s` = 1581076131). Arrival = logged time - request_time.
#include "placer/ingest/nginx_log.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "ingest_test_util.hpp"

namespace placer::ingest {
namespace {

using test_util::Collect;
using test_util::write_temp;

std::string fixture(const std::string& name) {
  return std::string{PLACER_TESTS_DIR} + "/data/nginx_access_logs/" + name;
}

const std::string k_ingress = fixture("ingress-nginx-upstreaminfo.beats-test.log");
const std::string k_combined = fixture("nginx-combined.beats-test.log");

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in{path};
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

std::string with(std::string line, const std::string& from, const std::string& to) {
  auto at = line.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? line : line.replace(at, from.size(), to);
}

Result<IngestStats> read(const std::string& path, InvocationSink& sink,
                         BadRows bad = BadRows::fail, std::string_view log_format = {}) {
  return test_util::read_file(path, [&](LineReader& r) { return read_nginx_log(r, sink, bad, log_format); });
}

struct Expected {
  std::size_t line;  // 1-based, in the fixture
  double logged_s;   // $time_local in UTC
  double request_time_s;
  int status;
  const char* workload;
};

void expect_rows(const std::vector<Invocation>& rows, const std::vector<Expected>& expected) {
  for (const Expected& e : expected) {
    SCOPED_TRACE("line " + std::to_string(e.line));
    ASSERT_LT(e.line - 1, rows.size());
    const Invocation& inv = rows[e.line - 1];
    EXPECT_DOUBLE_EQ(inv.timestamp_s, e.logged_s - e.request_time_s);
    EXPECT_DOUBLE_EQ(inv.duration.count(), e.request_time_s * 1000);
    EXPECT_EQ(inv.status, e.status);
    EXPECT_EQ(inv.workload, e.workload);
  }
}

// Lines of ingress-nginx-upstreaminfo.beats-test.log: [$time_local], $status,
// $request_time (after $request_length), [$proxy_upstream_name].
const std::vector<Expected> k_ingress_expected = {
    {1, 1581076131, 0.001, 200, "default-web-8080"},   // 07/Feb/2020:11:48:51 +0000
    {3, 1581076170, 0.000, 200, "default-web-8080"},   // 11:49:30, DELETE
    {5, 1581076190, 0.000, 400, ""},                   // 11:49:50, "PATCHp", [] and "-"s
    {6, 1581076209, 0.000, 400, ""},                   // 11:50:09, "geti"
    {10, 1581076584, 0.002, 200, "default-web2-8080"}, // 11:56:24
    {23, 1581076962, 0.001, 200, "default-web2-8080"}, // 12:02:42, two upstreams, lists
    {25, 1661375057, 0.033, 200, "esmon-esmon-es-http-9200"},  // 24/Aug/2022:21:04:17, IPv6
    {26, 1661364341, 0.000, 502, "localhost-8080"},   // 24/Aug/2022:18:05:41, [v6]:5000 list
    {27, 1661364341, 0.000, 502, "localhost-8080"},   // malformed IPv6 upstream
    {28, 1581076614, 0.002, 200, "default-web-8080"},  // 11:56:54, unix: upstream
    {29, 1581076962, 0.001, 200, "default-web2-8080"}, // "0.100, -" and "200, -" lists
};

TEST(NginxLog, DetectsIngressNginxUpstreaminfo) {
  Collect rows;
  auto stats = read(k_ingress, rows);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 29u);
  EXPECT_EQ(stats->skipped_rows, 0u);
  expect_rows(rows.rows, k_ingress_expected);
}

TEST(NginxLog, ReadsIngressNginxWithItsLogFormatString) {
  Collect rows;
  auto stats = read(k_ingress, rows, BadRows::fail,
                    "$remote_addr - $remote_user [$time_local] \"$request\" $status "
                    "$body_bytes_sent \"$http_referer\" \"$http_user_agent\" $request_length "
                    "$request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] "
                    "$upstream_addr $upstream_response_length $upstream_response_time "
                    "$upstream_status $req_id");
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 29u);
  expect_rows(rows.rows, k_ingress_expected);
}

TEST(NginxLog, PlainCombinedHasNoLatencyAndSaysSo) {
  const std::string message =
      "no request_time after the combined fields, expected $request_time or rt=<seconds> at "
      "the end of the line (plain combined logs no latency)";
  Collect rows;
  auto stats = read(k_combined, rows);
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().code, ErrorCode::parse);
  EXPECT_EQ(stats.error().message, message);
  EXPECT_EQ(stats.error().where, k_combined + ":1");

  auto skipped = read(k_combined, rows, BadRows::skip);  // all 7 lines bad: still an error
  ASSERT_FALSE(skipped);
  EXPECT_EQ(skipped.error().message, "no valid line among 7, expected nginx access log lines "
                                     "(first: " + k_combined + ":1: " + message + ")");
  EXPECT_EQ(skipped.error().where, k_combined);
}

TEST(NginxLog, CombinedPlusRequestTimeNormalisesOffsetsToUtc) {
  // nginx-combined.beats-test.log with a request time appended to each line (derived input):
  // " 0.250" on lines 1-4, " rt=0.120 uct=0.000 urt=0.119" on lines 5-7.
  auto lines = lines_of(k_combined);
  ASSERT_EQ(lines.size(), 7u);
  std::string text;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    text += lines[i] + (i < 4 ? " 0.250\n" : " rt=0.120 uct=0.000 urt=0.119\n");
  }
  Collect rows;
  auto path = write_temp("combined_rt.log", text);
  auto stats = read(path, rows);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 7u);
  expect_rows(rows.rows,
              {
                  // `date -u -d "2016-12-07 11:05:07+01:00" +%s`; XFF list before " - - "
                  {1, 1481105107, 0.250, 200, ""},
                  {2, 1496084568, 0.250, 404, ""},  // 29/May/2017:19:02:48 +0000, trailing "-"
                  {3, 1481105107, 0.250, 200, ""},
                  {4, 1481105107, 0.250, 200, ""},
                  {5, 1453468709, 0.120, 200, ""},  // 22/Jan/2016:13:18:29 +0000, quoted XFF
                  {6, 1483080429, 0.120, 404, ""},  // 30/Dec/2016:06:47:09 +0000, IPv6 XFF
                  // `date -u -d "2018-04-12 09:48:40+02:00" +%s`; empty request "" with 400
                  {7, 1523519320, 0.120, 400, ""},
              });
}

TEST(NginxLog, CustomLogFormatWithIsoTimeAndUnknownVariables) {
  const char* format =
      "$remote_addr [${time_iso8601}] \"$request\" $status $request_time "
      "$upstream_response_time $geoip_country_code \"$http_user_agent\"";
  Collect rows;
  auto path = write_temp("custom.log",
                         "10.0.0.1 [2020-02-07T12:48:51+01:00] \"GET / HTTP/1.1\" 201 0.500 "
                         "0.100 : 0.350 DE \"curl/8\"\n"
                         "10.0.0.2 [2020-02-07T11:48:52+00:00] \"POST /x HTTP/1.1\" 503 1.5 - - "
                         "\"a \\x22quoted\\x22 agent\" extra\n");
  auto stats = read(path, rows, BadRows::fail, format);
  ASSERT_TRUE(stats) << describe(stats.error());
  ASSERT_EQ(rows.rows.size(), 2u);
  // `date -u -d "2020-02-07T12:48:51+01:00" +%s` = 1581076131
  EXPECT_DOUBLE_EQ(rows.rows[0].timestamp_s, 1581076131 - 0.5);
  EXPECT_DOUBLE_EQ(rows.rows[0].duration.count(), 500);
  EXPECT_EQ(rows.rows[0].status, 201);
  EXPECT_EQ(rows.rows[0].workload, "");
  EXPECT_DOUBLE_EQ(rows.rows[1].timestamp_s, 1581076132 - 1.5);
  EXPECT_EQ(rows.rows[1].status, 503);

  Collect msec;
  auto epoch = write_temp("msec.log", "1581076131.250 0.250 200\n");
  stats = read(epoch, msec, BadRows::fail, "$msec $request_time $status");
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_DOUBLE_EQ(msec.rows.at(0).timestamp_s, 1581076131.0);
}

TEST(NginxLog, RejectsUnusableLogFormats) {
  struct Case {
    const char* format;
    const char* message;
  };
  const Case cases[] = {
      {"$remote_addr [$time_local] \"$request\" $status",
       "log_format has no $request_time, expected the request's duration in the log"},
      {"$remote_addr $request_time $status",
       "log_format has no $time_local, $time_iso8601 or $msec, expected the request's time"},
      {"[$time_local] $request_time$status",
       "$request_time is directly followed by $status in log_format, expected text between "
       "variables"},
      {"[$time_local] ${request_time", "unterminated \"${\" in log_format, expected ${name}"},
  };
  auto path = write_temp("any.log", "x\n");
  for (const Case& c : cases) {
    SCOPED_TRACE(c.format);
    Collect rows;
    auto stats = read(path, rows, BadRows::fail, c.format);
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(stats.error().message, c.message);
    EXPECT_EQ(stats.error().where, "log_format");
  }
}

struct Broken {
  const char* name;
  std::string text;
  std::string message;
  std::string line;
};

TEST(NginxLog, BrokenInputsNameFileLineAndWhat) {
  auto lines = lines_of(k_ingress);
  const std::string good = lines[0] + "\n";  // line 1 decides: ingress-nginx upstreaminfo
  const std::string& l1 = lines[0];
  const Broken cases[] = {
      {"empty.log", "", "empty input, expected nginx access log lines", ""},
      {"truncated.log", good + l1.substr(0, l1.find(" 0.001 [")) + "\n",
       "line ends before $request_time", ":2"},
      {"quote.log", good + l1.substr(0, l1.find("7.54.0")) + "\n",
       "no '\" ' after $http_user_agent, found \"curl/\"", ":2"},
      {"type.log", good + with(l1, " 0.001 [", " abc [") + "\n",
       "bad request_time \"abc\", expected seconds as a non-negative number", ":2"},
      {"nan.log", good + with(l1, " 0.001 [", " NaN [") + "\n",
       "bad request_time \"NaN\", expected seconds as a non-negative number", ":2"},
      {"negative.log", good + with(l1, " 0.001 [", " -0.001 [") + "\n",
       "bad request_time \"-0.001\", expected seconds as a non-negative number", ":2"},
      {"nooffset.log", good + with(l1, ":11:48:51 +0000]", ":11:48:51]") + "\n",
       "bad time_local \"07/Feb/2020:11:48:51\", expected dd/Mon/yyyy:HH:MM:SS with an offset "
       "like 07/Feb/2020:11:48:51 +0000",
       ":2"},
      {"month.log", good + with(l1, "07/Feb/2020", "07/Fbr/2020") + "\n",
       "bad time_local \"07/Fbr/2020:11:48:51 +0000\", expected dd/Mon/yyyy:HH:MM:SS with an "
       "offset like 07/Feb/2020:11:48:51 +0000",
       ":2"},
      {"status.log", good + with(l1, "\" 200 59 ", "\" 2OO 59 ") + "\n",
       "bad status \"2OO\", expected an HTTP status code (a whole number 100-999)", ":2"},
      {"literal.log", good + with(l1, "[default-web-8080] []", "default-web-8080 []") + "\n",
       // $request_time runs to the next " [", so the missing "[" shows up one field later.
       "no '] [' after $proxy_upstream_name, found \"] 172.17.0.5:8080 59 0.000 200 "
       "529a00790...\"",
       ":2"},
      {"binary.log", std::string("\x7f" "ELF\x02\x01\x01\x00\x00\x00\n\x03\x00>\x00", 15),
       "no ' - ' after $remote_addr, found \"?ELF??????\"", ":1"},
  };
  for (const Broken& c : cases) {
    SCOPED_TRACE(c.name);
    Collect rows;
    auto path = write_temp(c.name, c.text);
    auto stats = read(path, rows);
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().code, ErrorCode::parse);
    EXPECT_EQ(stats.error().message, c.message);
    EXPECT_EQ(stats.error().where, path + c.line);
  }
}

TEST(NginxLog, SkipModeCountsBadLines) {
  // The 29 fixture lines, then one with a NaN request time and one truncated.
  auto lines = lines_of(k_ingress);
  std::string text;
  for (const std::string& line : lines) {
    text += line + "\n";
  }
  text += with(lines[0], " 0.001 [", " NaN [") + "\n" + lines[1].substr(0, 30) + "\n";
  Collect rows;
  auto path = write_temp("skip.log", text);
  auto stats = read(path, rows, BadRows::skip);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 29u);
  EXPECT_EQ(stats->skipped_rows, 2u);
  EXPECT_EQ(stats->first_skipped,
            path + ":30: bad request_time \"NaN\", expected seconds as a non-negative number");
}

}  // namespace
}  // namespace placer::ingest
