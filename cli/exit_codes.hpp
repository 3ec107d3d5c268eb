// The CLI's exit codes (sysexits.h) and the one table that maps core errors onto them.
#pragma once

#include "placer/error.hpp"

namespace placer::cli {

enum ExitCode : int {
  k_exit_ok = 0,
  k_exit_gate_failed = 1,
  k_exit_usage = 64,        // EX_USAGE
  k_exit_data = 65,         // EX_DATAERR
  k_exit_no_input = 66,     // EX_NOINPUT
  k_exit_unavailable = 69,  // EX_UNAVAILABLE
  k_exit_software = 70,     // EX_SOFTWARE
  k_exit_io = 74,           // EX_IOERR
};

int exit_code_for(ErrorCode code);

// Prints "placer: error: <code>: <message> (<where>)" to stderr; returns its exit code.
int report(const Error& error);

}  // namespace placer::cli
