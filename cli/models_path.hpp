// Finds and loads the model parameters a command uses, with the user's overrides.
#pragma once

#include <string>
#include <vector>

#include "placer/models.hpp"

namespace placer::cli {

// From `explicit_dir` when given (--models); else $PLACER_MODELS; else the installed
// share/placer/models beside the binary; else the source tree's models/. Then applies
// every "NAME=VALUE" of `overrides` (--set) in order.
Result<ModelSet> load_model_set(const std::string& explicit_dir,
                                const std::vector<std::string>& overrides);

}  // namespace placer::cli
