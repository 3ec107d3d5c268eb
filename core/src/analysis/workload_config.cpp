#include "placer/analysis/workload_config.hpp"

#include <set>

#include "workload_config_reader.hpp"

namespace placer::analysis {
namespace {

using detail::InputError;
using detail::JsonReader;

double percent(const JsonReader& node) {
  const double v = node.non_negative();
  if (v >= 100) {
    node.fail("expected a percentage below 100");
  }
  return v;
}

}  // namespace
}  // namespace placer::analysis

namespace placer::detail {

analysis::WorkloadConfig read_workload_config(const JsonReader& root) {
  using namespace analysis;
  root.only_keys({"name", "runtime", "package", "package_mib", "memory_mib", "cpu_bound_share",
                   "concurrency_per_pod", "pod_cpu_millicores", "slo", "current",
                   "existing_cluster", "allowed", "discounts", "set"});
  WorkloadConfig out;
  WorkloadAttributes& a = out.attributes;
  if (auto v = root.find("name")) {
    out.name = v->string();
  }
  if (auto v = root.find("runtime")) {
    a.runtime = v->string();
  }
  if (auto v = root.find("package")) {
    const std::string p = v->string();
    if (p != "zip" && p != "image") {
      v->fail("expected \"zip\" or \"image\", found \"" + p + "\"");
    }
    a.container_image = p == "image";
  }
  if (auto v = root.find("package_mib")) {
    a.package_mib = v->non_negative();
  }
  if (auto v = root.find("memory_mib")) {
    a.memory_mib = v->positive();
  }
  if (auto v = root.find("cpu_bound_share")) {
    const double share = v->non_negative();
    if (share > 1) {
      v->fail("expected a share between 0 and 1");
    }
    a.cpu_bound_share = share;
  }
  if (auto v = root.find("concurrency_per_pod")) {
    const int n = v->count();
    if (n < 1) {
      v->fail("expected at least 1");
    }
    a.concurrency_per_pod = n;
  }
  if (auto v = root.find("pod_cpu_millicores")) {
    a.pod_cpu_millicores = v->positive();
  }
  if (auto slo = root.find("slo")) {
    slo->only_keys({"p99_ms", "p95_ms", "p50_ms"});
    if (auto v = slo->find("p99_ms")) {
      a.slo_p99_ms = v->positive();
    }
    if (auto v = slo->find("p95_ms")) {
      a.slo_p95_ms = v->positive();
    }
    if (auto v = slo->find("p50_ms")) {
      a.slo_p50_ms = v->positive();
    }
  }
  auto platform = [](const JsonReader& node) {
    auto p = parse_platform(node.string());
    if (!p) {
      node.fail(p.error().message);
    }
    return *p;
  };
  if (auto v = root.find("current")) {
    a.current = platform(*v);
  }
  if (auto v = root.find("existing_cluster")) {
    a.existing_cluster = v->boolean();
  }
  if (auto v = root.find("allowed")) {
    for (const JsonReader& p : v->elements()) {
      a.allowed.push_back(platform(p));
    }
    if (a.allowed.empty()) {
      v->fail("expected at least one platform");
    }
  }
  if (auto d = root.find("discounts")) {
    d->only_keys({"lambda_pct", "ec2_pct", "fargate_pct"});
    if (auto v = d->find("lambda_pct")) {
      a.lambda_discount_pct = percent(*v);
    }
    if (auto v = d->find("ec2_pct")) {
      a.ec2_discount_pct = percent(*v);
    }
    if (auto v = d->find("fargate_pct")) {
      a.fargate_discount_pct = percent(*v);
    }
  }
  if (auto set = root.find("set")) {
    set->find("");  // throws unless an object
    for (const auto& [key, value] : set->node().items()) {
      (void)value;
      out.set.emplace_back(key, set->at(key).number());
    }
  }
  return out;
}

}  // namespace placer::detail

namespace placer::analysis {

Result<WorkloadConfig> parse_workload_config(std::string_view json_text, std::string_view origin) {
  auto document = detail::parse_json(json_text, origin);
  if (!document) {
    return tl::unexpected(document.error());
  }
  try {
    return detail::read_workload_config(JsonReader{*document, "$", origin});
  } catch (const InputError& e) {
    return tl::unexpected(e.error);
  }
}

Result<WorkloadConfig> load_workload_config(const std::string& path) {
  auto text = detail::read_small_file(path, 1u << 20, "workload config");
  if (!text) {
    return tl::unexpected(text.error());
  }
  return parse_workload_config(*text, path);
}

}  // namespace placer::analysis
