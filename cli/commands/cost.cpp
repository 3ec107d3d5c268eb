// placer cost lambda|kubernetes|fargate: the quick calculator from summary numbers.
#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>
#include <memory>
#include <sstream>

#include "../catalog_path.hpp"
#include "../exit_codes.hpp"
#include "../table.hpp"
#include "commands.hpp"
#include "placer/cost/bin_packing.hpp"
#include "placer/cost/fargate.hpp"
#include "placer/cost/kubernetes.hpp"
#include "placer/cost/lambda.hpp"
#include "placer/render/cost_json.hpp"

namespace placer::cli {
namespace {

struct Common {
  std::string catalog;
  std::string output = "table";
};

void add_common(CLI::App& sub, Common& common) {
  sub.add_option("--catalog", common.catalog,
                 "price catalog JSON (default: $PLACER_CATALOG, else the bundled aws-us-east-1)");
  sub.add_option("--output,-o", common.output, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
}

int print(const Result<CostBreakdown>& bill, const PricingCatalog& catalog, const Common& common) {
  if (!bill) {
    return report(bill.error());
  }
  std::cout << (common.output == "json" ? cost_json(*bill, catalog) : cost_table(*bill, catalog));
  return std::cout.good() ? k_exit_ok : report(Error{ErrorCode::io, "cannot write output", "stdout"});
}

// --- lambda -------------------------------------------------------------------------------

struct LambdaFlags {
  Common common;
  std::string arch = "x86_64";
  double memory_mib = 0;
  double ephemeral_storage_mib = 512;
  double requests = 0;
  double duration_ms = 0;
  double cold_starts = 0;
  double init_duration_ms = 0;
  double pc_count = 0;
  double pc_hours = 0;
  double pc_requests = 0;
  double pc_duration_ms = 0;
  bool free_tier = false;
};

int run_lambda(const LambdaFlags& f) {
  auto catalog = load_catalog(f.common.catalog);
  if (!catalog) {
    return report(catalog.error());
  }
  const LambdaPrices& prices = catalog->lambda;
  LambdaUsage usage;
  usage.arch = *parse_arch(f.arch);  // checked by CLI11
  usage.memory = MiB{f.memory_mib};
  usage.ephemeral_storage = MiB{f.ephemeral_storage_mib};
  usage.requests = Requests{f.requests};
  usage.billed_duration = billed_duration(usage.requests, Millis{f.duration_ms}, prices);
  usage.cold_starts = Requests{f.cold_starts};
  usage.billed_init_duration = billed_duration(usage.cold_starts, Millis{f.init_duration_ms}, prices);
  usage.provisioned.environments = f.pc_count;
  usage.provisioned.enabled = Hours{f.pc_hours};
  usage.provisioned.requests = Requests{f.pc_requests};
  usage.provisioned.billed_duration =
      billed_duration(usage.provisioned.requests, Millis{f.pc_duration_ms}, prices);
  usage.free_tier = f.free_tier ? FreeTier::on : FreeTier::off;
  auto bill = lambda_cost(usage, prices);
  if (bill) {
    bill->notes.push_back(std::string{"free tier "} + (f.free_tier ? "applied" : "not applied") +
                          (f.free_tier ? "" : " (--free-tier to apply it)"));
  }
  return print(bill, *catalog, f.common);
}

void register_lambda(CLI::App& cost, int& exit_code) {
  auto f = std::make_shared<LambdaFlags>();
  CLI::App* sub = cost.add_subcommand("lambda", "Price an AWS Lambda function for a month");
  sub->footer(R"(Examples:
  placer cost lambda --memory-mib 1536 --requests 3000000 --duration-ms 120 --free-tier
  placer cost lambda --arch arm64 --memory-mib 1024 --requests 1000000 --duration-ms 32000
  placer cost lambda --memory-mib 1536 --requests 2500000 --duration-ms 120 \
      --pc-count 100 --pc-hours 8 --pc-requests 500000 --pc-duration-ms 100 --free-tier
  placer cost lambda --memory-mib 4096 --requests 6000000 --duration-ms 280 \
      --ephemeral-storage-mib 2048 --free-tier --output json

Each invocation's duration is rounded up to 1 ms. Durations are per invocation; requests
are per month. The free tier is off unless --free-tier.)");
  sub->add_option("--arch", f->arch, "x86_64 or arm64")
      ->check(CLI::IsMember({"x86_64", "arm64"}))
      ->capture_default_str();
  sub->add_option("--memory-mib", f->memory_mib, "configured memory (128-10240)")
      ->required()
      ->check(CLI::PositiveNumber);
  sub->add_option("--requests", f->requests, "on-demand invocations per month")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--duration-ms", f->duration_ms, "mean duration of an on-demand invocation")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--cold-starts", f->cold_starts, "on-demand invocations that ran INIT")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--init-duration-ms", f->init_duration_ms, "INIT duration of one cold start")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--ephemeral-storage-mib", f->ephemeral_storage_mib, "/tmp size (512-10240)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  sub->add_option("--pc-count", f->pc_count, "provisioned concurrency (environments)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--pc-hours", f->pc_hours, "hours provisioned concurrency is enabled")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--pc-requests", f->pc_requests, "invocations served by provisioned concurrency")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--pc-duration-ms", f->pc_duration_ms, "mean duration of those invocations")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--free-tier", f->free_tier, "apply the monthly free tier (off by default)");
  add_common(*sub, f->common);
  sub->callback([f, &exit_code] { exit_code = run_lambda(*f); });
}

// --- kubernetes ---------------------------------------------------------------------------

struct KubernetesFlags {
  Common common;
  std::string instance_type;
  double nodes = -1;
  double hours = 730;
  std::string node_schedule;
  double pods = 0;
  double pod_vcpu = 0;
  double pod_memory_mib = 0;
  double daemonset_vcpu = 0;
  double daemonset_memory_mib = 0;
  int daemonset_pods = 0;
  bool no_control_plane = false;
  bool extended_support = false;
  bool spot = false;
  double spot_discount = -1;
};

// "3:500,5:230" -> {3 nodes for 500 h, 5 nodes for 230 h}
Result<std::vector<NodeSpan>> parse_schedule(const std::string& text) {
  std::vector<NodeSpan> spans;
  std::stringstream in{text};
  std::string item;
  while (std::getline(in, item, ',')) {
    auto colon = item.find(':');
    NodeSpan span;
    std::size_t used_nodes = 0;
    std::size_t used_hours = 0;
    try {
      if (colon == std::string::npos) {
        throw std::invalid_argument{"no colon"};
      }
      span.nodes = std::stod(item.substr(0, colon), &used_nodes);
      span.time = Hours{std::stod(item.substr(colon + 1), &used_hours)};
    } catch (const std::exception&) {
      used_nodes = 0;
    }
    if (used_nodes == 0 || used_nodes != colon || used_hours != item.size() - colon - 1 ||
        !std::isfinite(span.nodes) || !std::isfinite(span.time.count()) || span.nodes < 0 ||
        span.time < Hours{0}) {
      return fail(ErrorCode::invalid_argument,
                  "expected NODES:HOURS[,NODES:HOURS...] with non-negative numbers, found \"" +
                      item + "\"",
                  "--node-schedule");
    }
    spans.push_back(span);
  }
  if (spans.empty()) {
    return fail(ErrorCode::invalid_argument, "empty schedule, expected NODES:HOURS[,...]",
                "--node-schedule");
  }
  return spans;
}

int run_kubernetes(const KubernetesFlags& f) {
  auto catalog = load_catalog(f.common.catalog);
  if (!catalog) {
    return report(catalog.error());
  }
  KubernetesUsage usage;
  usage.instance_type = f.instance_type;
  usage.cluster_time = Hours{f.hours};
  usage.control_plane = f.no_control_plane   ? ControlPlane::none
                        : f.extended_support ? ControlPlane::extended
                                             : ControlPlane::standard;
  usage.capacity = f.spot ? Capacity::spot : Capacity::on_demand;
  if (f.spot_discount >= 0) {
    usage.spot_discount = f.spot_discount;
  }
  std::vector<std::string> notes;
  const int sources = (f.nodes >= 0) + !f.node_schedule.empty() + (f.pods > 0);
  if (sources != 1) {
    return report(Error{ErrorCode::invalid_argument,
                        "give exactly one of --nodes, --node-schedule or --pods", "flags"});
  }
  if (!f.node_schedule.empty()) {
    auto spans = parse_schedule(f.node_schedule);
    if (!spans) {
      return report(spans.error());
    }
    usage.node_spans = *spans;
    Hours longest{0};
    for (const NodeSpan& span : usage.node_spans) {
      longest += span.time;
    }
    usage.cluster_time = longest;
  } else if (f.nodes >= 0) {
    usage.node_spans.push_back(NodeSpan{f.nodes, Hours{f.hours}});
  } else {
    const InstanceType* type = catalog->find_instance_type(f.instance_type);
    if (type == nullptr) {
      return print(kubernetes_cost(usage, *catalog), *catalog, f.common);  // reports not_found
    }
    if (f.pods != std::floor(f.pods) || f.pods > 1e6) {
      return report(Error{ErrorCode::invalid_argument,
                          "expected a whole number of pods up to 1,000,000", "--pods"});
    }
    NodeAllocatable node = node_allocatable(*type, catalog->eks.node_reservation);
    std::vector<PodRequest> pods(static_cast<std::size_t>(f.pods),
                                 PodRequest{Millicores{f.pod_vcpu * k_millicores_per_vcpu},
                                            MiB{f.pod_memory_mib}});
    NodeOverhead overhead{Millicores{f.daemonset_vcpu * k_millicores_per_vcpu},
                          MiB{f.daemonset_memory_mib}, f.daemonset_pods};
    auto packing = pack_pods(pods, node, overhead);
    if (!packing) {
      return report(packing.error());
    }
    usage.node_spans.push_back(
        NodeSpan{static_cast<double>(packing->node_count()), Hours{f.hours}});
    notes.push_back(format_quantity(f.pods) + " pods of " + format_quantity(f.pod_vcpu * 1000, 0) +
                    "m CPU / " + format_quantity(f.pod_memory_mib) + " MiB packed first-fit onto " +
                    std::to_string(packing->node_count()) + " " + type->name +
                    " nodes (allocatable " + format_quantity(node.cpu.value()) + "m / " +
                    format_quantity(node.memory.value()) + " MiB, " +
                    std::to_string(node.max_pods) + " pods per node)");
  }
  auto bill = kubernetes_cost(usage, *catalog);
  if (bill) {
    bill->notes.insert(bill->notes.end(), notes.begin(), notes.end());
  }
  return print(bill, *catalog, f.common);
}

void register_kubernetes(CLI::App& cost, int& exit_code) {
  auto f = std::make_shared<KubernetesFlags>();
  CLI::App* sub =
      cost.add_subcommand("kubernetes", "Price EKS nodes of one EC2 instance type plus the control plane");
  sub->alias("k8s");
  sub->footer(R"(Examples:
  placer cost kubernetes --instance-type m6i.large --nodes 3 --hours 730
  placer cost kubernetes --instance-type m6i.large --node-schedule 3:500,6:230
  placer cost kubernetes --instance-type m5.large --pods 10 --pod-vcpu 0.5 --pod-memory-mib 1024
  placer cost kubernetes --instance-type m7g.large --nodes 4 --spot --spot-discount 0.6 -o json

Give the nodes one of three ways: --nodes for --hours, a --node-schedule of NODES:HOURS
spans, or --pods with their requests to bin-pack onto nodes (allocatable from the EKS
reservation rules). One EKS control plane is included unless --no-control-plane.)");
  sub->add_option("--instance-type", f->instance_type, "an EC2 instance type in the catalog")
      ->required();
  sub->add_option("--nodes", f->nodes, "node count")->check(CLI::NonNegativeNumber);
  sub->add_option("--hours", f->hours, "hours the nodes and cluster run")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--node-schedule", f->node_schedule, "node count over time: NODES:HOURS,...");
  sub->add_option("--pods", f->pods, "pods to bin-pack onto nodes")->check(CLI::NonNegativeNumber);
  sub->add_option("--pod-vcpu", f->pod_vcpu, "CPU request per pod (vCPU)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--pod-memory-mib", f->pod_memory_mib, "memory request per pod")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--daemonset-vcpu", f->daemonset_vcpu, "DaemonSet CPU requests per node")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--daemonset-memory-mib", f->daemonset_memory_mib,
                  "DaemonSet memory requests per node")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--daemonset-pods", f->daemonset_pods, "DaemonSet pods per node")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--no-control-plane", f->no_control_plane, "leave out the EKS control plane");
  sub->add_flag("--extended-support", f->extended_support,
                "price the control plane at the extended-support rate");
  sub->add_flag("--spot", f->spot, "price nodes as spot capacity");
  sub->add_option("--spot-discount", f->spot_discount,
                  "fraction off on-demand for spot (default: the catalog's)")
      ->check(CLI::Range(0.0, 0.999999));
  add_common(*sub, f->common);
  sub->callback([f, &exit_code] { exit_code = run_kubernetes(*f); });
}

// --- fargate ------------------------------------------------------------------------------

struct FargateFlags {
  Common common;
  double vcpu = 0.25;
  double memory_mib = 0;
  double pods = 1;
  double hours = 730;
};

int run_fargate(const FargateFlags& f) {
  auto catalog = load_catalog(f.common.catalog);
  if (!catalog) {
    return report(catalog.error());
  }
  FargateUsage usage;
  usage.cpu = Millicores{f.vcpu * k_millicores_per_vcpu};
  usage.memory = MiB{f.memory_mib};
  usage.pods = f.pods;
  usage.run_time_each = Hours{f.hours};
  auto bill = fargate_cost(usage, catalog->fargate);
  if (bill) {
    auto size = fargate_billed_size(usage.cpu, usage.memory, catalog->fargate);
    bill->notes.push_back("a pod requesting " + format_quantity(f.vcpu) + " vCPU / " +
                          format_quantity(f.memory_mib) + " MiB is billed as " +
                          format_quantity(vcpus(size->cpu)) + " vCPU / " +
                          format_quantity(gib(size->memory)) + " GB (request + " +
                          format_quantity(catalog->fargate.pod_overhead.value()) +
                          " MiB, rounded up to a supported size)");
  }
  return print(bill, *catalog, f.common);
}

void register_fargate(CLI::App& cost, int& exit_code) {
  auto f = std::make_shared<FargateFlags>();
  CLI::App* sub = cost.add_subcommand("fargate", "Price pods on EKS Fargate");
  sub->footer(R"(Examples:
  placer cost fargate --vcpu 0.5 --memory-mib 1024 --pods 4 --hours 730
  placer cost fargate --vcpu 1 --memory-mib 8192 --hours 1 -o json

Each pod's request gets 256 MiB added and is rounded up to a supported Fargate size;
run time is billed per second with a one-minute minimum per pod.)");
  sub->add_option("--vcpu", f->vcpu, "CPU request per pod")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--memory-mib", f->memory_mib, "memory request per pod")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--pods", f->pods, "pods running")->check(CLI::NonNegativeNumber)->capture_default_str();
  sub->add_option("--hours", f->hours, "hours each pod runs")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  add_common(*sub, f->common);
  sub->callback([f, &exit_code] { exit_code = run_fargate(*f); });
}

}  // namespace

void register_cost(CLI::App& app, int& exit_code) {
  CLI::App* cost = app.add_subcommand(
      "cost", "Price a workload from summary numbers (no trace needed): the quick calculator");
  cost->require_subcommand(1);
  register_lambda(*cost, exit_code);
  register_kubernetes(*cost, exit_code);
  register_fargate(*cost, exit_code);
}

}  // namespace placer::cli
