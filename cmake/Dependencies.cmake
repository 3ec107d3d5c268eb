# The only file that calls find_package. Every dependency is a Debian package;
# nothing is downloaded at build time (scripts/install-deps installs them).
find_package(Eigen3 3.4 CONFIG REQUIRED)          # Eigen3::Eigen
find_package(nlohmann_json 3.11 CONFIG REQUIRED)  # nlohmann_json::nlohmann_json
find_package(tl-expected 1.0 CONFIG REQUIRED)     # tl::expected
find_package(CLI11 2.1 CONFIG REQUIRED)           # CLI11::CLI11
find_package(ZLIB REQUIRED)                       # ZLIB::ZLIB: gzip input (zlib1g-dev)
find_package(Threads REQUIRED)                    # Threads::Threads: report --jobs, request logs read in parts
find_package(yaml-cpp 0.7 CONFIG REQUIRED)        # yaml-cpp: report manifests (libyaml-cpp-dev)

if(PLACER_BUILD_SERVER)
  find_package(httplib 0.11 CONFIG QUIET)         # bookworm ships no CMake package,
  if(NOT TARGET httplib::httplib)                 # only a pkg-config file
    find_package(PkgConfig REQUIRED)
    pkg_check_modules(CPPHTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib>=0.11)
    add_library(httplib::httplib ALIAS PkgConfig::CPPHTTPLIB)
  endif()
endif()

if(PLACER_BUILD_TESTS)
  find_package(GTest 1.12 CONFIG REQUIRED)        # GTest::gtest_main
  include(GoogleTest)
endif()

if(PLACER_BUILD_BENCH)
  find_package(benchmark CONFIG REQUIRED)         # benchmark::benchmark_main
endif()
