// placer cost lambda|kubernetes|fargate: the quick calculator from summary numbers.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "../catalog_path.hpp"
#include "../exit_codes.hpp"
#include "../table.hpp"
#include "commands.hpp"
#include "placer/cost/cost_request.hpp"
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

// Prices `request` (core's price(), shared with POST /v1/cost) and prints the bill.
int price_and_print(const CostRequest& request, const Common& common) {
  auto catalog = load_catalog(common.catalog);
  if (!catalog) {
    return report(catalog.error());
  }
  auto bill = price(request, *catalog);
  if (!bill) {
    Error error = bill.error();
    if (error.where == "node_schedule" || error.where == "pods") {  // name the flag, as before
      error.where = error.where == "pods" ? "--pods" : "--node-schedule";
    }
    return report(error);
  }
  std::cout << (common.output == "json" ? cost_json(*bill, *catalog) : cost_table(*bill, *catalog));
  return std::cout.good() ? k_exit_ok
                          : report(Error{ErrorCode::io, "cannot write output", "stdout"});
}

// --- lambda -------------------------------------------------------------------------------

struct LambdaFlags {
  Common common;
  LambdaCostRequest request;
};

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
  sub->add_option("--arch", f->request.arch, "x86_64 or arm64")
      ->check(CLI::IsMember({"x86_64", "arm64"}))
      ->capture_default_str();
  sub->add_option("--memory-mib", f->request.memory_mib, "configured memory (128-10240)")
      ->required()
      ->check(CLI::PositiveNumber);
  sub->add_option("--requests", f->request.requests, "on-demand invocations per month")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--duration-ms", f->request.duration_ms,
                  "mean duration of an on-demand invocation")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--cold-starts", f->request.cold_starts, "on-demand invocations that ran INIT")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--init-duration-ms", f->request.init_duration_ms,
                  "INIT duration of one cold start")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--ephemeral-storage-mib", f->request.ephemeral_storage_mib,
                  "/tmp size (512-10240)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  sub->add_option("--pc-count", f->request.pc_count, "provisioned concurrency (environments)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--pc-hours", f->request.pc_hours, "hours provisioned concurrency is enabled")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--pc-requests", f->request.pc_requests,
                  "invocations served by provisioned concurrency")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--pc-duration-ms", f->request.pc_duration_ms,
                  "mean duration of those invocations")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--free-tier", f->request.free_tier,
                "apply the monthly free tier (off by default)");
  add_common(*sub, f->common);
  sub->callback([f, &exit_code] { exit_code = price_and_print(f->request, f->common); });
}

// --- kubernetes ---------------------------------------------------------------------------

struct KubernetesFlags {
  Common common;
  KubernetesCostRequest request;
};

void register_kubernetes(CLI::App& cost, int& exit_code) {
  auto f = std::make_shared<KubernetesFlags>();
  CLI::App* sub = cost.add_subcommand(
      "kubernetes", "Price EKS nodes of one EC2 instance type plus the control plane");
  sub->alias("k8s");
  sub->footer(R"(Examples:
  placer cost kubernetes --instance-type m6i.large --nodes 3 --hours 730
  placer cost kubernetes --instance-type m6i.large --node-schedule 3:500,6:230
  placer cost kubernetes --instance-type m5.large --pods 10 --pod-vcpu 0.5 --pod-memory-mib 1024
  placer cost kubernetes --instance-type m7g.large --nodes 4 --spot --spot-discount 0.6 -o json

Give the nodes one of three ways: --nodes for --hours, a --node-schedule of NODES:HOURS
spans, or --pods with their requests to bin-pack onto nodes (allocatable from the EKS
reservation rules). One EKS control plane is included unless --no-control-plane.)");
  sub->add_option("--instance-type", f->request.instance_type,
                  "an EC2 instance type in the catalog")
      ->required();
  sub->add_option("--nodes", f->request.nodes, "node count")->check(CLI::NonNegativeNumber);
  sub->add_option("--hours", f->request.hours, "hours the nodes and cluster run")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--node-schedule", f->request.node_schedule,
                  "node count over time: NODES:HOURS,...");
  sub->add_option("--pods", f->request.pods, "pods to bin-pack onto nodes")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--pod-vcpu", f->request.pod_vcpu, "CPU request per pod (vCPU)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--pod-memory-mib", f->request.pod_memory_mib, "memory request per pod")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--daemonset-vcpu", f->request.daemonset_vcpu, "DaemonSet CPU requests per node")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--daemonset-memory-mib", f->request.daemonset_memory_mib,
                  "DaemonSet memory requests per node")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--daemonset-pods", f->request.daemonset_pods, "DaemonSet pods per node")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--no-control-plane", f->request.no_control_plane,
                "leave out the EKS control plane");
  sub->add_flag("--extended-support", f->request.extended_support,
                "price the control plane at the extended-support rate");
  sub->add_flag("--spot", f->request.spot, "price nodes as spot capacity");
  sub->add_option("--spot-discount", f->request.spot_discount,
                  "fraction off on-demand for spot (default: the catalog's)")
      ->check(CLI::Range(0.0, 0.999999));
  add_common(*sub, f->common);
  sub->callback([f, &exit_code] { exit_code = price_and_print(f->request, f->common); });
}

// --- fargate ------------------------------------------------------------------------------

struct FargateFlags {
  Common common;
  FargateCostRequest request;
};

void register_fargate(CLI::App& cost, int& exit_code) {
  auto f = std::make_shared<FargateFlags>();
  CLI::App* sub = cost.add_subcommand("fargate", "Price pods on EKS Fargate");
  sub->footer(R"(Examples:
  placer cost fargate --vcpu 0.5 --memory-mib 1024 --pods 4 --hours 730
  placer cost fargate --vcpu 1 --memory-mib 8192 --hours 1 -o json

Each pod's request gets 256 MiB added and is rounded up to a supported Fargate size;
run time is billed per second with a one-minute minimum per pod.)");
  sub->add_option("--vcpu", f->request.vcpu, "CPU request per pod")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--memory-mib", f->request.memory_mib, "memory request per pod")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--pods", f->request.pods, "pods running")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--hours", f->request.hours, "hours each pod runs")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  add_common(*sub, f->common);
  sub->callback([f, &exit_code] { exit_code = price_and_print(f->request, f->common); });
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
