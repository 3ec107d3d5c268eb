// Format names and detection from the first lines.
#include "placer/ingest/format.hpp"

#include <gtest/gtest.h>

#include <string>

#include "ingest_test_util.hpp"

namespace placer::ingest {
namespace {

using test_util::write_temp;

TEST(DetectFormat, RecognisesEachFormatByItsFirstLine) {
  const std::pair<std::string, Format> cases[] = {
      {"timestamp,duration_ms\n1,2\n", Format::requests},
      {"REPORT RequestId: 1 Duration: 2.00 ms Billed Duration: 2 ms Memory Size: 128 MB Max "
       "Memory Used: 20 MB\n",
       Format::lambda_report},
      {"{\"Label\": \"Invocations\", \"Datapoints\": []}\n", Format::cloudwatch},
      {"HashOwner,HashApp,HashFunction,Trigger,1\n", Format::azure2019},
      {"app,func,end_timestamp,duration\n", Format::azure2021},
      {"h2 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 x\n", Format::alb},
      {"10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 2326 0.004\n",
       Format::nginx},
  };
  int i = 0;
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    auto path = write_temp("detect" + std::to_string(i++), text);
    auto format = detect_format(path);
    ASSERT_TRUE(format) << describe(format.error());
    EXPECT_EQ(*format, expected);
  }
}

TEST(DetectFormat, LongAndBinaryLinesAreRefusedNotCrashedOn) {
  // A 60 KB line shaped almost like nginx and ALB: the matcher must not recurse per byte.
  std::string line = "h2 2018-07-02T22:23:00.1" + std::string(60000, '1') + " - [" +
                     std::string(100, '-') + "\n";
  auto format = detect_format(write_temp("long", line));
  ASSERT_FALSE(format);
  EXPECT_EQ(format.error().code, ErrorCode::parse);
  std::string binary(60000, '\x01');
  format = detect_format(write_temp("binary", binary));
  ASSERT_FALSE(format);
  EXPECT_EQ(format.error().code, ErrorCode::parse);
}

TEST(ParseFormat, NamesRoundTripAndPlannedFormatsAreUnsupported) {
  for (Format f : {Format::requests, Format::lambda_report, Format::cloudwatch, Format::azure2019,
                   Format::azure2021, Format::alb, Format::nginx}) {
    EXPECT_EQ(*parse_format(to_string(f)), f);
  }
  EXPECT_EQ(parse_format("prometheus").error().code, ErrorCode::unsupported);
  EXPECT_EQ(parse_format("csv").error().code, ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace placer::ingest
