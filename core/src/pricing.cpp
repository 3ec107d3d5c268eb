#include "placer/pricing.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "json_reader.hpp"

namespace placer {
namespace {

using detail::InputError;
using detail::JsonReader;

constexpr double k_unbounded = std::numeric_limits<double>::infinity();

// "2026-11-24": four digits, dash, two digits, dash, two digits.
bool is_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return false;
  }
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
  }
  return true;
}

class CatalogReader {
 public:
  explicit CatalogReader(std::map<std::string, std::string> sources)
      : sources_(std::move(sources)) {}

  Provenance provenance(const JsonReader& node) const {
    Provenance out;
    JsonReader source = node.at("source");
    out.source = source.string();
    if (!sources_.contains(out.source)) {
      source.fail("unknown source \"" + out.source + "\", expected an id listed in $.sources");
    }
    JsonReader date = node.at("retrieved_on");
    out.retrieved_on = date.string();
    if (!is_iso_date(out.retrieved_on)) {
      date.fail("expected a date YYYY-MM-DD, found \"" + out.retrieved_on + "\"");
    }
    return out;
  }

  template <typename Rate>
  Price<Rate> price(const JsonReader& node, std::string_view key) const {
    return Price<Rate>{Rate{node.at(key).non_negative()}, provenance(node)};
  }

 private:
  std::map<std::string, std::string> sources_;
};

LambdaArchPrices read_lambda_arch(const CatalogReader& cr, const JsonReader& node) {
  LambdaArchPrices out;
  double previous = 0;
  auto tiers = node.at("duration_tiers").elements();
  if (tiers.empty()) {
    node.at("duration_tiers").fail("expected at least one duration tier");
  }
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    const JsonReader& tier = tiers[i];
    DurationTier t;
    t.rate = UsdPerGibSecond{tier.at("usd_per_gib_second").non_negative()};
    t.provenance = cr.provenance(tier);
    auto bound = tier.find("up_to_gib_seconds");
    bool last = i + 1 == tiers.size();
    if (last) {
      if (bound) {
        bound->fail("the last tier must be unbounded (null)");
      }
      t.up_to = GibSeconds{k_unbounded};
    } else {
      if (!bound) {
        tier.at("up_to_gib_seconds");  // throws: missing
      }
      double value = bound->positive();
      if (value <= previous) {
        bound->fail("tiers must ascend, found a bound not above the previous tier's");
      }
      previous = value;
      t.up_to = GibSeconds{value};
    }
    out.duration_tiers.push_back(std::move(t));
  }
  out.provisioned_concurrency =
      cr.price<UsdPerGibSecond>(node.at("provisioned_concurrency"), "usd_per_gib_second");
  out.provisioned_duration =
      cr.price<UsdPerGibSecond>(node.at("provisioned_duration"), "usd_per_gib_second");
  return out;
}

void reject_unknown_architectures(const JsonReader& node) {
  node.find("");  // throws unless an object
  for (const auto& [key, value] : node.node().items()) {
    (void)value;
    if (key != "x86_64" && key != "arm64") {
      node.at(key).fail("unknown architecture \"" + key + "\", expected x86_64 or arm64");
    }
  }
}

LambdaPrices read_lambda(const CatalogReader& cr, const JsonReader& node) {
  LambdaPrices out;
  out.request = cr.price<UsdPerRequest>(node.at("requests"), "usd_per_request");
  out.duration_increment = Millis{node.at("duration_increment_ms").positive()};
  out.provisioned_increment = Seconds{node.at("provisioned_increment_s").positive()};
  JsonReader archs = node.at("architectures");
  reject_unknown_architectures(archs);
  out.x86_64 = read_lambda_arch(cr, archs.at("x86_64"));
  out.arm64 = read_lambda_arch(cr, archs.at("arm64"));
  JsonReader storage = node.at("ephemeral_storage");
  out.ephemeral_storage = cr.price<UsdPerGibSecond>(storage, "usd_per_gib_second");
  out.ephemeral_storage_included = MiB{storage.at("included_mib").non_negative()};
  JsonReader free = node.at("free_tier");
  out.free_tier.requests = Requests{free.at("requests").non_negative()};
  out.free_tier.duration = GibSeconds{free.at("gib_seconds").non_negative()};
  out.free_tier.provenance = cr.provenance(free);
  JsonReader limits = node.at("limits");
  JsonReader memory = limits.at("memory_mib");
  out.memory_min = MiB{memory.at("min").positive()};
  out.memory_max = MiB{memory.at("max").positive()};
  if (out.memory_max < out.memory_min) {
    memory.at("max").fail("must not be below min");
  }
  out.ephemeral_storage_max = MiB{limits.at("ephemeral_storage_mib").at("max").positive()};
  cr.provenance(limits);
  return out;
}

NodeReservation read_node_reservation(const CatalogReader& cr, const JsonReader& node) {
  NodeReservation out;
  JsonReader memory = node.at("kube_reserved_memory");
  out.memory_per_pod = MiB{memory.at("mib_per_pod").non_negative()};
  out.memory_base = MiB{memory.at("base_mib").non_negative()};
  JsonReader bands = node.at("kube_reserved_cpu");
  auto elements = bands.elements();
  if (elements.empty()) {
    bands.fail("expected at least one CPU reservation band");
  }
  double previous = 0;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    CpuReservationBand band;
    band.fraction = elements[i].at("fraction").non_negative();
    if (band.fraction > 1) {
      elements[i].at("fraction").fail("a fraction must be at most 1");
    }
    auto bound = elements[i].find("cores_up_to");
    if (i + 1 == elements.size()) {
      if (bound) {
        bound->fail("the last band must be unbounded (null)");
      }
      band.cores_up_to = k_unbounded;
    } else {
      double value = elements[i].at("cores_up_to").positive();
      if (value <= previous) {
        elements[i].at("cores_up_to").fail("bands must ascend");
      }
      previous = value;
      band.cores_up_to = value;
    }
    out.cpu_bands.push_back(band);
  }
  out.eviction_memory = MiB{node.at("eviction_memory_mib").non_negative()};
  out.vm_memory_overhead_fraction = node.at("vm_memory_overhead_fraction").non_negative();
  if (out.vm_memory_overhead_fraction >= 1) {
    node.at("vm_memory_overhead_fraction").fail("a fraction must be below 1");
  }
  out.arm64_reserved_memory = MiB{node.at("arm64_reserved_memory_mib").non_negative()};
  out.default_max_pods = node.at("default_max_pods").count();
  out.provenance = cr.provenance(node);
  return out;
}

FargateArchPrices read_fargate_arch(const CatalogReader& cr, const JsonReader& node) {
  FargateArchPrices out;
  out.vcpu = cr.price<UsdPerVcpuHour>(node.at("vcpu"), "usd_per_vcpu_hour");
  out.memory = cr.price<UsdPerGibHour>(node.at("memory"), "usd_per_gib_hour");
  out.available_on_eks = node.at("available_on_eks").boolean();
  return out;
}

std::vector<FargateSize> read_fargate_sizes(const JsonReader& node) {
  std::vector<FargateSize> out;
  for (const JsonReader& entry : node.elements()) {
    Millicores cpu{entry.at("vcpu").positive() * k_millicores_per_vcpu};
    JsonReader memory = entry.at("memory_gib");
    if (memory.node().is_array()) {
      for (const JsonReader& gb : memory.elements()) {
        out.push_back({cpu, to_mib_from_aws_gb(gb.positive())});
      }
    } else {
      double min = memory.at("min").positive();
      double max = memory.at("max").positive();
      double step = memory.at("step").positive();
      if (max < min) {
        memory.at("max").fail("must not be below min");
      }
      if ((max - min) / step > 1000) {
        memory.at("step").fail("too many sizes in one range (more than 1000)");
      }
      for (double gb = min; gb <= max + 1e-9; gb += step) {
        out.push_back({cpu, to_mib_from_aws_gb(gb)});
      }
    }
  }
  if (out.empty()) {
    node.fail("expected at least one supported size");
  }
  std::sort(out.begin(), out.end(), [](const FargateSize& a, const FargateSize& b) {
    return a.cpu != b.cpu ? a.cpu < b.cpu : a.memory < b.memory;
  });
  return out;
}

FargatePrices read_fargate(const CatalogReader& cr, const JsonReader& node) {
  FargatePrices out;
  JsonReader archs = node.at("architectures");
  reject_unknown_architectures(archs);
  out.x86_64 = read_fargate_arch(cr, archs.at("x86_64"));
  out.arm64 = read_fargate_arch(cr, archs.at("arm64"));
  out.pod_overhead = MiB{node.at("pod_overhead_mib").non_negative()};
  out.minimum_billed = Seconds{node.at("minimum_billed_s").non_negative()};
  out.billing_increment = Seconds{node.at("billing_increment_s").positive()};
  out.sizes = read_fargate_sizes(node.at("sizes"));
  return out;
}

InstanceType read_instance_type(const CatalogReader& cr, const JsonReader& node) {
  InstanceType out;
  out.name = node.at("name").string();
  if (out.name.empty()) {
    node.at("name").fail("expected a non-empty instance type name");
  }
  JsonReader arch = node.at("arch");
  auto parsed = parse_arch(arch.string());
  if (!parsed) {
    arch.fail("unknown architecture \"" + arch.string() + "\", expected x86_64 or arm64");
  }
  out.arch = *parsed;
  out.cpu = Millicores{node.at("vcpu").positive() * k_millicores_per_vcpu};
  out.memory = MiB{node.at("memory_mib").positive()};
  out.max_pods = node.at("max_pods").count();
  if (out.max_pods == 0) {
    node.at("max_pods").fail("must be positive, found 0");
  }
  out.on_demand = cr.price<UsdPerNodeHour>(node.at("on_demand"), "usd_per_hour");
  return out;
}

PricingCatalog read_catalog(const JsonReader& root) {
  PricingCatalog out;
  JsonReader version = root.at("schema_version");
  if (version.count() != 1) {
    version.fail("unsupported schema_version " + std::to_string(version.count()) +
                 ", expected 1");
  }
  out.id = root.at("id").string();
  out.date = root.at("date").string();
  out.provider = root.at("provider").string();
  out.region = root.at("region").string();
  out.currency = root.at("currency").string();
  if (out.currency != "USD") {
    root.at("currency").fail("unsupported currency \"" + out.currency + "\", expected USD");
  }
  JsonReader sources = root.at("sources");
  sources.find("");  // throws unless an object
  for (const auto& [key, value] : sources.node().items()) {
    (void)value;
    out.sources[key] = sources.at(key).string();
  }
  CatalogReader cr{out.sources};
  out.lambda = read_lambda(cr, root.at("lambda"));
  JsonReader eks = root.at("eks");
  JsonReader control_plane = eks.at("control_plane");
  out.eks.control_plane_standard =
      cr.price<UsdPerClusterHour>(control_plane.at("standard"), "usd_per_cluster_hour");
  out.eks.control_plane_extended =
      cr.price<UsdPerClusterHour>(control_plane.at("extended"), "usd_per_cluster_hour");
  out.eks.node_reservation = read_node_reservation(cr, eks.at("node_reservation"));
  out.fargate = read_fargate(cr, root.at("fargate"));
  JsonReader ec2 = root.at("ec2");
  for (const JsonReader& entry : ec2.at("instance_types").elements()) {
    InstanceType type = read_instance_type(cr, entry);
    if (out.find_instance_type(type.name) != nullptr) {
      entry.at("name").fail("duplicate instance type \"" + type.name + "\"");
    }
    out.instance_types.push_back(std::move(type));
  }
  JsonReader spot = ec2.at("spot");
  out.spot.discount_fraction = spot.at("default_discount_fraction").non_negative();
  if (out.spot.discount_fraction >= 1) {
    spot.at("default_discount_fraction").fail("a discount must be below 1");
  }
  out.spot.provenance = cr.provenance(spot);
  return out;
}

}  // namespace

std::string_view to_string(Arch arch) { return arch == Arch::arm64 ? "arm64" : "x86_64"; }

Result<Arch> parse_arch(std::string_view text) {
  if (text == "x86_64" || text == "x86" || text == "amd64") {
    return Arch::x86_64;
  }
  if (text == "arm64" || text == "arm" || text == "aarch64") {
    return Arch::arm64;
  }
  return fail(ErrorCode::invalid_argument,
              "unknown architecture \"" + std::string{text} + "\", expected x86_64 or arm64");
}

const InstanceType* PricingCatalog::find_instance_type(std::string_view name) const {
  auto it = std::find_if(instance_types.begin(), instance_types.end(),
                         [&](const InstanceType& t) { return t.name == name; });
  return it == instance_types.end() ? nullptr : &*it;
}

Result<PricingCatalog> parse_pricing_catalog(std::string_view json_text, std::string_view origin) {
  auto document = detail::parse_json(json_text, origin);
  if (!document) {
    return tl::unexpected(document.error());
  }
  try {
    return read_catalog(JsonReader{*document, "$", origin});
  } catch (const InputError& e) {
    return tl::unexpected(e.error);
  }
}

Result<PricingCatalog> load_pricing_catalog(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    return fail(ErrorCode::not_found, "price catalog not found", file.string());
  }
  if (std::filesystem::is_directory(file, ec)) {
    return fail(ErrorCode::io, "price catalog is a directory, expected a JSON file",
                file.string());
  }
  std::ifstream in{file, std::ios::binary};
  if (!in) {
    return fail(ErrorCode::io, "cannot open price catalog", file.string());
  }
  constexpr std::uintmax_t k_max_catalog_bytes = 16u << 20;
  if (std::filesystem::file_size(file, ec) > k_max_catalog_bytes) {
    return fail(ErrorCode::parse, "price catalog is larger than 16 MiB", file.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return fail(ErrorCode::io, "error reading price catalog", file.string());
  }
  return parse_pricing_catalog(text.str(), file.string());
}

}  // namespace placer
