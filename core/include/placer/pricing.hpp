// The price catalog: every provider price and billing rule the cost models use, for one
// provider region, loaded at run time from a dated JSON file (data/pricing/*.json) so a
// price change is a reviewed data diff, never a code change.
//
// Every price keeps its provenance (source id and the date it was retrieved). Memory in
// the file is given in the provider's own terms and converted to MiB on the way in
// (AWS's "GB" for Lambda, Fargate and EC2 is 1024 MB: to_mib_from_aws_gb below).
//
// A PricingCatalog is an immutable value once loaded; share it freely between threads.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "placer/error.hpp"
#include "placer/units.hpp"

namespace placer {

enum class Arch { x86_64, arm64 };

// "x86_64" or "arm64".
std::string_view to_string(Arch arch);

// Accepts "x86_64" (also "x86", "amd64") and "arm64" (also "arm", "aarch64").
// Fails with invalid_argument naming what was found and what is accepted.
Result<Arch> parse_arch(std::string_view text);

// AWS prices memory in "GB" meaning 1024 MB (Lambda: MB/1024; Fargate docs: GB = 1024^3
// bytes). This is the one place that conversion is made.
constexpr MiB to_mib_from_aws_gb(double gb) { return MiB{gb * k_mib_per_gib}; }

struct Provenance {
  std::string source;        // an id from PricingCatalog::sources
  std::string retrieved_on;  // YYYY-MM-DD
};

template <typename Rate>
struct Price {
  Rate rate{};
  Provenance provenance;
};

// One monthly duration tier: GB-s from the previous tier's bound up to `up_to` are billed
// at `rate`. The last tier is unbounded (`up_to` is +infinity).
struct DurationTier {
  GibSeconds up_to{};
  UsdPerGibSecond rate{};
  Provenance provenance;
};

struct LambdaArchPrices {
  std::vector<DurationTier> duration_tiers;          // ascending; the last is unbounded
  Price<UsdPerGibSecond> provisioned_concurrency;    // per GB-s configured while enabled
  Price<UsdPerGibSecond> provisioned_duration;       // duration of invocations served by PC
};

struct LambdaFreeTier {
  Requests requests{};
  GibSeconds duration{};
  Provenance provenance;
};

struct LambdaPrices {
  Price<UsdPerRequest> request;
  LambdaArchPrices x86_64;
  LambdaArchPrices arm64;
  Price<UsdPerGibSecond> ephemeral_storage;  // per GB-s above `ephemeral_storage_included`
  MiB ephemeral_storage_included{};
  LambdaFreeTier free_tier;
  Millis duration_increment{};     // each invocation's duration is rounded up to this
  Seconds provisioned_increment{};  // PC enabled time is rounded up to this
  MiB memory_min{};
  MiB memory_max{};
  MiB ephemeral_storage_max{};

  const LambdaArchPrices& for_arch(Arch arch) const { return arch == Arch::arm64 ? arm64 : x86_64; }
};

// kube-reserved CPU is charged per core band: `fraction` of each core up to `cores_up_to`
// (the last band is unbounded).
struct CpuReservationBand {
  double cores_up_to = 0;  // +infinity for the last band
  double fraction = 0;
};

// How an EKS node's allocatable resources follow from its capacity (EKS AMI and
// Karpenter rules; see cost/allocatable.hpp).
struct NodeReservation {
  MiB memory_per_pod{};  // kube-reserved memory = memory_per_pod * max_pods + memory_base
  MiB memory_base{};
  std::vector<CpuReservationBand> cpu_bands;
  MiB eviction_memory{};                  // hard eviction threshold memory.available
  double vm_memory_overhead_fraction = 0;  // of capacity, rounded up to whole MiB
  MiB arm64_reserved_memory{};            // taken off arm64 capacity before the overhead
  int default_max_pods = 0;
  Provenance provenance;
};

struct EksPrices {
  Price<UsdPerClusterHour> control_plane_standard;
  Price<UsdPerClusterHour> control_plane_extended;
  NodeReservation node_reservation;
};

struct FargateSize {
  Millicores cpu{};
  MiB memory{};
};

struct FargateArchPrices {
  Price<UsdPerVcpuHour> vcpu;
  Price<UsdPerGibHour> memory;
  bool available_on_eks = false;
};

struct FargatePrices {
  FargateArchPrices x86_64;
  FargateArchPrices arm64;
  MiB pod_overhead{};        // added to every pod's memory request before rounding
  Seconds minimum_billed{};  // per pod
  Seconds billing_increment{};
  std::vector<FargateSize> sizes;  // every supported (vCPU, memory) pair, ascending

  const FargateArchPrices& for_arch(Arch arch) const { return arch == Arch::arm64 ? arm64 : x86_64; }
};

struct InstanceType {
  std::string name;
  Arch arch = Arch::x86_64;
  Millicores cpu{};
  MiB memory{};
  int max_pods = 0;
  Price<UsdPerNodeHour> on_demand;
};

struct SpotDefaults {
  double discount_fraction = 0;  // 0.79 means spot costs 21% of on-demand
  Provenance provenance;
};

struct PricingCatalog {
  std::string id;    // "aws-us-east-1"
  std::string date;  // the catalog's own version date, YYYY-MM-DD
  std::string provider;
  std::string region;
  std::string currency;
  std::map<std::string, std::string> sources;  // source id -> URL and note
  LambdaPrices lambda;
  EksPrices eks;
  FargatePrices fargate;
  std::vector<InstanceType> instance_types;  // in file order
  SpotDefaults spot;

  // nullptr when the catalog has no instance type called `name`.
  const InstanceType* find_instance_type(std::string_view name) const;
};

// Parses and validates a catalog. `origin` names the text in errors (a file path).
// Fails with:
//   parse  malformed JSON (`where` = "<origin>:<line>:<column>"), or a schema violation:
//          a missing field, a wrong type, a negative price, an unknown architecture,
//          unordered tiers, an unknown source id (`where` = "<origin>: $.json.path")
Result<PricingCatalog> parse_pricing_catalog(std::string_view json_text, std::string_view origin);

// Reads and parses a catalog file.
// Fails with not_found (no such file), io (unreadable), or as parse_pricing_catalog.
Result<PricingCatalog> load_pricing_catalog(const std::filesystem::path& file);

}  // namespace placer
