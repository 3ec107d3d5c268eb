#include "exit_codes.hpp"

#include <iostream>

namespace placer::cli {

int exit_code_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
      return k_exit_usage;
    case ErrorCode::parse:
      return k_exit_data;
    case ErrorCode::not_found:
      return k_exit_no_input;
    case ErrorCode::unsupported:
      return k_exit_unavailable;
    case ErrorCode::io:
      return k_exit_io;
    case ErrorCode::internal:
      return k_exit_software;
  }
  return k_exit_software;
}

int report(const Error& error) {
  std::cerr << "placer: error: " << describe(error) << '\n';
  return exit_code_for(error.code);
}

}  // namespace placer::cli
