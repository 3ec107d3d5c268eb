#include "models_path.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace placer::cli {
namespace {

std::filesystem::path default_models_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path() / ".." / "share" / "placer" / "models";
    if (std::filesystem::is_directory(installed, ec)) {
      return installed.lexically_normal();
    }
  }
  return std::filesystem::path{PLACER_SOURCE_MODELS_DIR};
}

}  // namespace

Result<ModelSet> load_model_set(const std::string& explicit_dir,
                                const std::vector<std::string>& overrides) {
  std::filesystem::path dir = explicit_dir;
  if (dir.empty()) {
    const char* env = std::getenv("PLACER_MODELS");
    dir = env != nullptr && *env != '\0' ? std::filesystem::path{env} : default_models_dir();
  }
  auto models = load_models(dir);
  if (!models) {
    return models;
  }
  for (const std::string& assignment : overrides) {
    if (auto ok = models->set(assignment); !ok) {
      Error error = ok.error();
      error.where = "--set " + assignment;
      return tl::unexpected(error);
    }
  }
  return models;
}

}  // namespace placer::cli
