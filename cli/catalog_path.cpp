#include "catalog_path.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace placer::cli {
namespace {

constexpr const char* k_default_catalog = "pricing/aws-us-east-1.json";

std::filesystem::path default_catalog() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path() / ".." / "share" / "placer" / "data" / k_default_catalog;
    if (std::filesystem::exists(installed, ec)) {
      return installed.lexically_normal();
    }
  }
  return std::filesystem::path{PLACER_SOURCE_DATA_DIR} / k_default_catalog;
}

}  // namespace

Result<PricingCatalog> load_catalog(const std::string& explicit_path) {
  if (!explicit_path.empty()) {
    return load_pricing_catalog(explicit_path);
  }
  if (const char* env = std::getenv("PLACER_CATALOG"); env != nullptr && *env != '\0') {
    return load_pricing_catalog(env);
  }
  return load_pricing_catalog(default_catalog());
}

}  // namespace placer::cli
